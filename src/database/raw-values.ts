import { toFen } from '../money/money';

/**
 * Values of raw `query()` rows: mysql2 gives DATETIME as a Date (UTC, timezone 'Z'), SQLite as
 * the text TypeORM stored ("2026-11-23 02:00:00.000", UTC); BIGINT/COUNT may come as strings.
 */
export function rawDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}

export function rawNumber(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

/** A count or integer sum (0 for the NULL of an empty SUM). */
export const rawInt = rawNumber;

/** An exact sum of fen (0n for NULL). */
export function rawFen(v: unknown): bigint {
  return v === null || v === undefined ? 0n : toFen(v as string | number | bigint);
}
