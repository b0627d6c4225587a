import type { DataSource, EntityManager } from 'typeorm';
import { bindParams, dialectOf, skipLocked } from '../database/dialect';
import { rawNumber } from '../database/raw-values';
import type { Transactions } from '../database/transaction';

/** A claim on rows of one table: which of them, while they are still claimable, and the mark that claims them. */
export interface ClaimSpec {
  table: string;
  /** Candidate row ids (read before, without locks). */
  ids: readonly number[];
  /** Still claimable: a condition on the row, with `?` parameters (`whereParams`). */
  where: string;
  whereParams?: readonly unknown[];
  /** The mark: `SET …` assignments with `?` parameters (`setParams`). */
  set: string;
  setParams?: readonly unknown[];
}

/**
 * Claims rows for one worker, in one transaction: locks the candidates that are still
 * claimable — skipping rows another worker is claiming right now instead of waiting for them
 * (MySQL/MariaDB `FOR UPDATE SKIP LOCKED`; SQLite has one writer, its transactions run one
 * after the other) — then marks them. Of several workers exactly one gets each row. Answers
 * the ids claimed, in the candidates' order.
 */
export async function claimRows(ds: DataSource, tx: Transactions, spec: ClaimSpec): Promise<number[]> {
  if (!spec.ids.length) return [];
  const d = dialectOf(ds);
  const marks = spec.ids.map(() => '?').join(', ');
  const whereParams = spec.whereParams ?? [];
  const locked = await tx.run(async (em: EntityManager) => {
    const rows: Array<{ id: unknown }> = await em.query(
      `SELECT id FROM ${spec.table} WHERE id IN (${marks}) AND (${spec.where})${skipLocked(d)}`,
      bindParams(d, [...spec.ids, ...whereParams]),
    );
    const ids = rows.map((r) => rawNumber(r.id));
    if (!ids.length) return [];
    await em.query(`UPDATE ${spec.table} SET ${spec.set} WHERE id IN (${ids.map(() => '?').join(', ')})`, bindParams(d, [...(spec.setParams ?? []), ...ids]));
    return ids;
  });
  const claimed = new Set(locked);
  return spec.ids.filter((id) => claimed.has(id));
}
