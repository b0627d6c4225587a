/**
 * Write path end to end: `reportIncident` over HTTP with autocannon,
 * against the ceiling of a bare node:http server doing the same writes in the same
 * transaction shape, in the same run, on MariaDB and on SQLite; then amendIncident,
 * completeAction, decideRefundStep and advanceRemedy, each against its own same-SQL ceiling
 * (write-flows.ceiling.ts), each request on a subject prepared for it (write-flows.workload.ts).
 *
 *   npm run build && node dist/bench/write-path.bench.js [--db mariadb|sqlite|both] [--seconds 10]
 *     [--paths report,amend,complete,refund,remedy] (default all) [--subjects N] (prepared per contender of a flow)
 *     [--connections 8,32] [--workers 1,2] [--warmup 3] [--mariadb-url mariadb://root@127.0.0.1:3306/triage_bench_<pid>]
 *     [--profile DIR]   (V8 CPU profiles of the service processes, for finding the costs)
 *     [--env KEY=VALUE]  (more environment for the service, repeatable)
 *     [--quick]          (3 s runs, targets not judged)
 *     [--rss-curve]      (each service run's RSS over time, judged flat: last fifth's median within 10% of the second's; the
 *                         memory target: --seconds 600 --connections 32 --workers 1 --rss-curve --service-only)
 *     [--service-only]   (no ceiling and no no-op runs)
 *     [--rounds N]       (N paired rounds, default 1: each round runs the same-SQL ceiling, then the service, each on a
 *                         fresh database; a target is judged on the median of the rounds' service ÷ ceiling ratios, so a
 *                         machine whose speed drifts from minute to minute is compared minute with minute; the plain
 *                         ceiling and the no-op runs only in the first round)
 *     [--stages]         (the service's CPU per request by stage — HTTP, auth, parse/validate, resolver,
 *                         validation, decision, SQL, answer — from a CPU profile of each measured run;
 *                         without it, one extra profiled run of each at 32 connections prints the same
 *                         after the judged ones, which run unprofiled; --no-stages skips that)
 * Exits 1 when a target is missed (or an acknowledged incident is missing).
 *
 * A GraphQL error still answers HTTP 200, so every run also counts the rows actually stored.
 * Every process the bench starts is stopped (finally, and on exit). Loopback only.
 */
import 'reflect-metadata';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import Database from 'better-sqlite3';
import { createDataSource, migrate } from '../src/database/data-source';
import { parseDatabaseUrl } from '../src/config/config';
import { ApiKeyService } from '../src/auth/api-key.service';
import { systemClock } from '../src/common/clock';
import { loadRulePack } from '../src/rules/rule-pack.loader';
import { RuleEngine } from '../src/rules/rule-engine';
import { factsOf, normalizeReport } from '../src/incidents/incident.validation';
import { toStoredDecision } from '../src/incidents/incident.types';
import type { ReportIncidentInput } from '../src/incidents/incident.inputs';
import { SOURCE, TEMPLATES, WorkloadBuilder } from './write-path.workload';
import type { CeilingTemplate } from './write-path.ceiling';
import { Server, startProcess, stopProcess, waitReady, freePort, sleep, rssMb, cpuSeconds, databaseServerPid, machineTicks } from './support/processes';
import { printStages, readProfile, stagesOf } from './support/cpu-stages';
import { BenchPath, Flow, FLOW_ROLES, FLOW_SPECS, FLOWS, PATHS, Subject } from './write-flows.workload';
import { doubleRows, Run } from './support/subject-copies';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const CEILING = path.join(__dirname, 'write-path.ceiling.js');
const FLOW_CEILING = path.join(__dirname, 'write-flows.ceiling.js');
const RULES_DIR = path.join(ROOT, 'rules');

interface Options {
  dbs: Array<'mariadb' | 'sqlite'>;
  /** The mutations measured (--paths): reportIncident and the flows. */
  paths: BenchPath[];
  /** Subjects prepared per contender of a flow (--subjects); by default enough for 600 req/s. */
  subjects: number | null;
  seconds: number;
  connections: number[];
  workers: number[];
  warmupSeconds: number;
  mariadbUrl: string;
  /** Write V8 CPU profiles of the service processes here (--cpu-prof). */
  profileDir: string | null;
  /** Extra environment for the service (--env KEY=VALUE, repeatable). */
  serviceEnv: Record<string, string>;
  /** A smoke run (npm run bench -- --quick): short runs, targets not judged. */
  quick: boolean;
  /** Profile every measured run of the same-SQL ceiling and the service and print their CPU per request by stage (--stages). */
  stages: boolean;
  /**
   * After the measured runs, one more profiled run of each at 32 connections for the split by
   * stage (so profiling never slows a judged run); on unless --no-stages or --stages.
   */
  stagesPass: boolean;
  /** Print each service run's RSS curve and judge it flat (--rss-curve; for long runs: --seconds 600 --connections 32). */
  rssCurve: boolean;
  /** Only the service's runs, no ceilings and no no-ops (--service-only: a long RSS run). */
  serviceOnly: boolean;
  /** Paired rounds of same-SQL ceiling then service (--rounds), judged on the median ratio. */
  rounds: number;
}

/** The service as every run starts it: production, quiet logs, no rate limit, the shipped pack. */
function serviceEnvironment(url: string, port: number, workers: number, opts: Options): Record<string, string> {
  return {
    DATABASE_URL: url,
    PORT: String(port),
    HOST: '127.0.0.1',
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
    WORKERS: String(workers),
    RULES_DIR,
    NODE_ENV: 'production',
    ...opts.serviceEnv,
  };
}

const USAGE = `node dist/bench/write-path.bench.js [--db mariadb|sqlite|both] [--seconds N] [--paths report,amend,complete,refund,remedy]
  [--subjects N] [--connections 8,32] [--workers 1,2] [--warmup N] [--mariadb-url URL] [--profile DIR] [--env KEY=VALUE]
  [--rounds N] [--quick] [--rss-curve] [--service-only] [--stages | --no-stages]   (what each does: the header of bench/write-path.bench.ts)`;
const VALUED = ['db', 'seconds', 'paths', 'subjects', 'connections', 'workers', 'warmup', 'mariadb-url', 'profile', 'env', 'rounds'];
const SWITCHES = ['quick', 'rss-curve', 'service-only', 'stages', 'no-stages'];

