/**
 * The ceiling of the write path: a bare node:http server doing the same writes as
 * `reportIncident` in the same transaction shape — the incident row, its action rows (one
 * multi-row INSERT), the REPORTED history row and, when the schema has the webhooks outbox
 * (the service writes an `incident.reported` event in the same transaction), its outbox row,
 * and the complaint statistics' rollup upsert (the incident's business periods, channel and
 * repeat count go into its row) — with mysql2 or better-sqlite3 directly. No GraphQL, no rules: the decision of each template was
 * made once by the driver and arrives in CEILING_TEMPLATES. No auth either, unless
 * CEILING_READS=1 adds the service's reads (see readsOf).
 *
 * Run by write-path.bench.ts as a child process:
 *   CEILING_DB=mariadb://root@127.0.0.1:3306/triage_bench | sqlite:/tmp/x.sqlite
 *   CEILING_TEMPLATES=/tmp/templates.json  PORT=…  [CEILING_POOL=10]
 * Prints `listening <port>` once it serves.
 */
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import type Database from 'better-sqlite3';
import { businessPeriods } from '../src/incidents/business-periods';
import { AUTHENTICATE_SQL } from '../src/auth/auth.statements';
import { REPEAT_INCIDENTS_SQL } from '../src/incidents/incident.statements';
import { ANY_ACTIVE_CHANNEL } from '../src/people/people.statements';
import { incidentRollupUpsert } from '../src/reports/reports.statements';
import { OUTBOX_INSERT } from '../src/webhooks/webhook.statements';
import { templateOf } from './write-path.workload';
import { ceilingPool, ceilingSqlite } from './support/ceiling-db';

/** One template's decision, as the service would store it (times as offsets from the report). */
export interface CeilingTemplate {
  severity: string;
  ownerDepartment: string;
  policeReportRequired: boolean;
  ruleSetVersion: string;
  acknowledgeByMs: number | null;
  resolveByMs: number | null;
  /** The stored decision JSON (as the service writes it). */
  decision: string;
  actions: Array<{ code: string; dueMs: number | null; retainMs: number | null }>;
}

interface Row {
  incident: unknown[];
  actions: (id: number) => unknown[][];
  event: (id: number) => unknown[];
  outbox: (id: number) => unknown[];
  /** The incident_rollups cell and amounts the report adds. */
  rollup: unknown[];
}

const INCIDENT_COLUMNS = [
  'source',
  'external_ref',
  'input_hash',
  'category',
  'subtype',
  'status',
  'severity',
  'owner_department',
  'police_report_required',
  'amount_fen',
  'report',
  'customer_id',
  'customer_phone',
  'order_no',
  'occurred_at',
  'reported_at',
  'acknowledge_by',
  'resolve_by',
  'acknowledged_at',
  'resolved_at',
  'drill',
  'rule_set_version',
  'decision',
  'satisfaction_score',
  'satisfaction_comment',
  'version',
  'updated_at',
  'business_month',
  'business_week',
  'business_day',
  'channel',
  'repeat_incidents_30d',
];
const ACTION_COLUMNS = ['incident_id', 'code', 'position', 'due_at', 'retain_until', 'done', 'done_at', 'done_by', 'note'];
const EVENT_COLUMNS = ['incident_id', 'at', 'actor', 'kind', 'from_status', 'to_status', 'note', 'detail'];
const marks = (n: number) => `(${Array(n).fill('?').join(', ')})`;
const INSERT_INCIDENT = `INSERT INTO incidents (${INCIDENT_COLUMNS.join(', ')}) VALUES ${marks(INCIDENT_COLUMNS.length)}`;
const INSERT_EVENT = `INSERT INTO incident_events (${EVENT_COLUMNS.join(', ')}) VALUES ${marks(EVENT_COLUMNS.length)}`;
// The service's own statements, not copies: the ceiling sends the same text.
const INSERT_OUTBOX = OUTBOX_INSERT;

