/**
 * The same-SQL ceiling of amendIncident, completeAction, decideRefundStep and advanceRemedy: a
 * bare node:http server sending, for the one mutation it serves, exactly the statements the
 * service sends — its reads before the transaction (the API key lookup, the subject's
 * incident), the transaction's statements in the same order (the lock of the incident row on
 * MariaDB, TypeORM's reads of the subject, the updates, the history row, the outbox row, the
 * rollups, and the answer's reads, last in the transaction) — over the same protocol (MariaDB: prepared
 * where the service prepares, text where TypeORM sends text; SQLite: each text prepared once and
 * reused, its ids, numbers and booleans bound as TypeORM binds them). No GraphQL, no rules, no state
 * machine: what to write comes from the rows it reads (the amendment keeps the stored
 * decision, which the bench's amendment does not change; the next step's due time is a
 * fixed offset). The order and text were traced from the service (write-flows.statements.ts).
 *
 * Run by write-path.bench.ts as a child process:
 *   CEILING_DB=mariadb://root@127.0.0.1:3306/triage_bench | sqlite:/tmp/x.sqlite
 *   CEILING_FLOW=amend|complete|refund|remedy  PORT=…  [CEILING_POOL=10]
 * Prints `listening <port>` once it serves. `{ __typename }` answers after the key lookup alone.
 */
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import type Database from 'better-sqlite3';
import { AUTHENTICATE_SQL } from '../src/auth/auth.statements';
import type { Dialect } from '../src/database/dialect';
import { businessPeriods } from '../src/incidents/business-periods';
import { REFUNDS_COMMITTED_SQL, REPEAT_INCIDENTS_SQL } from '../src/incidents/incident.statements';
import { incidentRollupUpsert, pendingStepUpsert } from '../src/reports/reports.statements';
import { OUTBOX_INSERT } from '../src/webhooks/webhook.statements';
import { flowStatements } from './write-flows.statements';
import { ceilingPool, ceilingSqlite } from './support/ceiling-db';

type Row = Record<string, any>;

/**
 * One connection's statements, prepared as the service's raw statements are (rawExec, RawInsert,
 * RawTable: MariaDB prepared statements; SQLite statements prepared once, kept in a cache):
 * every statement of the four flows goes that way, but the transaction's START and COMMIT.
 */
interface Conn {
  prepared(sql: string, params?: unknown[]): Promise<any>;
}

const dbUrl = process.env.CEILING_DB!;
const flow = process.env.CEILING_FLOW as 'amend' | 'complete' | 'refund' | 'remedy';
const d: Dialect = dbUrl.startsWith('sqlite:') ? 'sqlite' : 'mysql';
const S = flowStatements(d);
/** The mutation each flow answers as (the bench counts an answer naming it as acknowledged). */
const FIELD = { amend: 'amendIncident', complete: 'completeAction', refund: 'decideRefundStep', remedy: 'advanceRemedy' } as const;
const ZONE = { timeZone: 'Asia/Shanghai' };
/** Datetimes as TypeORM binds them: a Date for mysql2, 'YYYY-MM-DD HH:MM:SS.mmm' (UTC) for SQLite. */
const time = (t: Date | null) => (t === null ? null : d === 'sqlite' ? t.toISOString().replace('T', ' ').replace('Z', '') : t);
/** The same for the raw-SQL statements, which bind booleans as numbers on SQLite. */
const bool = (v: boolean) => (d === 'sqlite' ? (v ? 1 : 0) : v);
const first = (rows: Row[]) => rows[0];
/** A row of a RawTable select (by column name), which the service finds. */
const found = (row: Row | undefined): Row => {
  if (!row) throw new Error('no row where the service finds one');
  return row;
};
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const eventId = () => `msg_${crypto.randomUUID().replace(/-/g, '')}`;

// ---------------------------------------------------------------- the mutations

interface Request {
  actor: string;
  variables: Row;
}