function parseArgs(argv: string[]): Options {
  // A mistyped flag (or --help) must not start a run of many minutes.
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (VALUED.includes(name)) i++;
    else if (!SWITCHES.includes(name)) {
      console.error(`${argv[i] === '--help' ? '' : `unknown argument ${argv[i]}\n`}usage: ${USAGE}`);
      process.exit(argv[i] === '--help' ? 0 : 2);
    }
  }
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (raw: string | undefined, fallback: number[]) => (raw ? raw.split(',').map((s) => Number(s.trim())) : fallback);
  const db = get('db') ?? 'both';
  if (!['mariadb', 'sqlite', 'both'].includes(db)) throw new Error('--db must be mariadb, sqlite or both');
  const quick = argv.includes('--quick');
  const paths = (get('paths') ?? PATHS.join(',')).split(',').map((p) => p.trim()) as BenchPath[];
  if (!paths.length || paths.some((p) => !PATHS.includes(p))) throw new Error(`--paths: a list of ${PATHS.join(', ')}`);
  const opts: Options = {
    quick,
    paths,
    subjects: get('subjects') ? Number(get('subjects')) : null,
    dbs: db === 'both' ? ['mariadb', 'sqlite'] : [db as 'mariadb' | 'sqlite'],
    seconds: Number(get('seconds') ?? (quick ? 3 : 10)),
    connections: list(get('connections'), [8, 32]),
    workers: list(get('workers'), [1, 2]),
    warmupSeconds: Number(get('warmup') ?? (quick ? 1 : 3)),
    // A database of its own per run: two runs at once must not drop each other's.
    mariadbUrl: get('mariadb-url') ?? `mariadb://root@127.0.0.1:3306/triage_bench_${process.pid}`,
    profileDir: get('profile')
      ? path.resolve(get('profile')!)
      : argv.includes('--stages')
        ? fs.mkdtempSync(path.join(os.tmpdir(), 'triage-bench-prof-'))
        : null,
    stages: argv.includes('--stages'),
    stagesPass: !argv.includes('--stages') && !argv.includes('--no-stages'),
    rssCurve: argv.includes('--rss-curve'),
    serviceOnly: argv.includes('--service-only'),
    rounds: Number(get('rounds') ?? 1),
    serviceEnv: Object.fromEntries(argv.flatMap((a, i) => (a === '--env' && argv[i + 1]?.includes('=') ? [argv[i + 1].split(/=(.*)/s).slice(0, 2)] : []))),
  };
  if (!(opts.seconds > 0) || opts.connections.some((c) => !(c > 0)) || opts.workers.some((w) => !(w >= 1)) || !Number.isInteger(opts.rounds) || opts.rounds < 1)
    throw new Error('bad --seconds, --connections, --workers or --rounds');
  return opts;
}

// ---------------------------------------------------------------- databases

interface Counts {
  incidents: number;
  actions: number;
  /** REPORTED history rows: exactly one per incident (the escalation scheduler adds others later). */
  events: number;
}

interface BenchDb {
  kind: 'mariadb' | 'sqlite';
  label: string;
  /** DATABASE_URL for the service (and the ceiling). */
  url: string;
  counts(): Promise<Counts>;
  hasTable(name: string): Promise<boolean>;
  /** Rows of `table` of one `kind`: a flow's history entries. */
  count(table: string, kind: string): Promise<number>;
  /** Any statement on this database (preparing a flow's subjects). */
  run: Run;
  /** Makes `into` (a fresh, empty database of the same kind) an exact copy of this one: the flows' contenders start equal. */
  copyTo(into: BenchDb): Promise<void>;
  drop(): Promise<void>;
}

async function mariadb(url: string): Promise<BenchDb> {
  const cfg = parseDatabaseUrl(url);
  if (cfg.kind !== 'mysql') throw new Error('--mariadb-url must be a mariadb:// or mysql:// URL');
  if (!/^triage_bench\w*$/.test(cfg.database)) throw new Error('the bench database is dropped afterwards: its name must start with triage_bench');
  const admin = await mysql.createConnection({ host: cfg.host, port: cfg.port, user: cfg.user, password: cfg.password });
  await admin.query(`DROP DATABASE IF EXISTS \`${cfg.database}\``);
  await admin.query(`CREATE DATABASE \`${cfg.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const version = ((await admin.query('SELECT VERSION() AS v')) as any)[0][0].v as string;
  let own: mysql.Connection | null = null;
  const run: Run = async (sql, params = []) => {
    own ??= await mysql.createConnection({ host: cfg.host, port: cfg.port, user: cfg.user, password: cfg.password, database: cfg.database, timezone: 'Z' });
    const [rows] = await own.query(sql, params);
    return Array.isArray(rows) ? (rows as Array<Record<string, any>>) : [];
  };
  return {
    run,
    async count(table, kind) {
      const [rows] = (await admin.query(`SELECT COUNT(*) AS n FROM \`${cfg.database}\`.\`${table}\` WHERE kind = ?`, [kind])) as any;
      return Number(rows[0].n);
    },
    async copyTo(into) {
      const target = parseDatabaseUrl(into.url);
      if (target.kind !== 'mysql') throw new Error('a copy of MariaDB goes to MariaDB');
      const tables = (
        (await run("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'")) as any[]
      ).map((r) => String(r.t));
      await into.run('SET FOREIGN_KEY_CHECKS = 0');
      for (const t of tables) {
        const [[create]] = (await admin.query(`SHOW CREATE TABLE \`${cfg.database}\`.\`${t}\``)) as any;
        await into.run(create['Create Table']);
        await into.run(`INSERT INTO \`${t}\` SELECT * FROM \`${cfg.database}\`.\`${t}\``);
      }
      await into.run('SET FOREIGN_KEY_CHECKS = 1');
    },
    kind: 'mariadb',
    label: `MariaDB ${version} (${cfg.database}, pool ${cfg.poolSize} per process)`,
    url,
    async counts() {
      const [rows] = (await admin.query(
        `SELECT (SELECT COUNT(*) FROM \`${cfg.database}\`.incidents) AS incidents, (SELECT COUNT(*) FROM \`${cfg.database}\`.incident_actions) AS actions, (SELECT COUNT(*) FROM \`${cfg.database}\`.incident_events WHERE kind = 'REPORTED') AS events`,
      )) as any;
      return { incidents: Number(rows[0].incidents), actions: Number(rows[0].actions), events: Number(rows[0].events) };
    },
    async hasTable(name) {
      const [rows] = (await admin.query('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ? AND table_name = ?', [
        cfg.database,
        name,
      ])) as any;
      return Number(rows[0].n) > 0;
    },
    async drop() {
      await own?.end();
      await admin.query(`DROP DATABASE IF EXISTS \`${cfg.database}\``);
      await admin.end();
    },
  };
}

async function sqlite(): Promise<BenchDb> {
  const file = path.join(os.tmpdir(), `triage-bench-${process.pid}-${crypto.randomBytes(3).toString('hex')}.sqlite`);
  return {
    kind: 'sqlite',
    label: `SQLite (better-sqlite3, WAL, ${file})`,
    url: `sqlite:${file}`,
    async run(sql, params = []) {
      const db = new Database(file, { timeout: 10_000 });
      try {
        db.pragma('foreign_keys = ON');
        const stmt = db.prepare(sql);
        if (stmt.reader) return stmt.all(...params) as Array<Record<string, any>>;
        stmt.run(...params);
        return [];
      } finally {
        db.close();
      }
    },
    async count(table, kind) {
      const db = new Database(file, { readonly: true, timeout: 10_000 });
      try {
        return (db.prepare(`SELECT COUNT(*) AS n FROM "${table}" WHERE kind = ?`).get(kind) as { n: number }).n;
      } finally {
        db.close();
      }
    },
    async copyTo(into) {
      const db = new Database(file, { timeout: 10_000 });
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
      fs.copyFileSync(file, into.url.slice('sqlite:'.length));
    },
    async counts() {
      const db = new Database(file, { readonly: true, timeout: 10_000 });
      try {
        return db
          .prepare(
            "SELECT (SELECT COUNT(*) FROM incidents) AS incidents, (SELECT COUNT(*) FROM incident_actions) AS actions, (SELECT COUNT(*) FROM incident_events WHERE kind = 'REPORTED') AS events",
          )
          .get() as Counts;
      } finally {
        db.close();
      }
    },
    async hasTable(name) {
      const db = new Database(file, { readonly: true, timeout: 10_000 });
      try {
        return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
      } finally {
        db.close();
      }
    },
    async drop() {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    },
  };
}

/** Migrates the fresh database and creates the INTEGRATION key the load uses. */
async function prepare(db: BenchDb): Promise<string> {
  const ds = createDataSource(parseDatabaseUrl(db.url));
  await ds.initialize();
  try {
    await migrate(ds);
    return (await new ApiKeyService(ds, systemClock).create('bench-erp', ['INTEGRATION'], SOURCE)).key;
  } finally {
    await ds.destroy();
  }
}

