/* eslint-disable @typescript-eslint/no-explicit-any -- raw SQL rows: the drivers type them as any, each column is read and converted once here */
import { rawFen, rawInt } from '../database/raw-values';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Clock } from '../common/clock';
import type { ReadDb } from '../database/read-db';
import type { RuleSetService } from '../rulesets/rule-set.service';
import {
  AggregateFilter,
  checkGroupBy,
  checkWindow,
  finishGroups,
  GROUP_COLUMNS,
  GroupBy,
  groupId,
  GroupSums,
  RefundAggregate,
  rollupMonths,
} from './refund-aggregate.groups';
import { groupFacts, refundFacts, selectGroups, whereRefunds, whereRollup } from './refund-facts.query';
import { dialectOf, exactSum } from '../database/dialect';

/**
 * Refund aggregates for analysts: count, exact total and average, hours from
 * request to payout, and steps that missed their time limit, grouped by any combination of
 * MONTH, DAY, CATEGORY, BANK, METHOD, STATUS and OWNER_DEPARTMENT.
 *
 * Whole business months are read from the rollup (refund_rollups); a DAY grouping or a window
 * that cuts a month reads the refunds in the window (ix_refunds_requested), each with its
 * business day stored. Steps still pending past their due time depend on the clock, so they
 * are always counted live, from the small table of refunds in progress (refund_pending_steps).
 * Read on a replica when there are some (`reads`).
 */
export class RefundAggregateService {
  constructor(
    private readonly ds: DataSource,
    private readonly reads: ReadDb,
    private readonly rules: RuleSetService,
    private readonly clock: Clock,
  ) {}

  /**
   * The groups, ordered by their keys. `scan` reads the refunds even when the rollup could
   * answer (the benchmark's baseline, and tests that both paths agree).
   */
  async aggregate(groupBy: readonly GroupBy[], filter: AggregateFilter = {}, options: { scan?: boolean } = {}): Promise<RefundAggregate[]> {
    checkGroupBy(groupBy);
    checkWindow(filter);
    const columns = groupBy.map((g) => GROUP_COLUMNS[g]);
    const [rows, pending] = await this.reads.read((em) =>
      Promise.all([this.sumsQuery(em, groupBy, filter, options).query.getRawMany(), this.pendingOverdue(em, columns, filter)]),
    );
    return finishGroups(
      rows.map((r) => groupSums(r, columns.length)),
      pending,
      groupBy.length > 0,
    );
  }

  /** The SQL of an aggregate's sums, whether the rollup answers it, and the live query (EXPLAIN in the benchmark). */
  plan(groupBy: readonly GroupBy[], filter: AggregateFilter = {}, options: { scan?: boolean } = {}): { rollup: boolean; sums: SqlText; pending: SqlText } {
    const { query, rollup } = this.sumsQuery(this.ds.manager, groupBy, filter, options);
    const sql = (q: SelectQueryBuilder<any>) => {
      const [text, params] = q.getQueryAndParameters();
      return { sql: text, params };
    };
    return {
      rollup,
      sums: sql(query),
      pending: sql(
        this.pendingQuery(
          this.ds.manager,
          groupBy.map((g) => GROUP_COLUMNS[g]),
          filter,
        ),
      ),
    };
  }

  private sumsQuery(
    em: EntityManager,
    groupBy: readonly GroupBy[],
    filter: AggregateFilter,
    options: { scan?: boolean },
  ): { query: SelectQueryBuilder<any>; rollup: boolean } {
    const d = dialectOf(this.ds);
    const columns = groupBy.map((g) => GROUP_COLUMNS[g]);
    const months = options.scan ? null : rollupMonths(groupBy, filter, this.rules.current().engine.calendar);
    if (!months) return { query: groupFacts(em, d, refundFacts(em, d, filter), columns), rollup: false };
    // Each rollup row holds the counts and sums of its cell already: add them up per group.
    const q = em
      .createQueryBuilder()
      .from('refund_rollups', 'x')
      .select('SUM(x.refund_count)', 'refund_count')
      .addSelect(exactSum(d, 'x.total_fen'), 'total_fen')
      .addSelect('SUM(x.paid_count)', 'paid_count')
      .addSelect(exactSum(d, 'x.pay_ms'), 'pay_ms')
      .addSelect('SUM(x.late_steps)', 'late_steps');
    selectGroups(q, columns, (c) => `x.${c}`);
    return { query: whereRollup(q, 'x', filter, months), rollup: true };
  }

  /**
   * Steps pending past their due time now, per group, from `refund_pending_steps` (one row per
   * refund in progress): never the refunds themselves, nor a cancelled refund's last step,
   * which stays PENDING for good.
   */
  private async pendingOverdue(em: EntityManager, columns: readonly string[], filter: AggregateFilter): Promise<Map<string, number>> {
    const rows = await this.pendingQuery(em, columns, filter).getRawMany();
    return new Map(rows.map((r) => [groupId(keysOf(r, columns.length)), rawInt(r.n)]));
  }

  private pendingQuery(em: EntityManager, columns: readonly string[], filter: AggregateFilter): SelectQueryBuilder<any> {
    const q = em.createQueryBuilder().from('refund_pending_steps', 'p').select('COUNT(*)', 'n').where('p.due_at < :now', { now: this.clock.now() });
    selectGroups(q, columns, (c) => `p.${c}`);
    return whereRefunds(q, 'p', filter);
  }
}

/** SQL as the driver receives it. */
export interface SqlText {
  sql: string;
  params: unknown[];
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
