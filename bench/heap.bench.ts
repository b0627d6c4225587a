/**
 * The service's heap does not grow with the incidents stored: the heap after GC of a serving
 * process on 1,000,000 stored incidents against the same on 1,000 — each in a fresh process on a
 * fresh MariaDB database seeded with the reports bench's incident seed (a year of incidents, the
 * last two weeks' still open, so the escalation scheduler has work), after reports over HTTP at
 * 32 connections and a few scheduler ticks.
 *
 *   npm run build && node dist/bench/heap.bench.js [--counts 1000,1000000] [--seconds 20]
 *     [--mariadb-url mariadb://root@127.0.0.1:3306/triage_bench_heap_<pid>] [--quick]
 * Exits 1 when the largest count's heap is more than 10% above the smallest's.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config/config';
import { createDataSource, migrate } from '../src/database/data-source';
import { ApiKeyService } from '../src/auth/api-key.service';
import { systemClock } from '../src/common/clock';
import { createApp } from '../src/app';
import { rebuildIncidentRollups } from '../src/reports/incident-rollup.store';
import { seedIncidents } from './incidents.seed';
import { SOURCE, WorkloadBuilder } from './write-path.workload';
import { freshMariaDb } from './support/bench-mariadb';

const ROOT = path.join(__dirname, '..', '..');
/** Larger by more than this is growth (heap figures after a full GC move by a few per cent run to run). */
const TOLERANCE = 0.1;

const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

interface ChildResult {
  count: number;
  heapUsedMb: number;
  rssMb: number;
  reports: number;
  errors: number;
}

const mb = (bytes: number) => bytes / 2 ** 20;

/**
 * In the child (--expose-gc): serve the seeded database and say where (`LISTENING url token`); once
 * the parent's load is done it writes a line: let the scheduler tick, GC, measure.
 */
async function child(url: string, count: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the child with --expose-gc');
  const config = loadConfig({
    DATABASE_URL: url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    NODE_ENV: 'production',
    RULES_DIR: path.join(ROOT, 'rules'),
    ESCALATION_INTERVAL_MS: '2000',
  });
  const app = await createApp(config);
  try {
    const token = (await new ApiKeyService(app.services.ds, systemClock).create('bench-heap', ['INTEGRATION'], SOURCE)).key;
    process.stdout.write(`LISTENING ${app.url} ${token}\n`);
    const loaded = await new Promise<{ reports: number; errors: number }>((resolve) =>
      process.stdin.once('data', (d) => resolve(JSON.parse(String(d)) as { reports: number; errors: number })),
    );
    process.stdin.destroy(); // nothing more to read: it must not keep the process alive
    await new Promise((r) => setTimeout(r, 5000)); // scheduler ticks and webhook polls over the stored incidents
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 100));
    }
    const m = process.memoryUsage();
    const out: ChildResult = { count, heapUsedMb: mb(m.heapUsed), rssMb: mb(m.rss), ...loaded };
    process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
  } finally {
    await app.close();
  }
}

/** Reports over HTTP at 32 connections from this process (not the served one). */
async function load(serverUrl: string, token: string, seconds: number): Promise<{ reports: number; errors: number }> {
  const builder = new WorkloadBuilder(`heap${process.pid}-${Date.now()}`, 11);
  let errors = 0;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const result = await autocannon({
    url: `${serverUrl}/graphql`,
    connections: 32,
    duration: seconds,
    method: 'POST',
    headers,
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        headers,
        setupRequest: (req: Record<string, unknown>) => ({ ...req, body: builder.next() }),
        onResponse: (status: number, body: string) => void ((status !== 200 || body.includes('"errors"')) && errors++),
      },
    ],
  });
  return { reports: result.requests.total, errors: errors + result.errors + result.non2xx };
}

async function measure(count: number, url: string, seconds: number): Promise<ChildResult> {
  if (!/^triage_bench\w*$/.test(new URL(url).pathname.slice(1))) throw new Error('--mariadb-url must be MariaDB with a database named triage_bench…');
  const { db, admin, pool } = await freshMariaDb(url);
  const ds = createDataSource(db);
  await ds.initialize();
  try {
    await migrate(ds);
    const now = new Date();
    const lastMonth = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7); // the business (UTC+8) month
    const started = Date.now();
    const seeded = await seedIncidents(pool, { incidents: count, months: 12, lastMonth, now, batch: 2000, firstId: 1 }, () => undefined);
    await ds.transaction((em) => rebuildIncidentRollups(em));
    console.log(
      `  seeded ${seeded.incidents.toLocaleString('en')} incidents (${seeded.breaches.toLocaleString('en')} breaches) in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    await pool.end();
    await ds.destroy();
  }
  try {
    const proc = spawn(process.execPath, ['--expose-gc', __filename, '--child', '--url', url, '--count', String(count)], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let output = '';
    let listening: (line: string) => void = () => undefined;
    const ready = new Promise<string>((resolve) => (listening = resolve));
    proc.stdout.on('data', (d) => {
      output += d;
      const line = output
        .split('\n')
        .slice(0, -1)
        .find((l) => l.startsWith('LISTENING ')); // whole lines only
      if (line) listening(line);
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
    const first = await Promise.race([ready, exited.then(() => null)]);
    if (first === null) throw new Error(`the serving process failed:\n${output}`);
    const [, serverUrl, token] = first.split(' ');
    proc.stdin.end(`${JSON.stringify(await load(serverUrl, token, seconds))}\n`);
    const code = await exited;
    const line = output.split('\n').find((l) => l.startsWith('RESULT '));
    if (code !== 0 || !line) throw new Error(`the serving process failed (${code}):\n${output}`);
    return JSON.parse(line.slice('RESULT '.length)) as ChildResult;
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
    await admin.end();
  }
}

async function main() {
  if (process.argv.includes('--child')) {
    await child(option('url', ''), Number(option('count', '0')));
    return;
  }
  const quick = process.argv.includes('--quick'); // a smoke run: small counts
  const counts = option('counts', quick ? '1000,20000' : '1000,1000000')
    .split(',')
    .map(Number);
  const seconds = Number(option('seconds', quick ? '5' : '20'));
  const url = option('mariadb-url', `mariadb://root@127.0.0.1:3306/triage_bench_heap_${process.pid}`);
  console.log(`# Heap of the serving process against the incidents stored (MariaDB; ${seconds} s of reports at 32 connections, then GC)`);
  console.log(
    `${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; node ${process.version}`,
  );
  const results: ChildResult[] = [];
  for (const count of counts) {
    console.log(`${count.toLocaleString('en')} stored incidents:`);
    const r = await measure(count, url, seconds);
    results.push(r);
    console.log(
      `  heap after GC ${r.heapUsedMb.toFixed(1)} MB, RSS ${r.rssMb.toFixed(0)} MB, after ${r.reports.toLocaleString('en')} reports (${r.errors} errors)`,
    );
  }
  const smallest = results[0];
  const largest = results[results.length - 1];
  const growth = largest.heapUsedMb / smallest.heapUsedMb - 1;
  const ok = growth <= TOLERANCE && results.every((r) => r.errors === 0);
  console.log(
    `\nheap after GC with ${largest.count.toLocaleString('en')} stored incidents is ${(growth * 100).toFixed(1)}% ${growth >= 0 ? 'above' : 'below'} that with ${smallest.count.toLocaleString('en')} ` +
      `(target: no larger, within ${TOLERANCE * 100}% for GC noise): ${ok ? 'met' : 'MISSED'}; load average at the end ${os.loadavg()[0].toFixed(2)}`,
  );
  if (!ok) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
