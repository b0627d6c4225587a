import type { DataSource } from 'typeorm';

/**
 * Parameters for a raw `ds.query()`: better-sqlite3 binds neither Date nor boolean, so they
 * become what TypeORM stores on SQLite (UTC text with milliseconds, 1/0). MySQL takes them as they are.
 */
export function rawParams(ds: DataSource, params: unknown[]): unknown[] {
  if (ds.options.type !== 'better-sqlite3') return params;
  return params.map((p) => (p instanceof Date ? p.toISOString().replace('T', ' ').replace('Z', '') : typeof p === 'boolean' ? (p ? 1 : 0) : p));
}
