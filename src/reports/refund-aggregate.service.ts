import type { DataSource, SelectQueryBuilder } from 'typeorm';
import type { Clock } from '../common/clock';
import type { RuleSetService } from '../rulesets/rule-set.service';
import {
  AggregateFilter, checkGroupBy, checkWindow, finishGroups, GROUP_COLUMNS, GroupBy, groupId, GroupSums, RefundAggregate, rollupMonths,
} from './refund-aggregate.groups';
import { groupFacts, refundFacts, selectGroups, whereRefunds, whereRollup } from './refund-facts.query';
import { ACTIVE_REFUND_STATUSES } from './report-steps';
import { dialectOf, exactSum, rawFen, rawInt } from './sql-dialect';

/**
 * Refund aggregates for analysts (POLICY.md §7): count, exact total and average, hours from
 * request to payout, and steps that missed their time limit, grouped by any combination of
 * MONTH, DAY, CATEGORY, BANK, METHOD, STATUS and OWNER_DEPARTMENT.
 *
 * Whole business months are read from the rollup (refund_rollups); a DAY grouping or a window
 * that cuts a month reads the refunds (index on business_day / requested_at). Steps still
 * pending past their due time depend on the clock, so they are always counted live.
 */
export class RefundAggregateService {
  constructor(private readonly ds: DataSource, private readonly rules: RuleSetService, private readonly clock: Clock) {}

  /**
   * The groups, ordered by their keys. `scan` reads the refunds even when the rollup could
   * answer (the benchmark's baseline, and tests that both paths agree).
   */
  async aggregate(groupBy: readonly GroupBy[], filter: AggregateFilter = {}, options: { scan?: boolean } = {}): Promise<RefundAggregate[]> {
    checkGroupBy(groupBy);
    checkWindow(filter);
    const columns = groupBy.map((g) => GROUP_COLUMNS[g]);
    const [rows, pending] = await Promise.all([this.sumsQuery(groupBy, filter, options).query.getRawMany(), this.pendingOverdue(columns, filter)]);
    return finishGroups(rows.map((r) => groupSums(r, columns.length)), pending);
  }

  /** The SQL of an aggregate's sums and whether the rollup answers it (EXPLAIN in the benchmark). */
  plan(groupBy: readonly GroupBy[], filter: AggregateFilter = {}, options: { scan?: boolean } = {}): { rollup: boolean; sql: string; params: unknown[] } {
    const { query, rollup } = this.sumsQuery(groupBy, filter, options);
    const [sql, params] = query.getQueryAndParameters();
    return { rollup, sql, params };
  }

  private sumsQuery(groupBy: readonly GroupBy[], filter: AggregateFilter, options: { scan?: boolean }): { query: SelectQueryBuilder<any>; rollup: boolean } {
    const d = dialectOf(this.ds);
    const em = this.ds.manager;
    const columns = groupBy.map((g) => GROUP_COLUMNS[g]);
    const months = options.scan ? null : rollupMonths(groupBy, filter, this.rules.current().engine.calendar);
    if (!months) return { query: groupFacts(em, d, refundFacts(em, d, filter), columns), rollup: false };
    // Each rollup row holds the counts and sums of its cell already: add them up per group.
    const q = em.createQueryBuilder().from('refund_rollups', 'x')
      .select('SUM(x.refund_count)', 'refund_count')
      .addSelect(exactSum(d, 'x.total_fen'), 'total_fen')
      .addSelect('SUM(x.paid_count)', 'paid_count')
      .addSelect(exactSum(d, 'x.pay_ms'), 'pay_ms')
      .addSelect('SUM(x.late_steps)', 'late_steps');
    selectGroups(q, columns, (c) => `x.${c}`);
    return { query: whereRollup(q, 'x', filter, months), rollup: true };
  }

  /** Steps pending past their due time now, per group, for refunds still waiting on someone. */
  private async pendingOverdue(columns: readonly string[], filter: AggregateFilter): Promise<Map<string, number>> {
    const q = this.ds.manager.createQueryBuilder()
      .from('refund_steps', 's')
      .innerJoin('refunds', 'r', 'r.id = s.refund_id')
      .select('COUNT(*)', 'n')
      .where('s.status = :pending AND s.due_at < :now', { pending: 'PENDING', now: this.clock.now() })
      .andWhere('r.status IN (:...active)', { active: ACTIVE_REFUND_STATUSES });
    selectGroups(q, columns, (c) => (c === 'bank' ? "COALESCE(r.bank, '')" : `r.${c}`));
    const rows = await whereRefunds(q, 'r', filter).getRawMany();
    return new Map(rows.map((r) => [groupId(keysOf(r, columns.length)), rawInt(r.n)]));
  }
}

function keysOf(row: Record<string, unknown>, n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(row[`k${i}`] ?? ''));
}

function groupSums(row: Record<string, unknown>, n: number): GroupSums {
  return {
    keys: keysOf(row, n),
    count: rawInt(row.refund_count),
    totalFen: rawFen(row.total_fen),
    paidCount: rawInt(row.paid_count),
    payMs: rawInt(row.pay_ms),
    lateSteps: rawInt(row.late_steps),
  };
}
