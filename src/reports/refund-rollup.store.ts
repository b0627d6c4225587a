import type { EntityManager } from 'typeorm';
import type { RefundReader, RefundView } from '../refunds/refund.reader';
import type { RefundWriteListener } from '../refunds/refund.service';
import { AMOUNT_COLUMNS, CELL_COLUMNS, deltaValues, rollupDeltas } from './refund-rollup.cells';
import { groupFacts, refundFacts } from './refund-facts.query';
import { dialectOf } from './sql-dialect';

const TABLE = 'refund_rollups';

/**
 * Keeps `refund_rollups` (counts and sums per business month × drill × category × bank ×
 * method × status × owner department) in step with the refunds: the refund service calls it
 * inside each write's transaction, after the refund's rows are written, so the rollup commits
 * or rolls back with the refund. A year of monthly aggregates then reads a few thousand rows
 * instead of every refund.
 */
export class RefundRollupStore implements RefundWriteListener {
  constructor(private readonly reader: RefundReader) {}

  async refundWritten(em: EntityManager, before: RefundView | null, refundId: number): Promise<void> {
    const after = await this.reader.byId(refundId, em);
    for (const delta of rollupDeltas(before, after)) await em.query(upsertSql(em), deltaValues(delta));
  }
}

/** Adds a delta to a cell, creating it when new, in one statement (atomic under concurrency). */
function upsertSql(em: EntityManager): string {
  const columns = [...CELL_COLUMNS, ...AMOUNT_COLUMNS];
  const insert = `INSERT INTO ${TABLE} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  if (dialectOf(em) === 'sqlite') {
    return `${insert} ON CONFLICT (${CELL_COLUMNS.join(', ')}) DO UPDATE SET ${AMOUNT_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`;
  }
  return `${insert} ON DUPLICATE KEY UPDATE ${AMOUNT_COLUMNS.map((c) => `${c} = ${c} + VALUES(${c})`).join(', ')}`;
}

/**
 * Recomputes the whole rollup from the refunds (the migration that creates it, the benchmark,
 * and the test that checks the incremental rollup against it). Run it in a transaction.
 */
export async function rebuildRefundRollups(em: EntityManager): Promise<void> {
  const d = dialectOf(em);
  const grouped = groupFacts(em, d, refundFacts(em, d, { includeDrills: true }), CELL_COLUMNS);
  const [sql, params] = grouped.getQueryAndParameters();
  await em.query(`DELETE FROM ${TABLE}`);
  // groupFacts selects the sums first, then the keys k0…k6 in CELL_COLUMNS order.
  await em.query(`INSERT INTO ${TABLE} (${[...AMOUNT_COLUMNS, ...CELL_COLUMNS].join(', ')}) ${sql}`, params);
}
