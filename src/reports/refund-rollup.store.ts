import type { EntityManager } from 'typeorm';
import type { RefundView } from '../refunds/refund.reader';
import { AMOUNT_COLUMNS, CELL_COLUMNS, deltaValues, PENDING_COLUMNS, pendingOf, pendingValues, rollupDeltas } from './refund-rollup.cells';
import { groupFacts, refundFacts } from './refund-facts.query';
import { LIVE_REFUND_STATUSES } from '../refunds/refund.state-machine';
import { dialectOf } from '../database/dialect';
import { rawExec } from '../database/raw-sql';
import { DELETE_PENDING_STEP, pendingStepUpsert, REFUND_PENDING_STEPS, REFUND_ROLLUPS, refundRollupUpsert } from './reports.statements';

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
  /** Raw statements (rawExec), as the incident rollups': every refund write sends them, and TypeORM's query() costs more CPU than they do. */
  async refundWritten(em: EntityManager, before: RefundView | null, after: RefundView): Promise<void> {
    const d = dialectOf(em);
    for (const delta of rollupDeltas(before, after)) await rawExec(em, refundRollupUpsert(d), deltaValues(delta));
    const pending = pendingOf(after);
    if (pending) await rawExec(em, pendingStepUpsert(d), pendingValues(pending));
    else if (pendingOf(before)) await rawExec(em, DELETE_PENDING_STEP, [after.entity.id]);
  }
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
  await em.query(`DELETE FROM ${REFUND_ROLLUPS}`);
  // groupFacts selects the sums first, then the keys k0…k6 in CELL_COLUMNS order.
  await em.query(`INSERT INTO ${REFUND_ROLLUPS} (${[...AMOUNT_COLUMNS, ...CELL_COLUMNS].join(', ')}) ${sql}`, params);
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
  await em.query(`DELETE FROM ${REFUND_PENDING_STEPS}`);
  await em.query(`INSERT INTO ${REFUND_PENDING_STEPS} (${PENDING_COLUMNS.join(', ')}) ${pendingSql}`, pendingParams);
}
