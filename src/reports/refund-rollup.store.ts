import type { EntityManager } from 'typeorm';
import type { RefundReader, RefundView } from '../refunds/refund.reader';
import { AMOUNT_COLUMNS, CELL_COLUMNS, deltaValues, PENDING_COLUMNS, pendingOf, pendingValues, rollupDeltas } from './refund-rollup.cells';
import { groupFacts, refundFacts } from './refund-facts.query';
import { LIVE_REFUND_STATUSES } from '../refunds/refund.state-machine';
import { Dialect, dialectOf } from './sql-dialect';

const ROLLUP = 'refund_rollups';
const PENDING = 'refund_pending_steps';

/**
 * Keeps the report tables in step with the refunds, as a handler of each refundWritten event:
 * inside the write's transaction, after the refund's rows are written, so they commit or roll
 * back with the refund:
 * - `refund_rollups`: counts and sums per business month × drill × category × bank × method
 *   × status × owner department. A year of monthly aggregates reads a few thousand rows
 *   instead of every refund.
 * - `refund_pending_steps`: the step each refund in progress waits at, with its due time, for
 *   the live count of overdue steps.
 */
export class RefundRollupStore {
  constructor(private readonly reader: RefundReader) {}

  async refundWritten(em: EntityManager, before: RefundView | null, refundId: number): Promise<void> {
    const after = await this.reader.byId(refundId, em);
    const d = dialectOf(em);
    for (const delta of rollupDeltas(before, after)) await em.query(rollupUpsert(d), deltaValues(delta));
    const pending = pendingOf(after);
    if (pending) await em.query(pendingUpsert(d), pendingValues(pending));
    else if (pendingOf(before)) await em.query(`DELETE FROM ${PENDING} WHERE refund_id = ?`, [refundId]);
  }
}

/** Adds a delta to a cell, creating it when new, in one statement (atomic under concurrency). */
function rollupUpsert(d: Dialect): string {
  const add = (c: string) => (d === 'sqlite' ? `${c} = ${c} + excluded.${c}` : `${c} = ${c} + VALUES(${c})`);
  return upsert(d, ROLLUP, [...CELL_COLUMNS, ...AMOUNT_COLUMNS], CELL_COLUMNS, AMOUNT_COLUMNS.map(add));
}

/** Sets the refund's pending step, replacing the one before. */
function pendingUpsert(d: Dialect): string {
  const set = (c: string) => (d === 'sqlite' ? `${c} = excluded.${c}` : `${c} = VALUES(${c})`);
  return upsert(d, PENDING, PENDING_COLUMNS, ['refund_id'], PENDING_COLUMNS.slice(1).map(set));
}

function upsert(d: Dialect, table: string, columns: readonly string[], key: readonly string[], set: string[]): string {
  const insert = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  return d === 'sqlite' ? `${insert} ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${set.join(', ')}` : `${insert} ON DUPLICATE KEY UPDATE ${set.join(', ')}`;
}

/**
 * Recomputes both report tables from the refunds (the migration that creates them, the
 * benchmark, and the tests that check the incremental tables against it). Run it in a
 * transaction.
 */
export async function rebuildRefundRollups(em: EntityManager): Promise<void> {
  const d = dialectOf(em);
  const grouped = groupFacts(em, d, refundFacts(em, d, { includeDrills: true }), CELL_COLUMNS);
  const [sql, params] = grouped.getQueryAndParameters();
  await em.query(`DELETE FROM ${ROLLUP}`);
  // groupFacts selects the sums first, then the keys k0…k6 in CELL_COLUMNS order.
  await em.query(`INSERT INTO ${ROLLUP} (${[...AMOUNT_COLUMNS, ...CELL_COLUMNS].join(', ')}) ${sql}`, params);
  const pending = em
    .createQueryBuilder()
    .from('refunds', 'r')
    .innerJoin('refund_steps', 's', 's.refund_id = r.id AND s.attempt = r.attempt AND s.status = :pending AND s.due_at IS NOT NULL', { pending: 'PENDING' })
    // One selection string: TypeORM would regroup a list by alias, and the order must be PENDING_COLUMNS'.
    .select(
      "r.id, s.step, s.due_at, r.requested_at, r.business_day, r.business_month, r.drill, r.category, COALESCE(r.bank, ''), r.method, r.status, r.owner_department",
    )
    .where('r.status IN (:...active)', { active: LIVE_REFUND_STATUSES });
  const [pendingSql, pendingParams] = pending.getQueryAndParameters();
  await em.query(`DELETE FROM ${PENDING}`);
  await em.query(`INSERT INTO ${PENDING} (${PENDING_COLUMNS.join(', ')}) ${pendingSql}`, pendingParams);
}
