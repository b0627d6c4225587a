import type { DataSource, QueryRunner } from 'typeorm';

/**
 * The one adapter over what TypeORM and the drivers do not publish: the mysql2 pools behind
 * TypeORM's MySQL driver (`driver.pool`, or `driver.poolCluster` with read replicas: its
 * `of('MASTER')` and `_nodes`), a pool's connection lists (`_allConnections`, `_freeConnections`,
 * `_connectionQueue`), a query runner's `databaseConnection`, the better-sqlite3 database behind
 * TypeORM's SQLite driver, and the driver's `createQueryRunner`. Nothing else reaches into them.
 *
 * `checkDriverInternals` asserts every one of them is still where this module looks, and the
 * driver-internals e2e test runs it on SQLite and MariaDB (and with read replicas): an upgrade
 * that moves one fails there, loudly, instead of silently losing pool limits, metrics or the raw
 * write path.
 */

/** A mysql2 connection or pool, callback API: what the raw statements use. */
export interface MysqlCallbackConnection {
  execute(sql: string, params: unknown[], cb: (err: unknown, result: unknown) => void): unknown;
  query(sql: string, cb: (err: unknown, result: unknown) => void): unknown;
  /** A connection's (a pool has none): prepares `sql` on it, or finds it prepared there already. */
  prepare?(sql: string, cb: (err: unknown, statement?: MysqlPreparedStatement) => void): unknown;
}

/** A statement prepared on one mysql2 connection (its PreparedStatementInfo). */
export interface MysqlPreparedStatement {
  execute(params: unknown[], cb: (err: unknown, result: unknown) => void): unknown;
}

type Callback<C> = (err: unknown, conn?: C) => void;

/** A mysql2 pool: `getConnection` (through which query(), execute() and TypeORM all acquire) and its connection lists. */
export interface Mysql2Pool<C = unknown> {
  getConnection(cb: Callback<C>): void;
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

export interface SqliteStatement {
  reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}
/** The better-sqlite3 database TypeORM holds (its one connection). */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
}

interface MysqlDriverInternals {
  pool?: Mysql2Pool & MysqlCallbackConnection;
  poolCluster?: { of(pattern: string): MysqlCallbackConnection; _nodes?: Record<string, { pool: Mysql2Pool & MysqlCallbackConnection }> };
}

function mysqlDriver(ds: DataSource): MysqlDriverInternals {
  return ds.driver as unknown as MysqlDriverInternals;
}

