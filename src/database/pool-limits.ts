import type { DataSource } from 'typeorm';
import type { DataLimitsConfig } from '../config/data-limits.config';
import { isSqlite } from './dialect';
import { Mysql2Pool as PoolOf, mysqlPools } from './driver-internals';

type Limits = DataLimitsConfig['databaseLimits'];
type Callback = (err: unknown, conn?: PooledConnection) => void;
interface PooledConnection {
  query(sql: string, cb: (err: (Error & { errno?: number }) | null) => void): unknown;
  release(): void;
  destroy(): void;
}
/** What of a mysql2 pool this module uses: `getConnection`, through which query(), execute() and TypeORM all acquire. */
type Mysql2Pool = PoolOf<PooledConnection>;

/**
 * Limits on mysql2's pools (found through driver-internals.ts; database-timeouts.e2e
 * checks they still work on every connection after an upgrade). mysql2 has neither an acquire
 * timeout nor a per-connection init statement, so each pool's `getConnection` is wrapped:
 *
 * - a caller waits at most `acquireTimeoutMs` for a connection, then gets an error with code
 *   `POOL_QUEUE_TIMEOUT` (SERVICE_UNAVAILABLE to the client); the connection that comes late is
 *   handed back at once;
 * - a connection's first use sets its session's lock-wait timeouts (row locks and table/metadata
 *   locks) and statement timeout (MariaDB `max_statement_time`; MySQL, which lacks it,
 *   `max_execution_time`, for SELECTs).
 *
 * Applied after migrations, which may run long. Replica pools get the same (their pool cluster's
 * nodes). On SQLite: its busy timeout.
 */
export async function applyDatabaseLimits(ds: DataSource, limits: Limits): Promise<void> {
  if (isSqlite(ds)) {
    // One connection; a writer in another process (a CLI command on the same file) is waited for this long.
    await ds.query(`PRAGMA busy_timeout = ${limits.lockWaitTimeoutMs}`);
    return;
  }
  const pools = mysqlPools<PooledConnection>(ds);
  if (!pools.length) throw new Error('applyDatabaseLimits: no mysql2 pool found on the driver (mysql2 or TypeORM internals changed)');
  for (const pool of pools) limitPool(pool, limits);
}

/** `SET SESSION …` for MariaDB, then for MySQL (no max_statement_time: ER_UNKNOWN_SYSTEM_VARIABLE). */
export function sessionStatements(limits: Limits): string[] {
  const lockSeconds = Math.max(1, Math.ceil(limits.lockWaitTimeoutMs / 1000));
  const locks = `innodb_lock_wait_timeout = ${lockSeconds}, lock_wait_timeout = ${lockSeconds}`;
  return [
    `SET SESSION ${locks}, max_statement_time = ${limits.statementTimeoutMs / 1000}`,
    `SET SESSION ${locks}, max_execution_time = ${limits.statementTimeoutMs}`,
  ];
}

const ER_UNKNOWN_SYSTEM_VARIABLE = 1193;

function limitPool(pool: Mysql2Pool, limits: Limits): void {
  const acquire = pool.getConnection.bind(pool);
  const ready = new WeakSet<PooledConnection>();
  const [mariadb, mysql] = sessionStatements(limits);
  let statement = mariadb;
  const prepare = (conn: PooledConnection, cb: (err: unknown) => void) => {
    if (ready.has(conn)) return cb(null);
    conn.query(statement, (err) => {
      if (err?.errno === ER_UNKNOWN_SYSTEM_VARIABLE && statement === mariadb) {
        statement = mysql;
        return prepare(conn, cb);
      }
      if (!err) ready.add(conn);
      cb(err);
    });
  };
  pool.getConnection = (cb: Callback) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      cb(Object.assign(new Error(`no database connection was free within ${limits.acquireTimeoutMs} ms`), { code: 'POOL_QUEUE_TIMEOUT' }));
    }, limits.acquireTimeoutMs);
    acquire((err, conn) => {
      if (settled) {
        conn?.release(); // the caller gave up: to the next in the queue
        return;
      }
      if (err || !conn) {
        settled = true;
        clearTimeout(timer);
        return cb(err);
      }
      prepare(conn, (prepareErr) => {
        if (settled) return conn.release();
        settled = true;
        clearTimeout(timer);
        if (prepareErr) {
          conn.destroy();
          return cb(prepareErr);
        }
        cb(null, conn);
      });
    });
  };
}
