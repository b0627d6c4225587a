/* eslint-disable @typescript-eslint/no-explicit-any -- raw SQL rows: the drivers type them as any, each column is read and converted once here */
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { AggregateFilter } from './refund-aggregate.groups';
import { Dialect, exactSum, millisBetween } from '../database/dialect';

/**
 * SQL shared by the aggregates read from the refunds themselves and by the rollup rebuild:
 * one row of facts per refund, then sums per group. Both sum exactly what `contributionOf`
 * (refund-rollup.cells.ts) adds per refund, so every path gives the same numbers.
 */
export function refundFacts(em: EntityManager, d: Dialect, filter: AggregateFilter): SelectQueryBuilder<any> {
  const q = em
    .createQueryBuilder()
    .from('refunds', 'r')
    .select('r.business_month', 'business_month')
    .addSelect('r.business_day', 'business_day')
    .addSelect('r.drill', 'drill')
    .addSelect('r.category', 'category')
    .addSelect("COALESCE(r.bank, '')", 'bank')
    .addSelect('r.method', 'method')
    .addSelect('r.status', 'status')
    .addSelect('r.owner_department', 'owner_department')
    .addSelect('r.amount_fen', 'amount_fen')
    .addSelect('CASE WHEN r.paid_at IS NULL THEN 0 ELSE 1 END', 'paid')
    .addSelect(`COALESCE(${millisBetween(d, 'r.requested_at', 'r.paid_at')}, 0)`, 'pay_ms')
    // Per refund through uq_refund_steps_position (refund_id first): a handful of rows each.
    .addSelect('(SELECT COUNT(*) FROM refund_steps s WHERE s.refund_id = r.id AND s.decided_at > s.due_at)', 'late_steps');
  return whereRefunds(q, 'r', filter);
}

/** The filter on a refunds alias: drills left out unless asked for; from/to on the request time. */
export function whereRefunds<T extends SelectQueryBuilder<any>>(q: T, a: string, f: AggregateFilter): T {
  if (!f.includeDrills) q.andWhere(`${a}.drill = :drill`, { drill: false });
  if (f.from) q.andWhere(`${a}.requested_at >= :from`, { from: f.from });
  if (f.to) q.andWhere(`${a}.requested_at < :to`, { to: f.to });
  return whereCodes(q, a, f);
}

/** The filter on the rollup: whole business months instead of instants. */
export function whereRollup<T extends SelectQueryBuilder<any>>(
  q: T,
  a: string,
  f: AggregateFilter,
  months: { fromMonth: string | null; toMonth: string | null },
): T {
  if (!f.includeDrills) q.andWhere(`${a}.drill = :drill`, { drill: false });
  if (months.fromMonth) q.andWhere(`${a}.business_month >= :fromMonth`, { fromMonth: months.fromMonth });
  if (months.toMonth) q.andWhere(`${a}.business_month < :toMonth`, { toMonth: months.toMonth });
  return whereCodes(q, a, f);
}

function whereCodes<T extends SelectQueryBuilder<any>>(q: T, a: string, f: AggregateFilter): T {
  if (f.status?.length) q.andWhere(`${a}.status IN (:...status)`, { status: f.status });
  if (f.category?.length) q.andWhere(`${a}.category IN (:...category)`, { category: f.category });
  return q;
}

/** Selects the group keys as k0…kn (a constant when there are none) and groups by them; `expr` gives each column's SQL. */
export function selectGroups<T extends SelectQueryBuilder<any>>(q: T, columns: readonly string[], expr: (column: string) => string): T {
  if (!columns.length) q.addSelect('1', 'one');
  columns.forEach((c, i) => q.addSelect(expr(c), `k${i}`).addGroupBy(expr(c)));
  return q;
}

/** Groups facts (alias t) by the given columns, with the sums of what each refund contributes. */
export function groupFacts(em: EntityManager, d: Dialect, facts: SelectQueryBuilder<any>, columns: readonly string[]): SelectQueryBuilder<any> {
  const q = em
    .createQueryBuilder()
    .from(`(${facts.getQuery()})`, 't')
    .setParameters(facts.getParameters())
    .select('COUNT(*)', 'refund_count')
    .addSelect(exactSum(d, 't.amount_fen'), 'total_fen')
    .addSelect('SUM(t.paid)', 'paid_count')
    .addSelect(exactSum(d, 't.pay_ms'), 'pay_ms')
    .addSelect('SUM(t.late_steps)', 'late_steps');
  return selectGroups(q, columns, (c) => `t.${c}`);
}