/** Per template, its decision for each repeat count (the last also for every count past it). */
const templates: CeilingTemplate[][] = JSON.parse(fs.readFileSync(process.env.CEILING_TEMPLATES!, 'utf8'));
const dbUrl = process.env.CEILING_DB!;
const sqlite = dbUrl.startsWith('sqlite:');
/** SQLite keeps datetimes as TypeORM writes them: 'YYYY-MM-DD HH:MM:SS.mmm' in UTC. */
const time = (d: Date | null) => (d === null ? null : sqlite ? d.toISOString().replace('T', ' ').replace('Z', '') : d);
const bool = (b: boolean) => (b ? 1 : 0);
const ZONE = { timeZone: 'Asia/Shanghai' };

function rowOf(input: Record<string, any>, repeats: number): Row {
  const byCount = templates[templateOf(String(input.externalRef))];
  const t = byCount[Math.min(repeats, byCount.length - 1)];
  const now = new Date();
  // The service's own helper (remembered per quarter hour): a bare server would not redo zone math per request either.
  const periods = businessPeriods(ZONE, now);
  const month = periods.businessMonth;
  const at = (ms: number | null) => time(ms === null ? null : new Date(now.getTime() + ms));
  const inputHash = crypto.createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const amountFen = typeof input.amount === 'string' ? String(Math.round(Number(input.amount) * 100)) : null;
  return {
    incident: [
      input.source,
      input.externalRef,
      inputHash,
      input.category,
      input.subtype ?? null,
      'OPEN',
      t.severity,
      t.ownerDepartment,
      bool(t.policeReportRequired),
      amountFen,
      JSON.stringify(input),
      input.customer?.id ?? null,
      input.customer?.phone ?? null,
      input.orderNo ?? null,
      null,
      time(now),
      at(t.acknowledgeByMs),
      at(t.resolveByMs),
      null,
      null,
      0,
      t.ruleSetVersion,
      t.decision,
      null,
      null,
      1,
      time(now),
      month,
      periods.businessWeek,
      periods.businessDay,
      input.channel ?? null,
      repeats,
    ],
    rollup: [
      month,
      0,
      input.category,
      input.subtype ?? '',
      t.severity,
      t.ownerDepartment,
      input.source,
      input.channel ?? '',
      'OPEN',
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      repeats >= 3 ? 1 : 0,
      amountFen ?? '0',
    ],
    actions: (id) => t.actions.map((a, position) => [id, a.code, position, at(a.dueMs), at(a.retainMs), 0, null, null, null]),
    event: (id) => [id, time(now), 'bench-erp', 'REPORTED', null, 'OPEN', null, JSON.stringify({ severity: t.severity, ruleSetVersion: t.ruleSetVersion })],
    outbox: (id) => [
      `msg_${crypto.randomUUID().replace(/-/g, '')}`,
      'incident.reported',
      id,
      input.source,
      JSON.stringify({
        incidentId: String(id),
        source: input.source,
        externalRef: input.externalRef,
        category: input.category,
        subtype: input.subtype ?? null,
        status: 'OPEN',
        severity: t.severity,
        ownerDepartment: t.ownerDepartment,
        policeReportRequired: t.policeReportRequired,
        amount: input.amount ?? null,
        reportedAt: now.toISOString(),
        ruleSetVersion: t.ruleSetVersion,
        actions: t.actions.map((a) => ({ code: a.code, dueAt: a.dueMs })),
      }),
      time(now),
      0,
    ],
  };
}

type Writer = (row: Row) => Promise<number>;

/**
 * CEILING_READS=1: also the reads the service makes — before its transaction the API key
 * lookup (sha256 of the bearer key, unique index) and, when the report names a customer, the
 * `repeatIncidents30d` count; inside it, whether a notification channel is active — so the
 * ceiling sends exactly the service's statements.
 */
const withReads = process.env.CEILING_READS === '1';
/**
 * The service's third read, inside its transaction: whether any notification channel is active
 * (the incident.reported outbox event tells people only then). Sent as the service sends it: a
 * text-protocol query on MariaDB (TypeORM's em.query), a prepared statement on SQLite.
 */
const NOTIFY_CHANNEL_SQL = ANY_ACTIVE_CHANNEL;
type Reader = (sql: string, params: unknown[]) => Promise<unknown[]>;

