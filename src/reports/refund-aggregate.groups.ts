import type { BusinessCalendar } from '../calendar/business-calendar';
import { badInput } from '../common/errors';
import { averageFen } from '../money/money';

/**
 * Pure parts of the refund aggregates: which column each grouping reads, when
 * the monthly rollup can answer, and how partial sums become the answer. No I/O.
 */
export const GROUP_BYS = ['MONTH', 'DAY', 'CATEGORY', 'BANK', 'METHOD', 'STATUS', 'OWNER_DEPARTMENT'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/**
 * The column each grouping reads, the same name on `refunds` and `refund_rollups`. Months and
 * days are the business-zone ones stored with the refund when it was requested. A refund
 * without a bank is grouped under the empty string.
 */
export const GROUP_COLUMNS: Record<GroupBy, string> = {
  MONTH: 'business_month',
  DAY: 'business_day',
  CATEGORY: 'category',
  BANK: 'bank',
  METHOD: 'method',
  STATUS: 'status',
  OWNER_DEPARTMENT: 'owner_department',
};

/** What the aggregates are filtered on (the contract's RefundFilter). */
export interface AggregateFilter {
  from?: Date | null;
  to?: Date | null;
  status?: readonly string[] | null;
  category?: readonly string[] | null;
  includeDrills?: boolean | null;
}

/** Sums of one group, as either query path returns them. */
export interface GroupSums {
  keys: string[];
  count: number;
  totalFen: bigint;
  paidCount: number;
  /** Σ (paidAt − requestedAt) over the paid refunds, in milliseconds. */
  payMs: number;
  /** Steps decided after their due time, every attempt. */
  lateSteps: number;
}

/** One answer row. */
export interface RefundAggregate {
  keys: string[];
  count: number;
  totalFen: bigint;
  averageFen: bigint;
  paidCount: number;
  averageHoursToPay: number | null;
  lateSteps: number;
  pendingOverdueSteps: number;
  /** lateSteps + pendingOverdueSteps. */
  overdueSteps: number;
}

/** Refuses a grouping named twice (`field` groupBy). */
export function checkGroupBy(groupBy: readonly GroupBy[]): void {
  const seen = new Set<GroupBy>();
  for (const g of groupBy) {
    if (!GROUP_BYS.includes(g)) throw badInput('groupBy', `unknown grouping ${g}; allowed: ${GROUP_BYS.join(', ')}`, { allowed: GROUP_BYS });
    if (seen.has(g)) throw badInput('groupBy', `${g} is named twice`);
    seen.add(g);
  }
}

/** Refuses an empty or reversed window (`field` filter.to). */
export function checkWindow(filter: AggregateFilter): void {
  if (filter.from && filter.to && filter.from.getTime() >= filter.to.getTime()) throw badInput('filter.to', 'must be after filter.from');
}

/**
 * The business months [fromMonth, toMonth) the rollup must sum, or null when only the refunds
 * themselves can answer: a DAY grouping, or a window edge that is not the start of a business
 * month. Nulls inside mean "unbounded".
 */
export function rollupMonths(
  groupBy: readonly GroupBy[],
  filter: AggregateFilter,
  calendar: BusinessCalendar,
): { fromMonth: string | null; toMonth: string | null } | null {
  if (groupBy.includes('DAY')) return null;
  const monthOf = (at: Date | null | undefined): string | null | false => {
    if (!at) return null;
    const month = calendar.localMonth(at);
    return calendar.monthRange(month).from.getTime() === at.getTime() ? month : false;
  };
  const fromMonth = monthOf(filter.from);
  const toMonth = monthOf(filter.to);
  if (fromMonth === false || toMonth === false) return null;
  return { fromMonth, toMonth };
}

/** Key for maps: the keys joined by a character no code or date contains. */
export const groupId = (keys: readonly string[]) => keys.join('\u0001');

/**
 * The answer: sums with the live count of pending overdue steps, averages computed exactly
 * (amount half-up to the fen; hours to pay rounded to 0.01), empty groups dropped, and rows
 * ordered by their keys (code-point order, the same on every database).
 */
export function finishGroups(sums: readonly GroupSums[], pendingOverdue: ReadonlyMap<string, number>, grouped = true): RefundAggregate[] {
  // Without groupings the answer is one total row, over nothing too: a total of 0, not no answer.
  if (!grouped && !sums.some((s) => s.count > 0)) {
    return [{ keys: [], count: 0, totalFen: 0n, averageFen: 0n, paidCount: 0, averageHoursToPay: null, lateSteps: 0, pendingOverdueSteps: 0, overdueSteps: 0 }];
  }
  return sums
    .filter((s) => s.count > 0)
    .map((s) => {
      const pending = pendingOverdue.get(groupId(s.keys)) ?? 0;
      return {
        keys: s.keys,
        count: s.count,
        totalFen: s.totalFen,
        averageFen: averageFen(s.totalFen, s.count),
        paidCount: s.paidCount,
        averageHoursToPay: s.paidCount > 0 ? Math.round(s.payMs / s.paidCount / 36_000) / 100 : null,
        lateSteps: s.lateSteps,
        pendingOverdueSteps: pending,
        overdueSteps: s.lateSteps + pending,
      };
    })
    .sort((a, b) => compareKeys(a.keys, b.keys));
}

export function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}
