import type { DataSource } from 'typeorm';
import { bindParams, dialectOf } from './dialect';

/** Parameters for a raw `ds.query()` on `ds` (dialect.ts `bindParams`). */
export function rawParams(ds: DataSource, params: unknown[]): unknown[] {
  return bindParams(dialectOf(ds), params);
}
