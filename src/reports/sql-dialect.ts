import type { DataSource, EntityManager } from 'typeorm';
import { toFen } from '../money/money';

/**
 * The few SQL differences the reports meet between SQLite and MySQL/MariaDB, and the
 * normalising of raw values drivers return (SQLite: numbers and 'YYYY-MM-DD HH:mm:ss.SSS'
 * strings; mysql2: strings for BIGINT and DECIMAL sums, Date objects for DATETIME).
 */
export type Dialect = 'sqlite' | 'mysql';

export function dialectOf(db: DataSource | EntityManager): Dialect {
  const options = 'connection' in db ? db.connection.options : db.options;
  return options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
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

/** A DATETIME as the driver returned it, as an instant (SQLite keeps UTC text without a zone). */
export function rawDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  return new Date(`${String(v).replace(' ', 'T')}Z`);
}

/** A count or integer sum (0 for the NULL of an empty SUM). */
export function rawInt(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

/** An exact sum of fen (0n for NULL). */
export function rawFen(v: unknown): bigint {
  return v === null || v === undefined ? 0n : toFen(v as string | number | bigint);
}