/** What each flow sends, in the service's order; answers the subject's id. */
const FLOWS: Record<typeof flow, (c: Conn, tx: (work: (c: Conn) => Promise<void>) => Promise<void>, r: Request) => Promise<string>> = {
  /** completeAction: the incident's action by code, done now. */
  async complete(c, tx, r) {
    const id = Number(r.variables.id);
    await tx(async (c) => {
      const incident = first(await c.prepared(S.lockedIncident, [id]));
      const actions = await c.prepared(S.actionsOf, [id]);
      const action = actions.find((a: Row) => a.code === r.variables.code);
      const actionId = Number(found(action).id);
      const now = new Date();
      await c.prepared(S.completeAction, ['DONE', time(now), r.actor, null, 'null', 1, actionId]);
      await c.prepared(S.settleBreaches, [time(now), null, 'ACTION', actionId]);
      await c.prepared(HISTORY.incident, [
        id,
        time(now),
        r.actor,
        'ACTION_COMPLETED',
        null,
        null,
        null,
        JSON.stringify({ code: r.variables.code, doneAt: now.toISOString(), late: false }),
      ]);
      const version = Number(found(incident).version);
      await c.prepared(S.bumpIncident, [version + 1, time(now), id, version]);
      await c.prepared(S.actionsOf, [id]); // the answer's actions, read last in the transaction
    });
    return String(id);
  },

  /** amendIncident: a new amount and a note, the stored decision kept. */
  async amend(_c, tx, r) {
    const input = r.variables.i;
    const id = Number(input.id);
    await tx(async (c) => {
      const incident = first(await c.prepared(S.lockedIncident, [id]));
      const at = (col: string) => found(incident)[col];
      await c.prepared(REFUNDS_COMMITTED_SQL, [id, 'CANCELLED']);
      const reportedAt = new Date(d === 'sqlite' ? `${String(at('reported_at')).replace(' ', 'T')}Z` : at('reported_at'));
      const customer = at('customer_id');
      // The repeat count as of the report, on the transaction's own connection as the service reads it (its raw-SQL path).
      if (customer) await c.prepared(REPEAT_INCIDENTS_SQL, [customer, time(new Date(reportedAt.getTime() - 30 * 86_400_000)), time(reportedAt), bool(false)]);
      await c.prepared(S.actionsOf, [id]);
      await c.prepared(S.clockOf, [id]);
      const last = first(await c.prepared(S.lastDecision, [id]));
      const now = new Date();
      const decision = json(at('decision'));
      const report = json(at('report'));
      const amountFen = String(Math.round(Number(input.amount) * 100));
      const before = report.amountFen ?? null;
      let seq = last ? Number(found(last).seq) : 0;
      if (!last) {
        const reported = first(await c.prepared(S.reportedEvent, [id, 'REPORTED']));
        const values = [
          time(reportedAt),
          'REPORTED',
          found(reported).actor,
          null,
          decision.ruleSetVersion,
          JSON.stringify({ ...decision, decidedAt: reportedAt.toISOString(), facts: report }),
        ];
        seq++;
        await c.prepared(S.insertDecision, [id, seq, ...values]);
      }
      const stored = { ...decision, decidedAt: now.toISOString() };
      const amended = [time(now), 'AMENDED', r.actor, input.note, decision.ruleSetVersion, JSON.stringify({ ...stored, facts: { ...report, amountFen } })];
      seq++;
      await c.prepared(S.insertDecision, [id, seq, ...amended]);
      const yuan = (fen: string | null) => (fen === null ? null : (Number(fen) / 100).toFixed(2));
      const changed = { amount: [yuan(before), yuan(amountFen)] };
      const kept = (decision.actions ?? []).map((a: Row) => a.code);
      await c.prepared(HISTORY.incident, [
        id,
        time(now),
        r.actor,
        'AMENDED',
        null,
        null,
        input.note,
        JSON.stringify({
          changed,
          fromSeverity: at('severity'),
          toSeverity: at('severity'),
          fromOwnerDepartment: at('owner_department'),
          toOwnerDepartment: at('owner_department'),
          added: [],
          reopened: [],
          withdrawn: [],
          kept,
          decision: seq,
          ruleSetVersion: decision.ruleSetVersion,
        }),
      ]);
      const version = Number(at('version'));
      const police = !!Number(at('police_report_required'));
      const set = [
        at('subtype'),
        at('severity'),
        at('owner_department'),
        police ? 1 : 0,
        amountFen,
        JSON.stringify({ ...report, amountFen }),
        at('acknowledge_by'),
        at('resolve_by'),
        decision.ruleSetVersion,
        JSON.stringify(stored),
        time(now),
        version + 1,
        time(now),
        id,
        version,
      ];
      await c.prepared(S.amendIncident, set);
      await c.prepared(OUTBOX_INSERT, [
        eventId(),
        'incident.amended',
        id,
        at('source'),
        JSON.stringify({
          incidentId: String(id),
          source: at('source'),
          externalRef: at('external_ref'),
          version: version + 1,
          fromSeverity: at('severity'),
          toSeverity: at('severity'),
          fromOwnerDepartment: at('owner_department'),
          ownerDepartment: at('owner_department'),
          notifyDepartments: decision.notifyDepartments,
          newlyNotified: [],
          changed,
          added: [],
          reopened: [],
          withdrawn: [],
          note: input.note,
          amendedAt: now.toISOString(),
          ruleSetVersion: decision.ruleSetVersion,
        }),
        time(now),
        bool(false),
      ]);
      const delta = (BigInt(amountFen) - BigInt(before ?? '0')).toString();
      await c.prepared(incidentRollupUpsert(d), [
        at('business_month'),
        bool(false),
        at('category'),
        at('subtype') ?? '',
        at('severity'),
        at('owner_department'),
        at('source'),
        at('channel') ?? '',
        at('status'),
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        delta,
      ]);
      await c.prepared(S.actionsOf, [id]); // the answer's actions, read last in the transaction
    });
    return String(id);
  },

  /** decideRefundStep: APPROVE of the refund's current step; the next one opens. Every statement prepared (RawTable, rawExec). */
  async refund(c, tx, r) {
    const input = r.variables.i;
    const refundId = Number(input.refundId);
    // The service reads the whole row for its incident, by the reader's statement.
    const head = found(first(await c.prepared(S.refundById, [refundId])));
    const incidentId = Number(head.incident_id);
    await tx(async (c) => {
      if (S.lockIncident) await c.prepared(S.lockIncident, [incidentId]);
      const { refund, steps } = await readRefund(c, refundId);
      const at = (col: string) => refund[col];
      const attempt = Number(at('attempt'));
      const mine = steps.filter((s: Row) => Number(s.attempt) === attempt);
      const current = found(mine.find((s: Row) => s.step === input.step));
      const position = Number(current.position);
      const next = found(mine.find((s: Row) => Number(s.position) === position + 1));
      const nextStep = next.step;
      const now = new Date();
      const due = new Date(now.getTime() + 12 * 3_600_000);
      const version = Number(at('version'));
      await c.prepared(S.moveRefund, ['IN_APPROVAL', nextStep, version + 1, time(now), refundId, version]);
      await c.prepared(S.decideRefundStep, ['APPROVED', r.actor, `key:${r.actor}`, null, time(now), refundId, attempt, position]);
      await c.prepared(S.openRefundStep, ['PENDING', time(now), time(due), Number(next.id)]);
      await c.prepared(HISTORY.refund, [time(now), r.actor, 'APPROVED', 'IN_APPROVAL', 'IN_APPROVAL', input.step, refundId, 'APPROVE', attempt, null]);
      await readRefund(c, refundId); // as written, once for every refundWritten handler and the answer
      await c.prepared(OUTBOX_INSERT, [
        eventId(),
        'refund.step_decided',
        incidentId,
        at('source'),
        JSON.stringify({
          refundId: String(refundId),
          refundNo: at('refund_no'),
          incidentId: String(incidentId),
          source: at('source'),
          drill: false,
          step: input.step,
          attempt,
          decision: 'APPROVE',
          actor: r.actor,
          comment: null,
          decidedAt: now.toISOString(),
          dueAt: due.toISOString(),
          late: false,
          refundStatus: 'IN_APPROVAL',
          currentStep: nextStep,
          amount: (Number(at('amount_fen')) / 100).toFixed(2),
        }),
        time(now),
        bool(false),
      ]);
      const periods = businessPeriods(ZONE, now);
      // The pending-step upsert binds its datetimes as UTC text on both databases.
      const text = (t: Date) => t.toISOString().replace('T', ' ').replace('Z', '');
      await c.prepared(pendingStepUpsert(d), [
        refundId,
        nextStep,
        text(due),
        text(new Date(d === 'sqlite' ? `${String(at('requested_at')).replace(' ', 'T')}Z` : at('requested_at'))),
        periods.businessDay,
        periods.businessMonth,
        0,
        at('category'),
        at('bank') ?? '',
        at('method'),
        'IN_APPROVAL',
        at('owner_department'),
      ]);
    });
    return String(refundId);
  },

  /** advanceRemedy: the remedy's current step done; the next one opens. Every statement prepared, as RawTable sends them. */
  async remedy(c, tx, r) {
    const input = r.variables.i;
    const remedyId = Number(input.remedyId);
    const head = found(first(await c.prepared(S.remedyById, [remedyId])));
    const incidentId = Number(head.incident_id);
    await tx(async (c) => {
      if (S.lockIncident) await c.prepared(S.lockIncident, [incidentId]);
      const { remedy, steps } = await readRemedy(c, remedyId);
      const current = found(steps.find((s: Row) => s.step === input.step));
      const position = Number(current.position);
      const next = found(steps.find((s: Row) => Number(s.position) === position + 1));
      const nextStep = next.step;
      const now = new Date();
      const due = new Date(now.getTime() + 7 * 86_400_000);
      const version = Number(remedy.version);
      await c.prepared(S.moveRemedy, ['IN_PROGRESS', nextStep, version + 1, time(now), remedyId, version]);
      await c.prepared(S.doRemedyStep, ['APPROVED', r.actor, null, null, time(now), Number(current.id)]);
      await c.prepared(S.openRemedyStep, ['PENDING', time(now), time(due), Number(next.id)]);
      await c.prepared(HISTORY.remedy, [time(now), r.actor, 'ADVANCED', 'IN_PROGRESS', 'IN_PROGRESS', input.step, remedyId, null]);
      const after = await readRemedy(c, remedyId);
      await c.prepared(OUTBOX_INSERT, [
        eventId(),
        'remedy.advanced',
        incidentId,
        remedy.source,
        JSON.stringify({
          remedyId: String(remedyId),
          incidentId: String(incidentId),
          source: remedy.source,
          drill: false,
          kind: remedy.kind,
          status: 'IN_PROGRESS',
          currentStep: nextStep,
          orderNo: remedy.order_no,
          actor: r.actor,
          step: input.step,
          note: null,
          steps: after.steps.map((s: Row) => ({
            step: s.step,
            status: s.status,
            actor: s.actor,
            trackingNo: s.tracking_no,
          })),
          at: now.toISOString(),
        }),
        time(now),
        bool(false),
      ]);
    });
    return String(remedyId);
  },
};