/** The better-sqlite3 database of a SQLite data source. */
export function sqliteDatabase(ds: DataSource): SqliteDatabase {
  return (ds.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
}

type EscapeQuery = (sql: string, parameters: Record<string, unknown> | undefined, nativeParameters: Record<string, unknown>) => [string, unknown[]];

/**
 * Makes TypeORM's SQLite driver bind integer parameters instead of writing them into the SQL
 * text (its `escapeQueryWithParameters` turns a number into a literal). A literal id made every
 * `em.update(Entity, { id }, …)` and query builder `:id` a new SQL text, so a new prepared
 * statement per request: TypeORM's statement cache (by text) dropped it at once, and its native
 * memory waited for V8 to collect the wrapper, which V8, not seeing that memory, did rarely
 * (completeAction's RSS grew by some 27 MB a second). A safe integer is bound as a BigInt,
 * which better-sqlite3 binds as an INTEGER: the value SQLite sees is the literal's. Other
 * numbers (and the elements of `:...list`, already bound) are left as they were.
 */
export function bindSqliteIntegers(ds: DataSource): void {
  const driver = ds.driver as unknown as { escapeQueryWithParameters: EscapeQuery };
  const escape = driver.escapeQueryWithParameters.bind(driver);
  driver.escapeQueryWithParameters = (sql, parameters, nativeParameters) => {
    if (!parameters) return escape(sql, parameters, nativeParameters);
    const bound: Record<string, unknown> = {};
    for (const key of Object.keys(parameters)) {
      const v = parameters[key];
      bound[key] = typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v;
    }
    return escape(sql, bound, nativeParameters);
  };
}

/** The primary's pool for statements outside a transaction: the driver's own, or the MASTER of its pool cluster (read replicas). */
export function primaryPool(ds: DataSource): MysqlCallbackConnection {
  const driver = mysqlDriver(ds);
  return driver.pool ?? driver.poolCluster!.of('MASTER');
}

/** Every mysql2 pool of the data source: the driver's own, or each node of its pool cluster (primary and replicas). */
export function mysqlPools<C>(ds: DataSource): Array<Mysql2Pool<C>> {
  const driver = mysqlDriver(ds);
  const pools = driver.pool ? [driver.pool] : Object.values(driver.poolCluster?._nodes ?? {}).map((n) => n.pool);
  return pools as unknown as Array<Mysql2Pool<C>>;
}

/** The primary pool's connections by state, or null on SQLite. */
export function primaryPoolConnections(ds: DataSource): { open: number; idle: number; waiting: number } | null {
  const driver = mysqlDriver(ds);
  const p = driver.pool ?? driver.poolCluster?._nodes?.MASTER?.pool ?? null;
  if (!p) return null;
  return { open: p._allConnections?.length ?? 0, idle: p._freeConnections?.length ?? 0, waiting: p._connectionQueue?.length ?? 0 };
}

/** The mysql2 connection a connected query runner holds (its transaction's), or undefined once released. */
export function runnerConnection(runner: QueryRunner | undefined): MysqlCallbackConnection | undefined {
  const r = runner as unknown as { databaseConnection?: MysqlCallbackConnection; isReleased: boolean } | undefined;
  return r && !r.isReleased ? r.databaseConnection : undefined;
}

/**
 * Wraps every query runner the driver hands out from now on (once each: the SQLite driver
 * hands out the same one again): tracing and the tests' statement counter.
 */
export function wrapQueryRunners(ds: DataSource, wrap: (runner: QueryRunner, mode: 'master' | 'slave') => void): void {
  const driver = ds.driver as unknown as { createQueryRunner(mode: 'master' | 'slave'): QueryRunner };
  const create = driver.createQueryRunner.bind(driver);
  const wrapped = new WeakSet<QueryRunner>();
  driver.createQueryRunner = (mode) => {
    const runner = create(mode);
    if (wrapped.has(runner)) return runner;
    wrapped.add(runner);
    wrap(runner, mode);
    return runner;
  };
}

/**
 * Throws, naming what moved, unless every internal this module reads is where it looks on this
 * (initialised) data source. Call it with a connected query runner of the primary when there is one.
 */
export function checkDriverInternals(ds: DataSource, runner?: QueryRunner): void {
  const missing: string[] = [];
  const driver = ds.driver as unknown as Record<string, unknown>;
  if (typeof driver.createQueryRunner !== 'function') missing.push('driver.createQueryRunner');
  if (ds.options.type === 'better-sqlite3') {
    if (typeof sqliteDatabase(ds)?.prepare !== 'function') missing.push('driver.databaseConnection (better-sqlite3 Database)');
    if (typeof (ds.driver as unknown as Record<string, unknown>).escapeQueryWithParameters !== 'function') missing.push('driver.escapeQueryWithParameters');
  } else {
    const m = mysqlDriver(ds);
    if (!m.pool && !m.poolCluster) missing.push('driver.pool / driver.poolCluster');
    if (m.poolCluster) {
      if (typeof m.poolCluster.of !== 'function') missing.push("driver.poolCluster.of('MASTER')");
      if (!m.poolCluster._nodes?.MASTER?.pool) missing.push('driver.poolCluster._nodes.MASTER.pool');
    }
    const pools = mysqlPools(ds);
    if (!pools.length) missing.push('a mysql2 pool');
    for (const p of pools) {
      if (typeof p.getConnection !== 'function') missing.push('pool.getConnection');
      for (const list of ['_allConnections', '_freeConnections', '_connectionQueue'] as const) {
        if (!p[list] || typeof p[list]!.length !== 'number') missing.push(`pool.${list}`);
      }
    }
    const primary = m.pool || typeof m.poolCluster?.of === 'function' ? (primaryPool(ds) as Partial<MysqlCallbackConnection> | undefined) : undefined;
    if (typeof primary?.execute !== 'function' || typeof primary?.query !== 'function') missing.push('the primary pool execute()/query()');
    if (runner) {
      const conn = runnerConnection(runner) as Partial<MysqlCallbackConnection> | undefined;
      if (typeof conn?.execute !== 'function' || typeof conn?.prepare !== 'function') missing.push('queryRunner.databaseConnection (a mysql2 connection)');
    }
  }
  if (missing.length) throw new Error(`database driver internals changed (TypeORM or mysql2 upgrade?): ${[...new Set(missing)].join(', ')} not found`);
}
