/* eslint-disable @typescript-eslint/no-explicit-any -- raw SQL rows: the drivers type them as any, each column is read and converted once here */
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { IncidentAggregateFilter } from './incident-aggregate.groups';
import { REPEAT_THRESHOLD } from './incident-rollup.cells';
import { Dialect, exactSum, millisBetween } from '../database/dialect';
import { selectGroups } from './refund-facts.query';

/**
 * SQL shared by the statistics read from the incidents themselves and by the rollup rebuild:
 * one row of facts per incident, then sums per group. Both sum exactly what `contributionOf`
 * (incident-rollup.cells.ts) adds per incident, so every path gives the same numbers.
 */
export function incidentFacts(em: EntityManager, d: Dialect, filter: IncidentAggregateFilter, days: BusinessDays = NO_DAYS): SelectQueryBuilder<any> {
  const onTime = (at: string, by: string) => `CASE WHEN i.${at} IS NOT NULL AND (i.${by} IS NULL OR i.${at} <= i.${by}) THEN 1 ELSE 0 END`;
  const q = em
    .createQueryBuilder()
    .from('incidents', 'i')
    .select('i.business_month', 'business_month')
    .addSelect('i.business_week', 'business_week')
    .addSelect('i.business_day', 'business_day')
    .addSelect('i.drill', 'drill')
    .addSelect('i.category', 'category')
    .addSelect("COALESCE(i.subtype, '')", 'subtype')
    .addSelect('i.severity', 'severity')
    .addSelect('i.owner_department', 'owner_department')
    .addSelect('i.source', 'source')
    .addSelect("COALESCE(i.channel, '')", 'channel')
    .addSelect('i.status', 'status')
    .addSelect('CASE WHEN i.acknowledged_at IS NULL THEN 0 ELSE 1 END', 'acknowledged')
    .addSelect(onTime('acknowledged_at', 'acknowledge_by'), 'acknowledged_on_time')
    .addSelect('CASE WHEN i.resolved_at IS NULL THEN 0 ELSE 1 END', 'resolved')
    .addSelect(onTime('resolved_at', 'resolve_by'), 'resolved_on_time')
    .addSelect(`COALESCE(${millisBetween(d, 'i.reported_at', 'i.resolved_at')}, 0)`, 'resolve_ms')
    // Per incident through ix_breaches_incident (incident_id first): a handful of rows at most.
    .addSelect('(SELECT COUNT(*) FROM breaches b WHERE b.incident_id = i.id)', 'breaches')
    .addSelect('CASE WHEN i.satisfaction_score IS NULL THEN 0 ELSE 1 END', 'surveyed')
    .addSelect('COALESCE(i.satisfaction_score, 0)', 'satisfaction_sum')
    .addSelect(`CASE WHEN i.repeat_incidents_30d >= ${REPEAT_THRESHOLD} THEN 1 ELSE 0 END`, 'repeat_customer')
    .addSelect('COALESCE(i.amount_fen, 0)', 'amount_fen');
  return whereIncidents(q, 'i', filter, days);
}

/**
 * Business days around a window (its edges' local dates, both included, or wider), or nulls. The
 * window is checked on the report time; the days only let the database read the window's
 * range of ix_incidents_business_day — grouped by day or week, it would otherwise walk that
 * whole index for its order instead of the window's range (ten times slower on a month).
 */
export interface BusinessDays {
  fromDay: string | null;
  toDay: string | null;
}
const NO_DAYS: BusinessDays = { fromDay: null, toDay: null };

/** The filter on an incidents alias: drills left out unless asked for; from/to on the report time. */
export function whereIncidents<T extends SelectQueryBuilder<any>>(q: T, a: string, f: IncidentAggregateFilter, days: BusinessDays = NO_DAYS): T {
  if (f.from) q.andWhere(`${a}.reported_at >= :from`, { from: f.from });
  if (f.to) q.andWhere(`${a}.reported_at < :to`, { to: f.to });
  if (days.fromDay) q.andWhere(`${a}.business_day >= :fromDay`, { fromDay: days.fromDay });
  if (days.toDay) q.andWhere(`${a}.business_day <= :toDay`, { toDay: days.toDay });
  if (f.customerId) q.andWhere(`${a}.customer_id = :customerId`, { customerId: f.customerId });
  return whereCodes(q, a, f);
}

/** The filter on the rollup: whole business months instead of instants. */
export function whereIncidentRollup<T extends SelectQueryBuilder<any>>(
  q: T,
  a: string,
  f: IncidentAggregateFilter,
  months: { fromMonth: string | null; toMonth: string | null },
): T {
  if (months.fromMonth) q.andWhere(`${a}.business_month >= :fromMonth`, { fromMonth: months.fromMonth });
  if (months.toMonth) q.andWhere(`${a}.business_month < :toMonth`, { toMonth: months.toMonth });
  return whereCodes(q, a, f);
}

function whereCodes<T extends SelectQueryBuilder<any>>(q: T, a: string, f: IncidentAggregateFilter): T {
  if (!f.includeDrills) q.andWhere(`${a}.drill = :drill`, { drill: false });
  if (f.status?.length) q.andWhere(`${a}.status IN (:...status)`, { status: f.status });
  if (f.severity?.length) q.andWhere(`${a}.severity IN (:...severity)`, { severity: f.severity });
  if (f.category?.length) q.andWhere(`${a}.category IN (:...category)`, { category: f.category });
  if (f.ownerDepartment?.length) q.andWhere(`${a}.owner_department IN (:...ownerDepartment)`, { ownerDepartment: f.ownerDepartment });
  if (f.source) q.andWhere(`${a}.source = :source`, { source: f.source });
  return q;
}

/** Groups facts (alias t) by the given columns, with the sums of what each incident contributes. */
export function groupIncidentFacts(em: EntityManager, d: Dialect, facts: SelectQueryBuilder<any>, columns: readonly string[]): SelectQueryBuilder<any> {
  const q = em.createQueryBuilder().from(`(${facts.getQuery()})`, 't').setParameters(facts.getParameters()).select('COUNT(*)', 'incident_count');
  for (const c of SUMMED) q.addSelect(c === 'resolve_ms' ? exactSum(d, `t.${c}`) : `SUM(t.${c})`, c);
  q.addSelect(exactSum(d, 't.amount_fen'), 'total_fen');
  return selectGroups(q, columns, (c) => `t.${c}`);
}

/** The integer sums after the count, as named in both the facts and the rollup (total_fen last). */
export const SUMMED = [
  'acknowledged',
  'acknowledged_on_time',
  'resolved',
  'resolved_on_time',
  'resolve_ms',
  'breaches',
  'surveyed',
  'satisfaction_sum',
  'repeat_customer',
] as const;