/** The history writer's inserts (history.writer.ts through database/raw-insert.ts, built from the entities; no RETURNING since 2026-12-07). */
const HISTORY = {
  incident:
    d === 'sqlite'
      ? 'INSERT INTO "incident_events" ("incident_id", "at", "actor", "kind", "from_status", "to_status", "note", "detail") VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
      : 'INSERT INTO `incident_events` (`incident_id`, `at`, `actor`, `kind`, `from_status`, `to_status`, `note`, `detail`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  refund:
    d === 'sqlite'
      ? 'INSERT INTO "refund_transitions" ("at", "actor", "kind", "from_status", "to_status", "step", "refund_id", "decision", "attempt", "comment") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
      : 'INSERT INTO `refund_transitions` (`at`, `actor`, `kind`, `from_status`, `to_status`, `step`, `refund_id`, `decision`, `attempt`, `comment`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  remedy:
    d === 'sqlite'
      ? 'INSERT INTO "remedy_transitions" ("at", "actor", "kind", "from_status", "to_status", "step", "remedy_id", "note") VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
      : 'INSERT INTO `remedy_transitions` (`at`, `actor`, `kind`, `from_status`, `to_status`, `step`, `remedy_id`, `note`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
};

/** The refund reader's byId: the row, then its steps (RawTable: columns by their own names). */
async function readRefund(c: Conn, id: number): Promise<{ refund: Row; steps: Row[] }> {
  const refund = found(first(await c.prepared(S.refundById, [id])));
  return { refund, steps: await c.prepared(S.refundSteps, [id]) };
}