/**
 * Each template decided by the real rule pack for every 30-day repeat count the service may
 * read (0, 1, 2, …): what the ceiling writes for it, picked by the count its own read answers,
 * as the service's decision is. Counts past the last one decide as the last (checked: its
 * decision must equal the one before it, else the pack reads the count beyond this table).
 */
const REPEAT_COUNTS = 8;

async function ceilingTemplates(): Promise<CeilingTemplate[][]> {
  const pack = loadRulePack(RULES_DIR);
  const engine = new RuleEngine(pack);
  const now = new Date();
  const rel = (d: Date | null | undefined) => (d ? d.getTime() - now.getTime() : null);
  const out: CeilingTemplate[][] = [];
  for (const t of TEMPLATES) {
    const report = normalizeReport({ source: SOURCE, externalRef: 'x', ...t.input } as unknown as ReportIncidentInput, pack.catalog);
    const byCount: CeilingTemplate[] = [];
    for (let repeats = 0; repeats < REPEAT_COUNTS; repeats++) {
      const d = await engine.decide(
        { ...factsOf(report), customerId: 'bench', reportedAt: now },
        { now, dynamicFacts: { repeatIncidents30d: async () => repeats } },
      );
      byCount.push({
        severity: d.severity,
        ownerDepartment: d.ownerDepartment,
        policeReportRequired: d.policeReportRequired,
        ruleSetVersion: d.ruleSetVersion,
        acknowledgeByMs: rel(d.acknowledgeBy),
        resolveByMs: rel(d.resolveBy),
        decision: JSON.stringify(toStoredDecision(d)),
        actions: d.actions.map((a) => ({ code: a.code, dueMs: rel(a.dueAt), retainMs: rel(a.retainUntil) })),
      });
    }
    const [last, before] = [byCount[REPEAT_COUNTS - 1], byCount[REPEAT_COUNTS - 2]];
    if (last.severity !== before.severity || JSON.stringify(last.actions) !== JSON.stringify(before.actions)) {
      throw new Error(`the rule pack decides a repeat count of ${REPEAT_COUNTS - 1} unlike ${REPEAT_COUNTS - 2}: raise REPEAT_COUNTS`);
    }
    out.push(byCount);
  }
  return out;
}

// ---------------------------------------------------------------- load

interface RunResult {
  /** The mutation measured. */
  path: BenchPath;
  what: string;
  db: 'mariadb' | 'sqlite';
  /** WORKERS of the service; null for the ceiling. */
  workers: number | null;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  sent: number;
  non2xx: number;
  gqlErrors: number;
  /** Requests answered 200 without errors: acknowledged to the client. */
  acked: number;
  stored: Counts;
  rssBefore: number;
  rssAfter: number;
  rssMax: number;
  /** CPU milliseconds the server processes spent per stored incident: steadier than req/s on a shared machine. */
  cpuMsPerRequest: number;
  /** The same for the database server (MariaDB only; null for SQLite, which runs in the server process). */
  dbCpuMsPerRequest: number | null;
  /** Share of the machine's CPU (all cores) busy during the run, whoever used it. */
  machineBusy: number;
  /**
   * Share of it the hypervisor gave to other guests (steal): on a shared host the same code then
   * costs more CPU per request and makes fewer, and a run beside one without steal compares hosts.
   */
  machineSteal: number;
  errorSamples: string[];
  /** An authenticated `{ __typename }` run: nothing stored; CPU is per answered request. */
  noop?: boolean;
  /** A flow's run that used up its prepared subjects: the requests sent after (no-ops, not counted). */
  overrun?: number;
  /** The measured run's span on CLOCK_MONOTONIC (µs), the clock of V8's CPU profiles. */
  window: { fromMicros: number; toMicros: number };
  /** The paired round it ran in (--rounds; 1 without). */
  round: number;
  /** RSS (MB) of the server's processes once a second through the run: [seconds since its start, MB]. */
  rssCurve: Array<[number, number]>;
}

const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/** The authenticated request that writes nothing: what one GraphQL request costs before any work. */
const NOOP_BODY = JSON.stringify({ query: '{ __typename }' });

/** A flow's requests: one prepared subject each, until they run out (then the run stops). */
interface FlowSource {
  next(): string | null;
  /** The mutation's field: in every acknowledged answer. */
  field: string;
}

async function load(
  server: Server,
  token: string | null,
  connections: number,
  seconds: number,
  run: string,
  fixedBody?: string,
  flow?: FlowSource,
): Promise<
  Omit<
    RunResult,
    | 'path'
    | 'what'
    | 'db'
    | 'workers'
    | 'stored'
    | 'rssBefore'
    | 'rssAfter'
    | 'rssMax'
    | 'cpuMsPerRequest'
    | 'dbCpuMsPerRequest'
    | 'machineBusy'
    | 'machineSteal'
    | 'window'
    | 'rssCurve'
    | 'round'
  >
> {
  const builder = new WorkloadBuilder(run, crypto.randomInt(1, 2 ** 31));
  let gqlErrors = 0;
  let acked = 0;
  let overrun = 0;
  let sent = 0;
  // eslint-disable-next-line prefer-const -- assigned once autocannon has started
  let instance: { stop(): void } | undefined;
  const startedAt = Date.now();
  let ranOutAt: number | null = null;
  const next = () => {
    if (fixedBody) return fixedBody;
    if (!flow) return builder.next();
    const body = flow.next();
    if (body !== null) {
      sent++;
      return body;
    }
    // autocannon stops at its next sample (up to a second on): no-ops until then, not counted.
    ranOutAt ??= Date.now();
    instance?.stop();
    return NOOP_BODY;
  };
  const errorSamples = new Set<string>();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const running = autocannon({
    url: `${server.url}/graphql`,
    connections,
    duration: seconds,
    timeout: 30,
    method: 'POST',
    headers,
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        headers,
        setupRequest: (req: Record<string, unknown>) => ({ ...req, body: next() }),
        onResponse: (status: number, body: string) => {
          if (status !== 200) {
            if (errorSamples.size < 5) errorSamples.add(`HTTP ${status}: ${body.slice(0, 200)}`);
            return;
          }
          if (body.includes('"errors"')) {
            gqlErrors++;
            if (errorSamples.size < 5) errorSamples.add(body.slice(0, 300));
          } else if (flow && !fixedBody && !body.includes(`"${flow.field}"`)) overrun++;
          else acked++;
        },
      },
    ],
  });
  instance = running as unknown as { stop(): void };
  const result = await running;
  // A flow's rate is its answered mutations over the time it had subjects to send (the same for both contenders).
  const activeSeconds = ((ranOutAt ?? Date.now()) - startedAt) / 1000;
  const answered = acked + gqlErrors + result.non2xx + result.errors + result.timeouts;
  return {
    connections,
    rps: flow && !fixedBody ? answered / activeSeconds : result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    sent: flow && !fixedBody ? sent : builder.sent,
    overrun,
    non2xx: result.non2xx + result.errors + result.timeouts,
    gqlErrors,
    acked,
    errorSamples: [...errorSamples],
  };
}

/** The paired round in progress (--rounds): measured() stamps each run with it. */
let round = 1;

