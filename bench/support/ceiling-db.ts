/**
 * The database handles of the same-SQL ceilings, opened as the service opens its own: a mysql2
 * pool with the service's pool size and type settings (`CEILING_POOL`, 10 by default), and a
 * better-sqlite3 file in WAL with the service's pragmas.
 */
import mysql from 'mysql2/promise';
import Database from 'better-sqlite3';

export function ceilingPool(url: URL): mysql.Pool {
  return mysql.createPool({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
    connectionLimit: Number(process.env.CEILING_POOL ?? 10),
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    enableKeepAlive: true,
  });
}

export function ceilingSqlite(file: string): Database.Database {
  const db = new Database(file, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  return db;
}