/** The reader's remedy and its steps (RawTable: prepared, plain integers, rows by column name). */
async function readRemedy(c: Conn, id: number): Promise<{ remedy: Row; steps: Row[] }> {
  const remedy = found(first(await c.prepared(S.remedyById, [id])));
  return { remedy, steps: await c.prepared(S.remedySteps, [id]) };
}

// ---------------------------------------------------------------- the drivers

interface Driver {
  /** Outside a transaction. */
  conn: Conn;
  /** One transaction: START/BEGIN, the work on its connection, COMMIT (ROLLBACK on failure). */
  tx(work: (c: Conn) => Promise<void>): Promise<void>;
}

function mysqlDriver(url: URL): Driver {
  const pool = ceilingPool(url);
  const on = (c: mysql.Pool | mysql.PoolConnection): Conn => ({
    prepared: async (sql, params = []) => (await c.execute(sql, params as mysql.ExecuteValues[]))[0],
  });
  return {
    conn: on(pool),
    async tx(work) {
      const conn = await pool.getConnection();
      try {
        await conn.query('START TRANSACTION');
        await work(on(conn));
        await conn.query('COMMIT');
      } catch (e) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        conn.release();
      }
    },
  };
}

/** TypeORM's better-sqlite3 driver keeps this many prepared statements (its default), the first prepared dropped first. */
const SQLITE_STATEMENT_CACHE = 100;