async function measured(
  what: string,
  workers: number | null,
  server: Server,
  db: BenchDb,
  token: string | null,
  connections: number,
  opts: Options,
  run: string,
  noop = false,
  flow?: { path: Flow; source: FlowSource },
): Promise<RunResult> {
  // A flow counts its history entries (one per acknowledged request); a report its incident, actions and REPORTED row.
  const written = flow && FLOW_SPECS[flow.path].written;
  const counts = async (): Promise<Counts> => {
    if (!written) return db.counts();
    const n = await db.count(written.table, written.kind);
    return { incidents: n, actions: 0, events: n };
  };
  const before = await counts();
  const rssBefore = rssMb(server.child.pid!);
  const cpuBefore = cpuSeconds(server.child.pid!);
  const dbPid = db.kind === 'mariadb' ? databaseServerPid() : null;
  const dbCpuBefore = dbPid ? cpuSeconds(dbPid) : 0;
  const ticksBefore = machineTicks();
  let rssMax = rssBefore;
  const curve: Array<[number, number]> = [];
  const startedAt = Date.now();
  const sampler = setInterval(() => {
    const now = rssMb(server.child.pid!);
    curve.push([(Date.now() - startedAt) / 1000, now]);
    rssMax = Math.max(rssMax, now);
  }, 1000);
  try {
    const fromMicros = monotonicMicros();
    const r = await load(server, token, connections, opts.seconds, run, noop ? NOOP_BODY : undefined, flow?.source);
    const toMicros = monotonicMicros();
    await sleep(200); // answers in flight land
    const after = await counts();
    const rssAfter = rssMb(server.child.pid!);
    const cpu = cpuSeconds(server.child.pid!) - cpuBefore;
    const dbCpu = dbPid ? cpuSeconds(dbPid) - dbCpuBefore : null;
    const ticksAfter = machineTicks();
    const stored = noop ? r.acked : after.incidents - before.incidents;
    return {
      noop,
      ...r,
      window: { fromMicros, toMicros },
      round,
      rssCurve: curve,
      path: flow?.path ?? 'report',
      what,
      db: db.kind,
      workers,
      stored: { incidents: after.incidents - before.incidents, actions: after.actions - before.actions, events: after.events - before.events },
      rssBefore,
      rssAfter,
      rssMax: Math.max(rssMax, rssAfter),
      cpuMsPerRequest: stored ? (cpu * 1000) / stored : 0,
      dbCpuMsPerRequest: dbCpu !== null && stored ? (dbCpu * 1000) / stored : null,
      machineBusy: (ticksAfter.busy - ticksBefore.busy) / Math.max(1, ticksAfter.total - ticksBefore.total),
      machineSteal: (ticksAfter.steal - ticksBefore.steal) / Math.max(1, ticksAfter.total - ticksBefore.total),
    };
  } finally {
    clearInterval(sampler);
  }
}

// ---------------------------------------------------------------- report

function printRow(r: RunResult, ceiling: RunResult | undefined, sameSql?: RunResult) {
  const perIncident = r.stored.incidents && r.path === 'report' ? (r.stored.actions / r.stored.incidents).toFixed(2) : '-';
  const whole = r.stored.events === r.stored.incidents ? '' : ` (events ${r.stored.events}!)`;
  const ratio = ceiling ? `${Math.round((r.rps / ceiling.rps) * 100)}%` : '';
  const cells = [
    r.what.padEnd(34),
    String(r.connections).padStart(5),
    r.rps.toFixed(0).padStart(7),
    r.p50.toFixed(1).padStart(6),
    r.p99.toFixed(1).padStart(6),
    String(r.non2xx).padStart(6),
    String(r.gqlErrors).padStart(6),
    String(r.acked).padStart(7),
    (String(r.stored.incidents) + whole).padStart(7),
    perIncident.padStart(6),
    `${r.rssBefore.toFixed(0)}→${r.rssAfter.toFixed(0)} (max ${r.rssMax.toFixed(0)})`.padStart(20),
    r.cpuMsPerRequest.toFixed(2).padStart(7),
    (r.dbCpuMsPerRequest === null ? '-' : r.dbCpuMsPerRequest.toFixed(2)).padStart(6),
    `${Math.round(r.machineBusy * 100)}%`.padStart(5),
    `${Math.round(r.machineSteal * 100)}%`.padStart(5),
    ratio.padStart(6),
    (sameSql?.rps ? `${Math.round((r.rps / sameSql.rps) * 100)}%` : '').padStart(7),
  ];
  console.log(cells.join(' '));
  if (r.overrun) console.log(`    (its prepared subjects ran out: the run stopped early, ${r.overrun} no-op answers after; more with --subjects)`);
  for (const s of r.errorSamples) console.log(`    e.g. ${s}`);
}

function printHeader() {
  console.log(
    [
      'what'.padEnd(34),
      'conns'.padStart(5),
      'req/s'.padStart(7),
      'p50ms'.padStart(6),
      'p99ms'.padStart(6),
      'non2xx'.padStart(6),
      'gqlErr'.padStart(6),
      'acked'.padStart(7),
      'stored'.padStart(7),
      'act/i'.padStart(6),
      'RSS MB before→after'.padStart(20),
      'cpu/req'.padStart(7),
      'db/req'.padStart(6),
      'busy'.padStart(5),
      'steal'.padStart(5),
      '÷ceil'.padStart(6),
      '÷sameSQL'.padStart(7),
    ].join(' '),
  );
}

// ---------------------------------------------------------------- main

