/**
 * Backtest speed (the policy: 100,000 stored incidents in seconds). Seeds N incidents into a
 * fresh database, decided by the shipped pack as the service would (repeat customers, amounts
 * on both sides of 5000), then measures in the same run:
 *   - scan:      streaming the rows as the backtest does (keyset batches, JSON parsing), no decisions
 *   - identity:  backtesting the shipped pack against its own decisions (must change nothing)
 *   - police:    backtesting the pack with the police threshold at 3000
 * and prints each time, incidents/s and the ratio to the scan.
 *
 *   npm run build && node dist/bench/backtest.bench.js [--count 100000] [--db sqlite|mariadb|both]
 *     [--mariadb-url mariadb://root@127.0.0.1:3306/triage_backtest_bench] [--batch 2000] [--rules DIR]
 *
 * The MariaDB database is created for the run (its name gets the process id) and dropped after.
 */
import 'reflect-metadata';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { parseDatabaseUrl } from '../src/config/config';
import { createDataSource, migrate } from '../src/database/data-source';
import { IncidentEntity } from '../src/incidents/incident.entity';
import type { ReportIncidentInput } from '../src/incidents/incident.inputs';
import { toStoredDecision } from '../src/incidents/incident.types';
import { factsOf, normalizeReport } from '../src/incidents/incident.validation';
import { RuleEngine } from '../src/rules/rule-engine';
import { loadRulePack } from '../src/rules/rule-pack.loader';
import type { RulePack } from '../src/rules/types';
import { BacktestService } from '../src/rulesets/backtest.service';
import { ReadDb } from '../src/database/read-db';
import { storedIncidents } from '../src/rulesets/backtest.source';

const ROOT = path.join(__dirname, '..', '..');
const DAY = 24 * 3600_000;

const MIX: Array<[number, (r: () => number) => Partial<ReportIncidentInput>]> = [
  [20, (r) => ({ category: 'OVERCHARGE', amount: yuan(r() * 3000) })],
  [12, (r) => ({ category: 'PAYMENT_FAULT', subtype: 'NO_ORDER_ISSUED', amount: yuan(r() * 80000) })],
  [12, (r) => ({ category: 'PRODUCT_QUALITY', subtype: r() < 0.5 ? 'COSMETIC_DEFECT' : 'FUNCTION_FAILURE', amount: yuan(r() * 9000) })],
  [12, () => ({ category: 'SERVICE', subtype: 'ATTITUDE' })],
  [10, (r) => ({ category: 'LOGISTICS', subtype: r() < 0.5 ? 'DAMAGED' : 'DELAYED', amount: yuan(r() * 2000) })],
  [6, () => ({ category: 'AGITATED_CUSTOMER', escalating: true })],
  [10, (r) => ({ category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: r() < 0.5 ? 'COMPANY' : 'CUSTOMER', amount: yuan(r() * 10000) })],
  [5, (r) => ({ category: 'SYSTEM_FAILURE', subtype: 'NETWORK', outageMinutes: Math.floor(r() * 90) })],
  [2, () => ({ category: 'PERSONAL_SAFETY', subtype: 'WORK_INJURY', injured: true })],
  [1, () => ({ category: 'ONSITE_EMERGENCY', subtype: 'FIRE', mediaAttention: true })],
];

