import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { isSqlite } from './dialect';
import {
  MysqlCallbackConnection,
  MysqlPreparedStatement,
  primaryPool,
  runnerConnection,
  sqliteDatabase,
  SqliteDatabase,
  SqliteStatement,
} from './driver-internals';

/**
 * Plain SQL straight to the driver, for the few statements on the hot write path (the API key
 * lookup, the repeat-incident count, the report's inserts). TypeORM's `query()` wraps each
 * statement in a promise connection, a captured stack and subscriber broadcasts, which on
 * this path cost more CPU than the statement itself.
 *
 * Same connections, same semantics: outside a transaction a pooled connection (MySQL) or the
 * one SQLite connection TypeORM holds; inside one, the transaction's own connection. Errors
 * come as TypeORM's QueryFailedError with the driver error in `driverError`, as from `query()`.
 * Parameters must be what the driver binds: prepare dates and booleans as TypeORM stores them
 * (`driver.preparePersistentValue`); undefined binds as NULL.
 *
 * Invariant: the SQL text is fixed, values only ever in `?` parameters. Statements are
 * prepared once per connection and kept (MySQL: server-side prepared statements, so the long
 * JSON values travel without client-side escaping; SQLite: prepared statements), so text
 * that varied with the values would pile up prepared statements.
 */
/** Rows of a reader, or `{ insertId, affectedRows }` of a write (both drivers). */
export type RawResult = Array<Record<string, unknown>> | { insertId: number; affectedRows: number };

const statements = new WeakMap<SqliteDatabase, Map<string, SqliteStatement>>();

/** Prepared statements kept per connection (SQLite's one, each MySQL/MariaDB one): far more than the fixed texts here, a bound should one ever vary. */
const KEPT_STATEMENTS = 200;

/**
 * Wraps each raw statement of one data source (tracing: a span per statement). It is given the
 * SQL text only, never the parameters. Data sources without one run their statements bare.
 */
export type RawStatementHook = (sql: string, run: () => Promise<RawResult>) => Promise<RawResult>;

const hooks = new WeakMap<DataSource, RawStatementHook>();

/** Installs `hook` for every raw statement on `ds` from now on (at boot, when tracing is on). */
export function hookRawStatements(ds: DataSource, hook: RawStatementHook): void {
  hooks.set(ds, hook);
}

/** Runs one statement outside any transaction. */
export function rawQuery(ds: DataSource, sql: string, params: unknown[] = []): Promise<RawResult> {
  const hook = hooks.get(ds);
  return hook ? hook(sql, () => onPool(ds, sql, params)) : onPool(ds, sql, params);
}

function onPool(ds: DataSource, sql: string, params: unknown[]): Promise<RawResult> {
  if (isSqlite(ds)) return sqlite(sqliteDatabase(ds), sql, params);
  return mysql(primaryPool(ds), sql, params);
}

/** Runs one statement on the connection of `em` (its transaction's, when it is in one). */
export function rawExec(em: EntityManager, sql: string, params: unknown[] = []): Promise<RawResult> {
  // SQLite: TypeORM keeps one connection, in the transaction whenever one is open.
  if (isSqlite(em)) return rawQuery(em.connection, sql, params);
  const conn = runnerConnection(em.queryRunner);
  if (!conn) return rawQuery(em.connection, sql, params);
  const hook = hooks.get(em.connection);
  return hook ? hook(sql, () => mysql(conn, sql, params)) : mysql(conn, sql, params);
}

/**
 * One transaction for work whose statements all go through `rawExec` with the manager it is
 * given — the report's inserts. BEGIN and COMMIT go straight to the driver too, without
 * TypeORM's transaction machinery (its broadcasts and promise hops cost more CPU on this path
 * than the two statements). SQLite: on the one connection, serialised by the caller
 * (Transactions.runRaw). MySQL/MariaDB: a connection of the primary's pool, for this
 * transaction only. All of it is written, or none.
 */
export async function rawTransaction<T>(ds: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  if (isSqlite(ds)) {
    await rawQuery(ds, 'BEGIN TRANSACTION');
    return settle(
      () => work(ds.manager),
      () => rawQuery(ds, 'COMMIT'),
      () => rawQuery(ds, 'ROLLBACK'),
    );
  }
  const runner = ds.createQueryRunner('master');
  try {
    await runner.connect();
    const conn = runnerConnection(runner)!;
    const hook = hooks.get(ds);
    const control = (sql: string) => (hook ? hook(sql, () => mysqlText(conn, sql)) : mysqlText(conn, sql));
    await control('START TRANSACTION');
    return await settle(
      () => work(runner.manager),
      () => control('COMMIT'),
      () => control('ROLLBACK'),
    );
  } finally {
    await runner.release();
  }
}