async function benchDatabase(kind: 'mariadb' | 'sqlite', opts: Options, templatesFile: string): Promise<RunResult[]> {
  // Each contender starts from an empty, freshly migrated database of its own: one measured on
  // the tables the runs before it filled would pay for bigger indexes and a colder cache.
  const fresh = async (): Promise<{ db: BenchDb; token: string }> => {
    const db = kind === 'mariadb' ? await mariadb(opts.mariadbUrl) : await sqlite();
    return { db, token: await prepare(db) };
  };
  const contender = async <T>(work: (db: BenchDb, token: string) => Promise<T>): Promise<T> => {
    const { db, token } = await fresh();
    try {
      return await work(db, token);
    } finally {
      await db.drop();
    }
  };
  const results: RunResult[] = [];
  const { label, outbox } = await contender(async (db) => ({ label: db.label, outbox: await db.hasTable('webhook_outbox') }));
  console.log(`\n## ${label}`);
  console.log(
    `transaction of the ceiling: START, INSERT incident, INSERT actions (one statement), INSERT history${outbox ? ', INSERT webhook outbox (as the service)' : ''}, upsert of the statistics rollup, COMMIT; every contender on a fresh database`,
  );
  printHeader();
  const ceilings = new Map<number, RunResult>();
  const noopConnections = opts.connections.includes(TARGET_CONNECTIONS) ? TARGET_CONNECTIONS : opts.connections[opts.connections.length - 1];

  for (round = 1; round <= opts.rounds; round++) {
    if (opts.rounds > 1) console.log(`round ${round} of ${opts.rounds}`);
    await reportRound(round === 1);
  }
  return results;

  /** One round: the ceilings (the plain one and the no-ops in the first round only), then the service. */
  async function reportRound(first: boolean): Promise<void> {
    const sameSql = new Map<number, RunResult>();
    // (a) the ceiling: bare node:http + the driver, same writes, same transaction shape;
    // (a') the same plus the service's reads (key lookup, repeat count, the notification channel check): the same SQL as the
    //      service, so its ratio shows what GraphQL, auth and rules cost on top of the database.
    for (const reads of opts.serviceOnly ? [] : (opts.stagesPass && opts.stages) || !first ? [true] : [false, true]) {
      await contender(async (db, token) => {
        const port = await freePort();
        const profileName = `ceiling${reads ? '-reads' : ''}-${kind}.${process.pid}.cpuprofile`;
        const profile = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`, `--cpu-prof-name=${profileName}`] : [];
        const runs: RunResult[] = [];
        const server = await startProcess(
          [...profile, CEILING],
          {
            CEILING_DB: db.url,
            CEILING_TEMPLATES: templatesFile,
            PORT: String(port),
            CEILING_POOL: String(poolOf(db.url)),
            CEILING_OUTBOX: outbox ? '1' : '0',
            CEILING_READS: reads ? '1' : '0',
          },
          port,
        );
        try {
          await waitReady(server, '/healthz', 1);
          await load(server, reads ? token : null, 8, opts.warmupSeconds, `cw${crypto.randomBytes(2).toString('hex')}`);
          for (const c of opts.connections) {
            const driver = kind === 'mariadb' ? 'mysql2' : 'better-sqlite3';
            const r = await measured(
              reads ? `ceiling + the service's reads` : `ceiling: node:http + ${driver}`,
              null,
              server,
              db,
              reads ? token : null,
              c,
              opts,
              `c${reads ? 'r' : ''}${c}-${crypto.randomBytes(2).toString('hex')}`,
            );
            (reads ? sameSql : ceilings).set(c, r);
            results.push(r);
            runs.push(r);
            printRow(r, reads ? ceilings.get(c) : undefined);
          }
          if (reads && first && !(opts.stagesPass && opts.stages)) {
            const r = await measured(
              'bare: authenticated no-op',
              null,
              server,
              db,
              token,
              noopConnections,
              opts,
              `cn-${crypto.randomBytes(2).toString('hex')}`,
              true,
            );
            results.push(r);
            runs.push(r);
            printRow(r, undefined);
          }
        } finally {
          await stopProcess(server);
        }
        if (opts.stages && reads) printRunStages(path.join(opts.profileDir!, profileName), runs);
      });
    }

    // (b) the service: `triage serve`, rules included
    for (const workers of opts.workers) {
      if (workers > 1 && kind === 'sqlite') {
        console.log(`service WORKERS=${workers}: not run (several processes need MySQL/MariaDB; SQLite has one writer)`);
        continue;
      }
      await contender(async (db, token) => {
        const port = await freePort();
        const profileName = `service-${kind}-w${workers}.${process.pid}.cpuprofile`;
        const profile = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`, `--cpu-prof-name=${profileName}`] : [];
        const runs: RunResult[] = [];
        const server = await startProcess([...profile, CLI, 'serve'], serviceEnvironment(db.url, port, workers, opts), port);
        try {
          await waitReady(server, '/readyz', workers > 1 ? workers + 1 : 1);
          await load(server, token, 8, opts.warmupSeconds, `sw${workers}-${crypto.randomBytes(2).toString('hex')}`);
          for (const c of opts.connections) {
            const r = await measured(
              `service WORKERS=${workers}`,
              workers,
              server,
              db,
              token,
              c,
              opts,
              `s${workers}-${c}-${crypto.randomBytes(2).toString('hex')}`,
            );
            results.push(r);
            runs.push(r);
            printRow(r, ceilings.get(c), sameSql.get(c));
            if (opts.rssCurve) printRssCurve(r);
          }
          if (workers === 1 && first && !opts.serviceOnly && !(opts.stagesPass && opts.stages)) {
            const r = await measured(
              'service: authenticated { __typename }',
              workers,
              server,
              db,
              token,
              noopConnections,
              opts,
              `sn-${crypto.randomBytes(2).toString('hex')}`,
              true,
            );
            results.push(r);
            runs.push(r);
            printRow(r, undefined);
          }
        } catch (e) {
          console.log(`  service WORKERS=${workers} failed: ${(e as Error).message}`);
        } finally {
          await stopProcess(server);
        }
        if (opts.stages && workers === 1) printRunStages(path.join(opts.profileDir!, profileName), runs);
      });
    }
  }
}

// ---------------------------------------------------------------- the flows

/** Subjects prepared per contender by default: enough for every request at this rate (req/s; the ceilings' highest seen, with room). */
const FLOW_RATE_CAP = { sqlite: 6000, mariadb: 1600 };
/** Subjects prepared through the service itself; the rest are copies of their rows (support/subject-copies.ts). */
const PROTOTYPES = 64;
/** Never copied: not a subject's rows (keys, migrations, rule sets) or aggregates the copies would not change the measured work on. */
const NOT_SUBJECT_ROWS = new Set(['migrations', 'api_keys', 'rule_set_versions', 'incident_rollups', 'refund_rollups', 'typeorm_metadata']);
const SUBJECT_TABLE: Record<Flow, string> = { amend: 'incidents', complete: 'incidents', refund: 'refunds', remedy: 'remedies' };

/** A MariaDB URL naming a sibling database (the prepared subjects' own). */
function siblingUrl(url: string, suffix: string): string {
  const u = new URL(url);
  u.pathname = `${u.pathname}${suffix}`;
  return u.toString();
}

/** One API key per role the flows use (the INTEGRATION one reports for the bench's source). */
async function prepareKeys(db: BenchDb): Promise<Record<string, string>> {
  const ds = createDataSource(parseDatabaseUrl(db.url));
  await ds.initialize();
  try {
    await migrate(ds);
    const keys: Record<string, string> = {};
    const service = new ApiKeyService(ds, systemClock);
    for (const role of FLOW_ROLES) keys[role] = (await service.create(`bench-${role.toLowerCase()}`, [role], role === 'INTEGRATION' ? SOURCE : null)).key;
    return keys;
  } finally {
    await ds.destroy();
  }
}

/** `count` subjects prepared through the service's own GraphQL (a `triage serve` of its own, background work off), 8 at a time. */
async function seedThroughService(db: BenchDb, keys: Record<string, string>, flow: Flow, count: number): Promise<Subject[]> {
  const port = await freePort();
  const server = await startProcess(
    [CLI, 'serve'],
    {
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      WORKERS: '1',
      RULES_DIR,
      NODE_ENV: 'production',
      ESCALATION_INTERVAL_MS: '0',
      WEBHOOK_INTERVAL_MS: '0',
    },
    port,
  );
  try {
    await waitReady(server, '/readyz', 1);
    const gql = async (key: string, query: string, variables: Record<string, unknown>) => {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
      if (body.errors || !body.data) throw new Error(`preparing ${flow}: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    const subjects: Subject[] = new Array(count);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let n = next++; n < count; n = next++) subjects[n] = await FLOW_SPECS[flow].seed(gql, keys, n);
      }),
    );
    return subjects;
  } finally {
    await stopProcess(server);
  }
}

/**
 * One flow on one database: its subjects prepared once (through the service, then copied), then
 * the same-SQL ceiling and the service, each on its own exact copy of that database, each
 * request on the next subject (both contenders take them in the same order).
 */