async function readsOf(read: Reader, authorization: string | undefined, input: Record<string, any> | null): Promise<number> {
  const key = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
  const [found] = await read(AUTHENTICATE_SQL, [crypto.createHash('sha256').update(key, 'utf8').digest('hex')]);
  if (!found) throw new Error('unknown API key');
  const customer = input?.customer?.id;
  if (customer) {
    const now = new Date();
    const [row] = (await read(REPEAT_INCIDENTS_SQL, [customer, time(new Date(now.getTime() - 30 * 86_400_000)), time(now), 0])) as Array<{
      n: number | string;
    }>;
    return Number(row.n);
  }
  return 0;
}

/** Does the schema have the webhooks outbox (so the service writes a row there per report)? */
const withOutbox = process.env.CEILING_OUTBOX === '1';

let read: Reader = async () => [];

const ROLLUP_SQL = incidentRollupUpsert('mysql');

function mysqlWriter(url: URL): Writer {
  const pool = ceilingPool(url);
  // The service prepares its reads (mysql2 execute): so does this ceiling.
  read = async (sql, params) => (await pool.execute(sql, params as mysql.ExecuteValues[]))[0] as unknown[];
  return async (row) => {
    const conn = await pool.getConnection();
    try {
      await conn.query('START TRANSACTION');
      const [res] = await conn.query<mysql.ResultSetHeader>(INSERT_INCIDENT, row.incident);
      const id = res.insertId;
      const actions = row.actions(id);
      if (actions.length) await conn.query(`INSERT INTO incident_actions (${ACTION_COLUMNS.join(', ')}) VALUES ?`, [actions]);
      await conn.query(INSERT_EVENT, row.event(id));
      if (withOutbox) await conn.query(INSERT_OUTBOX, row.outbox(id));
      if (withReads) await conn.query(NOTIFY_CHANNEL_SQL, [true]);
      await conn.query(ROLLUP_SQL, row.rollup);
      await conn.query('COMMIT');
      return id;
    } catch (e) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      conn.release();
    }
  };
}

function sqliteWriter(file: string): Writer {
  const db = ceilingSqlite(file);
  const incident = db.prepare(INSERT_INCIDENT);
  const event = db.prepare(INSERT_EVENT);
  const outbox = withOutbox ? db.prepare(INSERT_OUTBOX) : null;
  const rollup = db.prepare(incidentRollupUpsert('sqlite'));
  const notifyChannel = withReads ? db.prepare(NOTIFY_CHANNEL_SQL) : null;
  const actionsBy = new Map<number, Database.Statement>();
  const actionsInsert = (n: number) => {
    if (!actionsBy.has(n))
      actionsBy.set(
        n,
        db.prepare(`INSERT INTO incident_actions (${ACTION_COLUMNS.join(', ')}) VALUES ${Array(n).fill(marks(ACTION_COLUMNS.length)).join(', ')}`),
      );
    return actionsBy.get(n)!;
  };
  const reads = new Map<string, Database.Statement>();
  read = async (sql, params) => {
    if (!reads.has(sql)) reads.set(sql, db.prepare(sql));
    return reads.get(sql)!.all(...params);
  };
  const write = db.transaction((row: Row) => {
    const id = Number(incident.run(...row.incident).lastInsertRowid);
    const actions = row.actions(id);
    if (actions.length) actionsInsert(actions.length).run(...actions.flat());
    event.run(...row.event(id));
    outbox?.run(...row.outbox(id));
    notifyChannel?.get(1);
    rollup.run(...row.rollup);
    return id;
  });
  return async (row) => write(row);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const write = sqlite ? sqliteWriter(dbUrl.slice('sqlite:'.length)) : mysqlWriter(new URL(dbUrl));

const server = http.createServer(async (req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
    return;
  }
  try {
    const body = JSON.parse(await readBody(req));
    if (withReads && !body.variables?.input) {
      // An authenticated request that writes nothing (`{ __typename }`): the key lookup alone,
      // the bare cost the service's own no-op is compared with.
      await readsOf(read, req.headers.authorization, null);
      const text = '{"data":{"__typename":"Query"}}';
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    const repeats = withReads ? await readsOf(read, req.headers.authorization, body.variables.input) : 0;
    const id = await write(rowOf(body.variables.input, repeats));
    const text = JSON.stringify({ data: { reportIncident: { created: true, incident: { id: String(id) } } } });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  } catch (e) {
    const text = JSON.stringify({ errors: [{ message: (e as Error).message }] });
    res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => process.exit(0));