function sqliteDriver(file: string): Driver {
  const db = ceilingSqlite(file);
  const cache = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (cache.size >= SQLITE_STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      cache.set(sql, stmt);
    }
    return stmt;
  };
  const run = async (sql: string, params: unknown[] = []) => {
    const stmt = statement(sql);
    return stmt.reader ? stmt.all(...params) : stmt.run(...params);
  };
  const conn: Conn = { prepared: run };
  // One connection, one writer: each transaction runs whole before the next (the service queues them too).
  let queue: Promise<unknown> = Promise.resolve();
  return {
    conn,
    tx(work) {
      const next = queue.then(async () => {
        await run('BEGIN TRANSACTION');
        try {
          await work(conn);
          await run('COMMIT');
        } catch (e) {
          await run('ROLLBACK').catch(() => undefined);
          throw e;
        }
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const driver = d === 'sqlite' ? sqliteDriver(dbUrl.slice('sqlite:'.length)) : mysqlDriver(new URL(dbUrl));

/** The key lookup the service makes first (prepared, as its raw-SQL path sends it): the actor's name. */
async function authenticate(authorization: string | undefined): Promise<string> {
  const key = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
  const [found] = await driver.conn.prepared(AUTHENTICATE_SQL, [crypto.createHash('sha256').update(key, 'utf8').digest('hex')]);
  if (!found) throw new Error('unknown API key');
  return found.name;
}

const send = (res: http.ServerResponse, status: number, text: string) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const server = http.createServer(async (req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
    return;
  }
  try {
    const body = JSON.parse(await readBody(req));
    const actor = await authenticate(req.headers.authorization);
    if (!body.variables) {
      send(res, 200, '{"data":{"__typename":"Query"}}');
      return;
    }
    const id = await FLOWS[flow](driver.conn, (work) => driver.tx(work), { actor, variables: body.variables });
    send(res, 200, JSON.stringify({ data: { [FIELD[flow]]: { id } } }));
  } catch (e) {
    send(res, 500, JSON.stringify({ errors: [{ message: (e as Error).message }] }));
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => process.exit(0));