/**
 * Commits after `work`; when the work or the commit fails (a failed COMMIT can leave SQLite's
 * transaction open), rolls back and rethrows that error — a failed rollback changes nothing:
 * the first error is the news.
 */
async function settle<T>(work: () => Promise<T>, commit: () => Promise<unknown>, rollback: () => Promise<unknown>): Promise<T> {
  try {
    const result = await work();
    await commit();
    return result;
  } catch (e) {
    await rollback().catch(() => undefined);
    throw e;
  }
}

/** A statement without parameters over the text protocol (transaction control cannot be prepared everywhere). */
function mysqlText(conn: MysqlCallbackConnection, sql: string): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    conn.query(sql, (err, result) => (err ? reject(new QueryFailedError(sql, [], err as Error)) : resolve(result as RawResult)));
  });
}

function mysql(conn: MysqlCallbackConnection, sql: string, params: unknown[]): Promise<RawResult> {
  const bound = params.map((p) => (p === undefined ? null : p));
  return new Promise((resolve, reject) => {
    const done = (err: unknown, result?: unknown) => (err ? reject(new QueryFailedError(sql, params, err as Error)) : resolve(result as RawResult));
    // A pool (a statement outside any transaction) lends one of its connections for the statement itself.
    if (!conn.prepare) conn.execute(sql, bound, done);
    else executePrepared(conn as PreparingConnection, sql, bound, done, true);
  });
}

type PreparingConnection = MysqlCallbackConnection & Required<Pick<MysqlCallbackConnection, 'prepare'>>;

/** The statements prepared on each connection by `executePrepared`, by their SQL text (fixed texts: see the invariant above). */
const preparedOn = new WeakMap<MysqlCallbackConnection, Map<string, MysqlPreparedStatement>>();

/** MySQL/MariaDB: the statement handle is not (or no longer) prepared on this connection. */
const ER_UNKNOWN_STMT_HANDLER = 1243;

/**
 * Runs `sql` as a prepared statement of `conn`, prepared on its first use there and kept. mysql2's
 * own `execute(sql, …)` does the same, but for every statement it also builds a second command
 * (a prepare, which finds the statement in its cache) and looks it up under a key it concatenates
 * afresh from the whole SQL text (a long INSERT's hash computed anew each time): here the lookup
 * is by the constant text itself, whose hash V8 keeps. mysql2 still holds each statement in its
 * own cache too; should it ever close one (its cache is far larger than the few texts here), the
 * server's "unknown statement" answer makes it prepared again, once.
 */
function executePrepared(conn: PreparingConnection, sql: string, bound: unknown[], done: (err: unknown, result?: unknown) => void, retry: boolean): void {
  let statements = preparedOn.get(conn);
  const statement = statements?.get(sql);
  const run = (s: MysqlPreparedStatement) =>
    s.execute(bound, (err, result) => {
      if (retry && (err as { errno?: number } | null)?.errno === ER_UNKNOWN_STMT_HANDLER) {
        preparedOn.get(conn)?.delete(sql);
        return executePrepared(conn, sql, bound, done, false);
      }
      done(err, result);
    });
  if (statement) return void run(statement);
  conn.prepare(sql, (err, prepared) => {
    if (err) return done(err);
    if (!statements) preparedOn.set(conn, (statements = new Map()));
    if (statements.size < KEPT_STATEMENTS) statements.set(sql, prepared!);
    run(prepared!);
  });
}

async function sqlite(db: SqliteDatabase, sql: string, params: unknown[]): Promise<RawResult> {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  try {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (cache.size < KEPT_STATEMENTS) cache.set(sql, stmt);
    }
    const bound = params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p === undefined ? null : p));
    if (stmt.reader) return stmt.all(...bound) as Array<Record<string, unknown>>;
    const r = stmt.run(...bound);
    return { insertId: Number(r.lastInsertRowid), affectedRows: r.changes };
  } catch (e) {
    throw new QueryFailedError(sql, params, e as Error);
  }
}
