import type { BusinessCalendar } from '../calendar/business-calendar';
import { badInput } from '../common/errors';
import { compareKeys } from './refund-aggregate.groups';
import type { IncidentAmounts } from './incident-rollup.cells';

/**
 * Pure parts of the complaint statistics (客诉统计分析, the policy's reports): which column each
 * grouping reads, when the monthly rollup can answer, and how sums become the answer. No I/O.
 */
export const INCIDENT_GROUP_BYS = ['MONTH', 'WEEK', 'DAY', 'CATEGORY', 'SUBTYPE', 'SEVERITY', 'OWNER_DEPARTMENT', 'SOURCE', 'CHANNEL', 'STATUS'] as const;
export type IncidentGroupBy = (typeof INCIDENT_GROUP_BYS)[number];

/**
 * The column each grouping reads, the same name in the incident facts and `incident_rollups`.
 * Periods are the business-zone ones stored with the incident when it was reported (WEEK: ISO
 * week, Monday first, "2026-W48"). No subtype or channel is grouped under the empty string.
 */
export const INCIDENT_GROUP_COLUMNS: Record<IncidentGroupBy, string> = {
  MONTH: 'business_month',
  WEEK: 'business_week',
  DAY: 'business_day',
  CATEGORY: 'category',
  SUBTYPE: 'subtype',
  SEVERITY: 'severity',
  OWNER_DEPARTMENT: 'owner_department',
  SOURCE: 'source',
  CHANNEL: 'channel',
  STATUS: 'status',
};

/** Groupings the monthly rollup cannot answer: periods finer than its month. */
const FINER_THAN_MONTH: readonly IncidentGroupBy[] = ['WEEK', 'DAY'];

/** What the statistics are filtered on (the contract's IncidentFilter). */
export interface IncidentAggregateFilter {
  from?: Date | null;
  to?: Date | null;
  status?: readonly string[] | null;
  severity?: readonly string[] | null;
  category?: readonly string[] | null;
  ownerDepartment?: readonly string[] | null;
  includeDrills?: boolean | null;
  source?: string | null;
  customerId?: string | null;
}

/**
 * Sums of one group, as either query path returns them: the rollup's amounts (one definition,
 * incident-rollup.cells.ts), with the group's keys and its incident count named as the answer names it.
 */
export type IncidentGroupSums = Omit<IncidentAmounts, 'incidents'> & { keys: string[]; count: number };

/** One answer row (the contract's IncidentAggregate). */
export interface IncidentAggregate {
  keys: string[];
  count: number;
  acknowledgedOnTimeRate: number | null;
  resolvedOnTimeRate: number | null;
  averageHoursToResolve: number | null;
  breaches: number;
  surveyed: number;
  averageSatisfaction: number | null;
  repeatCustomerIncidents: number;
  totalFen: bigint;
  // Beyond the contract: what the rates and averages are taken over.
  acknowledged: number;
  resolved: number;
}

/** Refuses a grouping named twice (`field` groupBy). */
export function checkIncidentGroupBy(groupBy: readonly IncidentGroupBy[]): void {
  const seen = new Set<IncidentGroupBy>();
  for (const g of groupBy) {
    if (!INCIDENT_GROUP_BYS.includes(g))
      throw badInput('groupBy', `unknown grouping ${g}; allowed: ${INCIDENT_GROUP_BYS.join(', ')}`, { allowed: INCIDENT_GROUP_BYS });
    if (seen.has(g)) throw badInput('groupBy', `${g} is named twice`);
    seen.add(g);
  }
}

/**
 * The business months [fromMonth, toMonth) the rollup must sum, or null when only the
 * incidents themselves can answer: a WEEK or DAY grouping, a customer filter, or a window edge
 * that is not the start of a business month. Nulls inside mean "unbounded".
 */
export function incidentRollupMonths(
  groupBy: readonly IncidentGroupBy[],
  filter: IncidentAggregateFilter,
  calendar: BusinessCalendar,
): { fromMonth: string | null; toMonth: string | null } | null {
  if (groupBy.some((g) => FINER_THAN_MONTH.includes(g)) || filter.customerId) return null;
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

const ratio = (n: number, of: number) => (of > 0 ? n / of : null);
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The answer: rates as exact ratios (0..1, null when nothing to take them over), hours to
 * resolve and satisfaction averaged and rounded to 0.01, empty groups dropped (one total row
 * of zeros when there is no grouping), rows ordered by their keys (code-point order, the same
 * on every database).
 */
export function finishIncidentGroups(sums: readonly IncidentGroupSums[], grouped: boolean): IncidentAggregate[] {
  const rows = sums.filter((s) => s.count > 0);
  if (!grouped && rows.length === 0) rows.push(emptySums());
  return rows
    .map((s) => ({
      keys: s.keys,
      count: s.count,
      acknowledgedOnTimeRate: ratio(s.acknowledgedOnTime, s.acknowledged),
      resolvedOnTimeRate: ratio(s.resolvedOnTime, s.resolved),
      averageHoursToResolve: s.resolved > 0 ? round2(s.resolveMs / s.resolved / 3_600_000) : null,
      breaches: s.breaches,
      surveyed: s.surveyed,
      averageSatisfaction: s.surveyed > 0 ? round2(s.satisfactionSum / s.surveyed) : null,
      repeatCustomerIncidents: s.repeatCustomer,
      totalFen: s.totalFen,
      acknowledged: s.acknowledged,
      resolved: s.resolved,
    }))
    .sort((a, b) => compareKeys(a.keys, b.keys));
}

function emptySums(): IncidentGroupSums {
  return {
    keys: [],
    count: 0,
    acknowledged: 0,
    acknowledgedOnTime: 0,
    resolved: 0,
    resolvedOnTime: 0,
    resolveMs: 0,
    breaches: 0,
    surveyed: 0,
    satisfactionSum: 0,
    repeatCustomer: 0,
    totalFen: 0n,
  };
}