function yuan(x: number): string {
  return x.toFixed(2);
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

async function seed(ds: DataSource, pack: RulePack, count: number): Promise<void> {
  const engine = new RuleEngine(pack);
  const r = prng(42);
  const total = MIX.reduce((n, [w]) => n + w, 0);
  const history = new Map<string, number[]>();
  const start = Date.parse('2026-01-01T00:00:00Z');
  let rows: Array<QueryDeepPartialEntity<IncidentEntity>> = [];
  for (let i = 0; i < count; i++) {
    let pick = r() * total;
    const make = MIX.find(([w]) => (pick -= w) < 0)![1];
    const customerId = `C-${Math.floor((r() * count) / 20)}`;
    const input = { source: 'bench', externalRef: `B-${i}`, ...make(r), customer: { id: customerId }, drill: r() < 0.02 } as ReportIncidentInput;
    const report = normalizeReport(input, pack.catalog);
    const reportedAt = new Date(start + i * 60_000);
    const seen = (history.get(customerId) ?? []).filter((t) => t >= reportedAt.getTime() - 30 * DAY);
    const repeats = seen.length;
    const decision = await engine.decide(
      { ...factsOf(report), customerId, reportedAt },
      { now: reportedAt, dynamicFacts: { repeatIncidents30d: async () => repeats } },
    );
    if (!report.drill) history.set(customerId, [...seen, reportedAt.getTime()]);
    rows.push({
      source: report.source,
      externalRef: report.externalRef,
      inputHash: crypto.createHash('sha256').update(report.externalRef).digest('hex'),
      category: report.category,
      subtype: report.subtype,
      status: 'OPEN',
      severity: decision.severity,
      ownerDepartment: decision.ownerDepartment,
      policeReportRequired: decision.policeReportRequired,
      amountFen: report.amountFen,
      report: { ...report, amountFen: report.amountFen?.toString() ?? null, repeatIncidents30d: repeats } as never,
      customerId,
      customerPhone: null,
      orderNo: null,
      occurredAt: null,
      reportedAt,
      acknowledgeBy: decision.acknowledgeBy,
      resolveBy: decision.resolveBy,
      acknowledgedAt: null,
      resolvedAt: null,
      drill: report.drill,
      ruleSetVersion: decision.ruleSetVersion,
      decision: toStoredDecision(decision) as never,
      satisfactionScore: null,
      satisfactionComment: null,
      version: 1,
      updatedAt: reportedAt,
    });
    if (rows.length === 500 || i === count - 1) {
      const chunk = rows;
      rows = [];
      await ds.transaction((em) => em.insert(IncidentEntity, chunk));
    }
  }
}

/** The pack with the police threshold at 3000, in a temp directory. */
function police3000(dir: string): string {
  const draft = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-bench-draft-'));
  fs.cpSync(fs.realpathSync(dir), draft, { recursive: true });
  const file = path.join(draft, 'policy', 'actions.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const rule = json.rules.find((x: { name: string }) => x.name === 'property-loss-over-5000-police');
  rule.conditions.all.find((c: { fact: string }) => c.fact === 'amount').value = 3000;
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
  return draft;
}

/** The scan baseline: the backtest's reads and parsing (backtest.source.ts) without deciding. */
async function scan(ds: DataSource, batchSize: number): Promise<{ rows: number }> {
  let rows = 0;
  for await (const batch of storedIncidents(ds.manager, { from: null, to: null, batchSize })) rows += batch.length;
  return { rows };
}

async function database(kind: 'sqlite' | 'mariadb', mariadbUrl: string): Promise<{ ds: DataSource; cleanup: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const file = path.join(os.tmpdir(), `triage-bench-backtest-${process.pid}.sqlite`);
    const ds = createDataSource(parseDatabaseUrl(`sqlite:${file}`));
    return {
      ds,
      cleanup: async () => {
        for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
      },
    };
  }
  const parsed = parseDatabaseUrl(mariadbUrl);
  if (parsed.kind !== 'mysql') throw new Error('--mariadb-url must be mariadb://…');
  const db = { ...parsed, database: `${parsed.database}_${process.pid}` };
  const admin = await mysql.createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
  await admin.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
  await admin.query(`CREATE DATABASE \`${db.database}\` CHARACTER SET utf8mb4`);
  await admin.end();
  const ds = createDataSource(db);
  return {
    ds,
    cleanup: async () => {
      const c = await mysql.createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
      await c.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
      await c.end();
    },
  };
}

async function main() {
  const argv = process.argv.slice(2);
  const get = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  const count = Number(get('count', '100000'));
  const batch = Number(get('batch', '2000'));
  const which = get('db', 'sqlite');
  const dbs = (which === 'both' ? ['sqlite', 'mariadb'] : [which]) as Array<'sqlite' | 'mariadb'>;
  const rulesDir = get('rules', path.join(ROOT, 'rules'));
  const pack = loadRulePack(rulesDir);
  const draftDir = police3000(rulesDir);
  try {
    for (const kind of dbs) {
      const { ds, cleanup } = await database(kind, get('mariadb-url', 'mariadb://root@127.0.0.1:3306/triage_backtest_bench'));
      try {
        await ds.initialize();
        await migrate(ds);
        const t0 = performance.now();
        await seed(ds, pack, count);
        console.log(`${kind}: seeded ${count} incidents in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        const service = new BacktestService(new ReadDb(ds), null);
        // CPU time next to wall time: on a shared machine the wall clock measures the neighbours too.
        const timed = async <T>(work: () => Promise<T>) => {
          const cpu0 = process.cpuUsage();
          const t0 = performance.now();
          const value = await work();
          const cpu = process.cpuUsage(cpu0);
          return { value, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
        };
        await scan(ds, batch); // warm-up: the first read after seeding pays for cold pages
        const base = await timed(() => scan(ds, batch));
        const line = (name: string, rows: number, t: { ms: number; cpuMs: number }, extra = '') =>
          console.log(
            `  ${name.padEnd(9)} ${String(rows).padStart(7)} incidents ${(t.ms / 1000).toFixed(2).padStart(6)} s (cpu ${(t.cpuMs / 1000).toFixed(2)} s) ` +
              `${String(Math.round(rows / (t.ms / 1000))).padStart(7)}/s  ×${(t.ms / base.ms).toFixed(1)} scan${extra}`,
          );
        line('scan', base.value.rows, base);
        const identity = await timed(() => service.simulate(pack, { batchSize: batch }));
        line('identity', identity.value.counts.total, identity, `  changed ${identity.value.counts.changed} (must be 0)`);
        const police = await timed(() => service.simulate(loadRulePack(draftDir), { batchSize: batch }));
        line(
          'police',
          police.value.counts.total,
          police,
          `  changed ${police.value.counts.changed}, police now required ${police.value.counts.policeNowRequired}`,
        );
        if (identity.value.counts.changed !== 0) process.exitCode = 1;
      } finally {
        await ds.destroy().catch(() => undefined);
        await cleanup();
      }
    }
  } finally {
    fs.rmSync(draftDir, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e instanceof Error ? e.message.slice(0, 2000) : e);
  process.exit(1);
});
