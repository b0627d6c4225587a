import type { DataSource } from 'typeorm';

/**
 * Parameters for a raw `ds.query()`: better-sqlite3 binds neither Date nor boolean, so they
 * become what TypeORM stores on SQLite (UTC text with milliseconds, 1/0). MySQL takes them as they are.
 */
export function rawParams(ds: DataSource, params: unknown[]): unknown[] {
  if (ds.options.type !== 'better-sqlite3') return params;
  return params.map((p) => (p instanceof Date ? utcText(p) : typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

/** A time as both databases store it: UTC text with milliseconds ("2026-11-23 02:00:00.000"). */
export function utcText(d: Date): string {
  return d.toISOString().slice(0, 23).replace('T', ' ');
}
