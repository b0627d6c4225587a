import type { DataSource, EntityManager } from 'typeorm';

/**
 * The SQL differences between SQLite and MySQL/MariaDB, all in one place: features write their
 * statements (kept and named per feature, `*.statements.ts`) with these helpers and never ask
 * which database they run on themselves.
 */
export type Dialect = 'sqlite' | 'mysql';

export function dialectOf(db: DataSource | EntityManager): Dialect {
  const options = 'connection' in db ? db.connection.options : db.options;
  return options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
}

/** SQLite: one connection, one writer; transactions there run one after the other. */
export function isSqlite(db: DataSource | EntityManager): boolean {
  return dialectOf(db) === 'sqlite';
}

/**
 * An exact SUM of integers. SQLite sums 64-bit integers exactly but its driver hands back a
 * JS number, which is exact only below 2^53: the text form keeps every digit.
 */
export function exactSum(d: Dialect, expr: string): string {
  return d === 'sqlite' ? `CAST(SUM(${expr}) AS TEXT)` : `SUM(${expr})`;
}

/** Whole milliseconds from one DATETIME(3) column to another (both stored in UTC). */
export function millisBetween(d: Dialect, from: string, to: string): string {
  return d === 'sqlite'
    ? `CAST(ROUND((julianday(${to}) - julianday(${from})) * 86400000) AS INTEGER)`
    : `(TIMESTAMPDIFF(MICROSECOND, ${from}, ${to}) DIV 1000)`;
}

/** A table or column name quoted (for names the databases reserve, such as `procedure`). */
export function ident(d: Dialect, name: string): string {
  return d === 'sqlite' ? `"${name}"` : `\`${name}\``;
}

/** ` LIMIT n`, n a whole number (never a parameter: statements stay fixed text per limit). */
export function limit(n: number): string {
  return ` LIMIT ${Math.max(0, Math.trunc(n))}`;
}

/**
 * The end of a SELECT that locks the rows it reads for this transaction (MySQL: `FOR UPDATE`).
 * SQLite has one writer: its transactions are serial already, so nothing is added.
 */
export function forUpdate(d: Dialect): string {
  return d === 'sqlite' ? '' : ' FOR UPDATE';
}

/**
 * The end of a claiming SELECT: the rows it reads are locked for this transaction, and rows
 * another transaction has locked are skipped instead of waited for (MySQL 8, MariaDB 10.6:
 * `FOR UPDATE SKIP LOCKED`). SQLite: nothing (one writer).
 */
export function skipLocked(d: Dialect): string {
  return d === 'sqlite' ? '' : ' FOR UPDATE SKIP LOCKED';
}

/** The end of a SELECT that reads rows committed by others and keeps them from changing (MySQL: a shared lock). */
export function shareLock(d: Dialect): string {
  return d === 'sqlite' ? '' : ' LOCK IN SHARE MODE';
}

/** What an upsert does to a column on a key clash: adds the new value, or replaces the old one with it. */
export type UpsertSet = 'add' | 'replace';

/**
 * INSERT one row of `columns` (as `?` parameters); on a clash of the unique `key`, each column
 * of `set` is added to or replaced (one statement: atomic under concurrency).
 */
export function upsert(d: Dialect, table: string, columns: readonly string[], key: readonly string[], set: Readonly<Record<string, UpsertSet>>): string {
  const insert = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  const value = (c: string) => (d === 'sqlite' ? `excluded.${c}` : `VALUES(${c})`);
  const sets = Object.entries(set)
    .map(([c, how]) => (how === 'add' ? `${c} = ${c} + ${value(c)}` : `${c} = ${value(c)}`))
    .join(', ');
  return d === 'sqlite' ? `${insert} ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${sets}` : `${insert} ON DUPLICATE KEY UPDATE ${sets}`;
}

/**
 * Parameters as the driver binds them: better-sqlite3 binds neither Date nor boolean, so they
 * become what TypeORM stores on SQLite (UTC text with milliseconds, 1/0). MySQL takes them as they are.
 */
export function bindParams(d: Dialect, params: unknown[]): unknown[] {
  if (d !== 'sqlite') return params;
  return params.map((p) => (p instanceof Date ? utcText(p) : typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

/** A time as both databases store it: UTC text with milliseconds ("2026-11-23 02:00:00.000"). */
export function utcText(d: Date): string {
  return d.toISOString().slice(0, 23).replace('T', ' ');
}