async function benchFlow(kind: 'mariadb' | 'sqlite', flow: Flow, opts: Options): Promise<RunResult[]> {
  const spec = FLOW_SPECS[flow];
  const make = (suffix: string) => (kind === 'mariadb' ? mariadb(suffix ? siblingUrl(opts.mariadbUrl, suffix) : opts.mariadbUrl) : sqlite());
  const results: RunResult[] = [];
  const seeded = await make('_seed');
  try {
    const keys = await prepareKeys(seeded);
    const needed = opts.subjects ?? Math.ceil((opts.warmupSeconds + opts.seconds * opts.connections.length) * FLOW_RATE_CAP[kind]);
    const started = Date.now();
    let subjects = await seedThroughService(seeded, keys, flow, Math.min(PROTOTYPES, needed));
    const nonEmpty: string[] = [];
    const tables =
      kind === 'sqlite'
        ? (await seeded.run("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")).map((r) => String(r.name))
        : (await seeded.run("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'")).map(
            (r) => String(r.name),
          );
    for (const t of tables)
      if (!NOT_SUBJECT_ROWS.has(t) && (await seeded.run(`SELECT 1 AS x FROM ${kind === 'sqlite' ? `"${t}"` : `\`${t}\``} LIMIT 1`)).length) nonEmpty.push(t);
    const rounds = Math.max(0, Math.ceil(Math.log2(needed / subjects.length)));
    for (const offset of await doubleRows(kind === 'sqlite' ? 'sqlite' : 'mysql', seeded.run, nonEmpty, rounds, SUBJECT_TABLE[flow]))
      subjects = [...subjects, ...subjects.map((s) => ({ ...s, id: String(Number(s.id) + offset) }))];
    console.log(`\n## ${spec.field}: ${seeded.label.replace(/_seed|\(|\)/g, '')}`);
    console.log(
      `${subjects.length} subjects per contender (${Math.min(PROTOTYPES, needed)} through the service, then copies of ${nonEmpty.join(', ')}; ${((Date.now() - started) / 1000).toFixed(0)} s); rows counted: ${spec.written.table} ${spec.written.kind}`,
    );
    console.log(`the ceiling sends: key lookup; ${spec.ceiling}`);
    printHeader();
    const driver = kind === 'mariadb' ? 'mysql2' : 'better-sqlite3';
    const contenders: Array<number | null> = [null, ...opts.workers.filter((w) => w === 1 || kind === 'mariadb')];
    /**
     * One contender on its own copy of the seeded database; with `profileDir`, its process is
     * profiled and its split printed after it stops; an `extra` run (the profiled pass) is not judged.
     */
    const contender = async (workers: number | null, connections: number[], profileDir: string | null, extra = false): Promise<void> => {
      const db = await make('');
      let cursor = 0;
      const source: FlowSource = { field: spec.field, next: () => (cursor < subjects.length ? spec.body(subjects[cursor++]) : null) };
      const profileName = `${flow}-${workers === null ? 'ceiling' : `service-w${workers}`}-${kind}.${process.pid}.cpuprofile`;
      const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${profileName}`] : [];
      const runs: RunResult[] = [];
      try {
        await seeded.copyTo(db);
        const port = await freePort();
        const server =
          workers === null
            ? await startProcess(
                [...profile, FLOW_CEILING],
                { CEILING_DB: db.url, CEILING_FLOW: flow, PORT: String(port), CEILING_POOL: String(poolOf(db.url)) },
                port,
              )
            : await startProcess([...profile, CLI, 'serve'], serviceEnvironment(db.url, port, workers, opts), port);
        try {
          await waitReady(server, workers === null ? '/healthz' : '/readyz', workers !== null && workers > 1 ? workers + 1 : 1);
          const what = workers === null ? `same-SQL ceiling (${driver})` : `service WORKERS=${workers}`;
          const tag = `${flow}-${workers ?? 'c'}-${crypto.randomBytes(2).toString('hex')}`;
          await load(server, keys[spec.role], 8, opts.warmupSeconds, tag, undefined, source);
          for (const c of connections) {
            const r = await measured(what, workers, server, db, keys[spec.role], c, opts, `${tag}-${c}`, false, { path: flow, source });
            runs.push(r);
            if (extra) {
              printRow(r, undefined);
              continue;
            }
            results.push(r);
            const sameSql = results.find((x) => x.workers === null && x.connections === c && x.round === r.round);
            printRow(r, undefined, workers === null ? undefined : sameSql);
            if (opts.rssCurve && workers !== null) printRssCurve(r);
          }
        } finally {
          await stopProcess(server);
        }
        if (profileDir) printRunStages(path.join(profileDir, profileName), runs);
      } catch (e) {
        console.log(`  ${flow} ${workers === null ? 'ceiling' : `service WORKERS=${workers}`} failed: ${(e as Error).message}`);
      } finally {
        await db.drop();
      }
    };
    for (round = 1; round <= opts.rounds; round++) {
      if (opts.rounds > 1) console.log(`round ${round} of ${opts.rounds}`);
      for (const workers of opts.serviceOnly ? contenders.slice(1) : contenders)
        await contender(workers, opts.connections, opts.stages ? opts.profileDir : null);
    }
    if (opts.stagesPass && !opts.serviceOnly) {
      // Not judged: profiling slows what it measures. The split is what it is for.
      console.log(`\n### ${spec.field}: where the CPU goes, by stage (one more run of each at ${TARGET_CONNECTIONS} connections, profiled)`);
      const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-bench-prof-'));
      try {
        for (const workers of [null, 1]) await contender(workers, [TARGET_CONNECTIONS], profileDir, true);
      } finally {
        fs.rmSync(profileDir, { recursive: true, force: true });
      }
    }
  } finally {
    await seeded.drop();
  }
  return results;
}

/**
 * RSS "flat": the median RSS of the run's last fifth within this share of the median of its
 * second fifth (the first is warm-up: the heap grows to its working size under load). Medians,
 * because RSS saws up and down with V8's major collections, which is not growth.
 */
const RSS_CURVE_FLAT = 0.1;

function rssFlatness(r: RunResult): { base: number; end: number; max: number; min: number; growth: number } | null {
  const total = r.rssCurve.length ? r.rssCurve[r.rssCurve.length - 1][0] : 0;
  const median = (from: number, to: number) => {
    const v = r.rssCurve
      .filter(([t]) => t >= from * total && t <= to * total)
      .map(([, mb]) => mb)
      .sort((a, b) => a - b);
    return v.length ? v[Math.floor(v.length / 2)] : NaN;
  };
  const base = median(0.2, 0.4);
  const end = median(0.8, 1);
  if (!Number.isFinite(base) || !Number.isFinite(end)) return null;
  const settled = r.rssCurve.filter(([t]) => t >= 0.2 * total).map(([, mb]) => mb);
  return { base, end, max: Math.max(...settled), min: Math.min(...settled), growth: end / base - 1 };
}

/** The RSS curve of a run, about 20 points, and whether it stayed flat. */
function printRssCurve(r: RunResult) {
  if (!r.rssCurve.length) return;
  const step = Math.max(1, Math.round(r.rssCurve.length / 20));
  const points = r.rssCurve.filter((_, i) => i % step === 0 || i === r.rssCurve.length - 1);
  console.log(`    RSS MB over the run (s:MB): ${points.map(([t, v]) => `${t.toFixed(0)}:${v.toFixed(0)}`).join(' ')}`);
  const flat = rssFlatness(r);
  if (flat)
    console.log(
      `    RSS median ${flat.base.toFixed(0)} MB over the run's second fifth, ${flat.end.toFixed(0)} MB over its last: ${(flat.growth * 100).toFixed(1)}% (target ≤ ${RSS_CURVE_FLAT * 100}%): ${flat.growth <= RSS_CURVE_FLAT ? 'met' : 'MISSED'} (after the first fifth between ${flat.min.toFixed(0)} and ${flat.max.toFixed(0)} MB as collections come and go)`,
    );
}

/** Each measured run's CPU per request by stage, from the profile its process wrote on exit. */
function printRunStages(file: string, runs: RunResult[]) {
  if (!fs.existsSync(file)) {
    console.log(`    (no CPU profile at ${file})`);
    return;
  }
  const profile = readProfile(file);
  for (const r of runs) {
    const requests = r.noop ? r.acked : r.stored.incidents;
    console.log(`  ${r.what} @ ${r.connections} (profiled, so slower than the row above; read the split):`);
    printStages(stagesOf(profile, r.window), requests, '    ');
  }
}

function poolOf(url: string): number {
  const cfg = parseDatabaseUrl(url);
  return cfg.kind === 'mysql' ? cfg.poolSize : 1;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  for (const f of [CLI, CEILING, FLOW_CEILING]) if (!fs.existsSync(f)) throw new Error(`${f} is missing: run npm run build first`);
  console.log(
    `# Write path: ${opts.paths.map((p) => (p === 'report' ? 'reportIncident' : FLOW_SPECS[p].field)).join(', ')} end to end vs. the bare node:http + driver ceiling sending the same SQL`,
  );
  console.log(
    `${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )}; node ${process.version}; ${opts.seconds} s per run after ${opts.warmupSeconds} s warm-up; ${TEMPLATES.length} report templates, 80% naming a customer`,
  );
  console.log(
    "req/s = mean; non2xx includes socket errors and timeouts; acked = HTTP 200 without GraphQL errors; stored = incidents in the database (events must equal it; for the other mutations, their history rows); act/i = action rows per incident; cpu/req = CPU ms of the server process(es) per stored incident; db/req = the same for mariadbd; busy = the whole machine's CPU in use during the run; steal = the part of it the hypervisor gave to other guests (above a few %, the host is shared and the run compares badly with one beside it)",
  );
  if (Object.keys(opts.serviceEnv).length)
    console.log(
      `service environment: ${Object.entries(opts.serviceEnv)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
  const templatesFile = path.join(os.tmpdir(), `triage-bench-templates-${process.pid}.json`);
  fs.writeFileSync(templatesFile, JSON.stringify(await ceilingTemplates()));
  const all: RunResult[] = [];
  try {
    for (const kind of opts.dbs) {
      if (opts.paths.includes('report')) all.push(...(await benchDatabase(kind, opts, templatesFile)));
      for (const flow of FLOWS) if (opts.paths.includes(flow)) all.push(...(await benchFlow(kind, flow, opts)));
      if (opts.stagesPass && !opts.serviceOnly && opts.paths.includes('report')) {
        // Not judged: profiling slows what it measures. The split is what it is for.
        console.log(`\n### ${kind}: where the CPU goes, by stage (one more run of each at ${TARGET_CONNECTIONS} connections, profiled)`);
        const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-bench-prof-'));
        try {
          await benchDatabase(kind, { ...opts, stages: true, profileDir, connections: [TARGET_CONNECTIONS], workers: [1], rounds: 1 }, templatesFile);
        } finally {
          fs.rmSync(profileDir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    fs.rmSync(templatesFile, { force: true });
    // A profile directory the bench made itself (--stages without --profile) goes too.
    if (opts.stages && opts.profileDir && !process.argv.includes('--profile')) fs.rmSync(opts.profileDir, { recursive: true, force: true });
  }
  const lost = all.filter((r) => !r.noop && (r.acked > r.stored.incidents || r.stored.events !== r.stored.incidents));
  console.log(
    `\nload average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (lost.length) {
    console.log(
      `PROBLEM: ${lost.map((r) => `${r.what}@${r.connections}`).join(', ')} acknowledged more than stored, or stored incidents without their history`,
    );
    process.exitCode = 1;
  }
  const missed = opts.quick ? [] : judge(all, opts);
  if (missed.length) process.exitCode = 1;
}

/** At least this share of the same-SQL ceiling's req/s (the ceiling sending the service's reads too). */
const TARGET_RATIO = 0.85;
/** p99 at most this multiple of the same-SQL ceiling's p99 at the same connections. */
const TARGET_P99_RATIO = 1.5;
/** Judged at each of these (when measured); the no-op runs use the last that is. */
const TARGET_CONNECTIONS_ALL = [8, 32];
const TARGET_CONNECTIONS = 32;
/** Steal above this share of the machine during a judged run is pointed out beside the judgement. */
const STEAL_NOTED = 0.05;
/** RSS "flat": the service grows by at most this much from the end of its first run to the end of its last. */
const RSS_GROWTH = 0.1;
/** …judged only when each run lasts at least this long (--seconds). */
const RSS_JUDGED_SECONDS = 60;

/**
 * The write-path targets, per database and connection count, for the best WORKERS setting
 * measured: at least 85% of the same-SQL ceiling's throughput (its reads included), p99 at
 * most 1.5× that ceiling's, no errors, no lost or partial incident, and RSS flat. Prints each
 * with its figure; returns the missed ones.
 */
function judge(all: RunResult[], opts: Options): string[] {
  const missed: string[] = [];
  console.log(`\n## Targets (against the ceiling sending the service's SQL, its reads included; the best WORKERS setting counts)`);
  for (const db of opts.dbs)
    for (const p of opts.paths) {
      const inPath = all.filter((r) => r.db === db && r.path === p);
      // reportIncident keeps its name-less lines; each flow says which mutation.
      const name = p === 'report' ? db : `${db} ${FLOW_SPECS[p].field}`;
      missed.push(...judgePath(name, db, p, inPath, all, opts));
    }
  return missed;
}

function judgePath(name: string, db: 'mariadb' | 'sqlite', p: BenchPath, inPath: RunResult[], all: RunResult[], opts: Options): string[] {
  const missed: string[] = [];
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const services = inPath.filter((r) => r.workers !== null && !r.noop);
  for (const c of TARGET_CONNECTIONS_ALL.filter((n) => opts.connections.includes(n))) {
    const ceilings = inPath.filter((r) => r.workers === null && !r.noop && r.connections === c);
    // reportIncident has a plain ceiling (its writes only) beside the same-SQL one; a flow has the same-SQL one only.
    const ceiling = p === 'report' ? ceilings.find((r) => !r.what.startsWith('ceiling +')) : undefined;
    const sameSqls = p === 'report' ? ceilings.filter((r) => r.what.startsWith('ceiling +')) : ceilings;
    const at = services.filter((r) => r.connections === c);
    const judged = pairedRounds(at, sameSqls);
    if (!judged) {
      console.log(`${name} @ ${c}: not judged (no same-SQL ceiling or service run)`);
      continue;
    }
    const { best, sameSql, ratio, p99Ratio, rounds } = judged;
    if (sameSqls.some((r) => !r.acked)) {
      // Nothing to compare with (amendIncident at 32 connections on MariaDB: its transactions wait for a second pooled connection).
      const text = `not judged: the same-SQL ceiling answered nothing in ${opts.seconds} s`;
      console.log(`${name} @ ${c}: ${text}: MISSED`);
      missed.push(`${name} @ ${c}: ${text}`);
      continue;
    }
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    const paired =
      rounds.length > 1
        ? {
            ratio: `the median of ${rounds.length} paired rounds: ${rounds.map((x) => pct(x.ratio)).join(', ')}; in the median round `,
            p99: `the median of ${rounds.map((x) => `${x.p99Ratio.toFixed(2)}×`).join(', ')}; in the median round `,
          }
        : { ratio: '', p99: '' };
    const checks: Array<[string, boolean]> = [
      [
        `throughput ${pct(ratio)} of the same-SQL ceiling with WORKERS=${best.workers} (${paired.ratio}${best.rps.toFixed(0)} against ${sameSql.rps.toFixed(0)} req/s; target ≥ ${TARGET_RATIO * 100}%)`,
        ratio >= TARGET_RATIO,
      ],
      [
        `p99 ${p99Ratio.toFixed(2)}× the same-SQL ceiling's (${paired.p99}${best.p99.toFixed(0)} against ${sameSql.p99.toFixed(0)} ms; target ≤ ${TARGET_P99_RATIO}×)`,
        p99Ratio <= TARGET_P99_RATIO,
      ],
    ];
    for (const [text, ok] of checks) {
      console.log(`${name} @ ${c}: ${text}: ${mark(ok)}`);
      if (!ok) missed.push(`${name} @ ${c}: ${text}`);
    }
    if (ceiling) {
      console.log(
        `${name} @ ${c}: (for reading the above) the same-SQL ceiling reaches ${Math.round((sameSql.rps / ceiling.rps) * 100)}% of the plain ceiling (no reads); the service ${Math.round((best.rps / ceiling.rps) * 100)}%`,
      );
    }
    const shared = rounds.flatMap((x) => [x.service, x.sameSql]).filter((r) => r.machineSteal > STEAL_NOTED);
    if (shared.length) {
      const most = Math.max(...shared.map((r) => r.machineSteal));
      console.log(
        `${name} @ ${c}: (for reading the above) ${shared.length} of the ${rounds.length * 2} runs compared lost more than ${STEAL_NOTED * 100}% of the machine to other guests (steal up to ${Math.round(most * 100)}%): a shared host, whose speed changes between runs; more --rounds, or another hour`,
      );
    }
    if (c === TARGET_CONNECTIONS) printBound(db, name, p, all, sameSql, best);
  }
  if (!services.length) return missed;
  const errors = services.reduce((n, r) => n + r.non2xx + r.gqlErrors, 0);
  const growth = Math.max(
    ...[...new Set(services.map((r) => r.workers))].map((w) => {
      const runs = services.filter((r) => r.workers === w && r.round === 1);
      // From the end of the first measured run (the heap has grown to its working size under
      // load) to the end of the last, in one process (the first round's): growth there is what a leak would show.
      return runs[runs.length - 1].rssAfter / runs[0].rssAfter - 1;
    }),
  );
  const checks: Array<[string, boolean]> = [[`errors ${errors} (target 0)`, errors === 0]];
  // The memory target is reportIncident's: a flow's service runs twice in a fresh process, its heap still growing to size.
  // Judged on runs of a minute or more: after two runs of a few seconds the heap and V8's code are still growing to their
  // working size (18–19% from the 8- to the 32-connection run), which says nothing of a leak; the --rss-curve run does.
  const growthText = `RSS growth from the end of the first run to the end of the last ${(growth * 100).toFixed(0)}%`;
  if (p === 'report' && opts.seconds >= RSS_JUDGED_SECONDS) checks.push([`${growthText} (target ≤ ${RSS_GROWTH * 100}%)`, growth <= RSS_GROWTH]);
  else if (p === 'report') console.log(`${name}: ${growthText} (not judged: runs under ${RSS_JUDGED_SECONDS} s; the memory target is the --rss-curve run)`);
  if (opts.rssCurve)
    for (const r of services) {
      const flat = rssFlatness(r);
      if (flat)
        checks.push([
          `RSS of the ${r.connections}-connection run (WORKERS=${r.workers}), median of its last fifth against its second: ${flat.base.toFixed(0)} → ${flat.end.toFixed(0)} MB, ${(flat.growth * 100).toFixed(1)}% (target ≤ ${RSS_CURVE_FLAT * 100}%)`,
          flat.growth <= RSS_CURVE_FLAT,
        ]);
    }
  for (const [text, ok] of checks) {
    console.log(`${name}: ${text}: ${mark(ok)}`);
    if (!ok) missed.push(`${name}: ${text}`);
  }
  return missed;
}

/** One round's service run against the same-SQL ceiling of its round. */
interface RoundPair {
  service: RunResult;
  sameSql: RunResult;
  ratio: number;
  p99Ratio: number;
}

/**
 * The median of `values`; for an even count, the worse of the two middle ones (the lower where
 * higher is better, the higher where lower is): never flattering.
 */
function median(values: number[], higherIsBetter: boolean): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[higherIsBetter ? Math.floor((sorted.length - 1) / 2) : Math.ceil((sorted.length - 1) / 2)];
}

/**
 * The judged comparison at one connection count: each service run against the same-SQL ceiling
 * measured in its round (--rounds; one round without), per WORKERS setting the median of the
 * rounds' ratios, the best setting counting. `best` and `sameSql` are the median round's runs
 * (for the figures and the bound); null when there is no pair to judge.
 */
function pairedRounds(
  services: RunResult[],
  sameSqls: RunResult[],
): { best: RunResult; sameSql: RunResult; ratio: number; p99Ratio: number; rounds: RoundPair[] } | null {
  let chosen: { best: RunResult; sameSql: RunResult; ratio: number; p99Ratio: number; rounds: RoundPair[] } | null = null;
  for (const workers of new Set(services.map((r) => r.workers))) {
    const rounds: RoundPair[] = services
      .filter((r) => r.workers === workers)
      .flatMap((service) => {
        const sameSql = sameSqls.find((b) => b.round === service.round);
        return sameSql ? [{ service, sameSql, ratio: service.rps / sameSql.rps, p99Ratio: service.p99 / sameSql.p99 }] : [];
      });
    if (!rounds.length) continue;
    const ratio = median(
      rounds.map((x) => x.ratio),
      true,
    );
    const middle = rounds.find((x) => x.ratio === ratio)!;
    const p99Ratio = median(
      rounds.map((x) => x.p99Ratio),
      false,
    );
    if (!chosen || ratio > chosen.ratio) chosen = { best: middle.service, sameSql: middle.sameSql, ratio, p99Ratio, rounds };
  }
  return chosen;
}

/**
 * How far the ratio target is from what this machine allows, from the CPU each contender spent
 * per request — steadier than req/s on a shared machine. The scarce resource is the whole
 * machine on MariaDB (the database shares the cores) and the one Node thread on SQLite. The
 * cost of one authenticated GraphQL request that does nothing (`{ __typename }`) over the bare
 * server's key lookup is paid by every report on top of its SQL: with it, no report — however
 * cheap its validation, rules and answer — can cost less than `sameSql + (noop − bare)`.
 */
function printBound(db: 'mariadb' | 'sqlite', name: string, p: BenchPath, all: RunResult[], sameSql: RunResult, best: RunResult) {
  // The no-ops are measured beside reportIncident (--paths report): the same cost before any mutation's work.
  const bare = all.find((r) => r.db === db && r.noop && r.workers === null);
  const noop = all.find((r) => r.db === db && r.noop && r.workers !== null);
  if (!bare || !noop) return;
  const cost = (r: RunResult) => r.cpuMsPerRequest + (db === 'mariadb' ? (r.dbCpuMsPerRequest ?? 0) : 0);
  const what = db === 'mariadb' ? 'machine CPU ms (server + mariadbd)' : 'CPU ms of the Node thread';
  const budget = cost(sameSql) / TARGET_RATIO;
  const framework = Math.max(0, cost(noop) - cost(bare));
  const floor = cost(sameSql) + framework;
  const f = (n: number) => n.toFixed(2);
  const noun = p === 'report' ? 'report' : 'request';
  const work = p === 'report' ? 'validation, rules, the outbox event and the answer' : 'validation, the state machine, history, events and the answer';
  console.log(
    `${name}: (bound) per ${noun}, in ${what}: the same-SQL ceiling ${f(cost(sameSql))}, so ${TARGET_RATIO * 100}% of it allows ${f(budget)} (${f(budget - cost(sameSql))} beyond its SQL); ` +
      `an authenticated { __typename } costs the service ${f(framework)} more than the bare server's key lookup alone; ` +
      `so a ${noun} can cost no less than ${f(floor)}: at most ${Math.round((cost(sameSql) / floor) * 100)}% before ${work} ` +
      `(the service: ${f(cost(best))}, ${Math.round((cost(sameSql) / cost(best)) * 100)}% by CPU; ${f(cost(best) - cost(sameSql))} beyond its SQL)`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
