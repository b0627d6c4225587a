import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

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
type MysqlCallbackConnection = {
  execute(sql: string, params: unknown[], cb: (err: unknown, result: unknown) => void): unknown;
  query(sql: string, cb: (err: unknown, result: unknown) => void): unknown;
};
type SqliteStatement = {
  reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
};
type SqliteDatabase = { prepare(sql: string): SqliteStatement };

/** Rows of a reader, or `{ insertId, affectedRows }` of a write (both drivers). */
export type RawResult = Array<Record<string, unknown>> | { insertId: number; affectedRows: number };

const statements = new WeakMap<SqliteDatabase, Map<string, SqliteStatement>>();

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
  if (ds.options.type === 'better-sqlite3') return sqlite(ds.driver as unknown as { databaseConnection: SqliteDatabase }, sql, params);
  return mysql(primaryPool(ds), sql, params);
}

/** The primary's pool: the driver's own, or the MASTER of its pool cluster when there are read replicas. */
function primaryPool(ds: DataSource): MysqlCallbackConnection {
  const driver = ds.driver as unknown as { pool?: MysqlCallbackConnection; poolCluster?: { of(pattern: string): MysqlCallbackConnection } };
  return driver.pool ?? driver.poolCluster!.of('MASTER');
}

/** Runs one statement on the connection of `em` (its transaction's, when it is in one). */
export function rawExec(em: EntityManager, sql: string, params: unknown[] = []): Promise<RawResult> {
  // SQLite: TypeORM keeps one connection, in the transaction whenever one is open.
  if (em.connection.options.type === 'better-sqlite3') return rawQuery(em.connection, sql, params);
  const runner = em.queryRunner as unknown as { databaseConnection?: MysqlCallbackConnection; isReleased: boolean } | undefined;
  const conn = runner && !runner.isReleased ? runner.databaseConnection : undefined;
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
  if (ds.options.type === 'better-sqlite3') {
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
    const conn = (runner as unknown as { databaseConnection: MysqlCallbackConnection }).databaseConnection;
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
    conn.execute(sql, bound, (err, result) => (err ? reject(new QueryFailedError(sql, params, err as Error)) : resolve(result as RawResult)));
  });
}

async function sqlite(driver: { databaseConnection: SqliteDatabase }, sql: string, params: unknown[]): Promise<RawResult> {
  const db = driver.databaseConnection;
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  try {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (cache.size < 200) cache.set(sql, stmt);
    }
    const bound = params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p === undefined ? null : p));
    if (stmt.reader) return stmt.all(...bound) as Array<Record<string, unknown>>;
    const r = stmt.run(...bound);
    return { insertId: Number(r.lastInsertRowid), affectedRows: r.changes };
  } catch (e) {
    throw new QueryFailedError(sql, params, e as Error);
  }
}
