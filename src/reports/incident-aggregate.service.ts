/* eslint-disable @typescript-eslint/no-explicit-any -- raw SQL rows: the drivers type them as any, each column is read and converted once here */
import { rawFen, rawInt } from '../database/raw-values';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { ReadDb } from '../database/read-db';
import type { RuleSetService } from '../rulesets/rule-set.service';
import {
  checkIncidentGroupBy,
  finishIncidentGroups,
  INCIDENT_GROUP_COLUMNS,
  IncidentAggregate,
  IncidentAggregateFilter,
  IncidentGroupBy,
  IncidentGroupSums,
  incidentRollupMonths,
} from './incident-aggregate.groups';
import { groupIncidentFacts, incidentFacts, SUMMED, whereIncidentRollup } from './incident-facts.query';
import { checkWindow } from './refund-aggregate.groups';
import type { SqlText } from './refund-aggregate.service';
import { selectGroups } from './refund-facts.query';
import { dialectOf, exactSum } from '../database/dialect';

const DAY_MS = 86_400_000;

/**
 * Complaint statistics (客诉统计分析, the policy's reports): per group of incidents, how many, how
 * many acknowledged and resolved on time, hours to resolve, breaches, satisfaction, repeat
 * customers and amounts, grouped by any combination of MONTH, WEEK, DAY, CATEGORY, SUBTYPE,
 * SEVERITY, OWNER_DEPARTMENT, SOURCE, CHANNEL and STATUS.
 *
 * Whole business months are read from the rollup (incident_rollups); a WEEK or DAY grouping,
 * a customer filter or a window that cuts a month reads the incidents in the window, each with
 * its business periods stored. Nothing here depends on the clock: every figure is of what was
 * recorded. Read on a replica when there are some (`reads`).
 */
export class IncidentAggregateService {
  constructor(
    private readonly ds: DataSource,
    private readonly reads: ReadDb,
    private readonly rules: RuleSetService,
  ) {}

  /**
   * The groups, ordered by their keys. `scan` reads the incidents even when the rollup could
   * answer (the benchmark's baseline, and tests that both paths agree).
   */
  async aggregate(groupBy: readonly IncidentGroupBy[], filter: IncidentAggregateFilter = {}, options: { scan?: boolean } = {}): Promise<IncidentAggregate[]> {
    checkIncidentGroupBy(groupBy);
    checkWindow(filter);
    const rows = await this.reads.read((em) => this.sumsQuery(em, groupBy, filter, options).query.getRawMany());
    return finishIncidentGroups(
      rows.map((r) => groupSums(r, groupBy.length)),
      groupBy.length > 0,
    );
  }

  /** The SQL of an aggregate and whether the rollup answers it (EXPLAIN in the benchmark). */
  plan(groupBy: readonly IncidentGroupBy[], filter: IncidentAggregateFilter = {}, options: { scan?: boolean } = {}): { rollup: boolean; sums: SqlText } {
    const { query, rollup } = this.sumsQuery(this.ds.manager, groupBy, filter, options);
    const [sql, params] = query.getQueryAndParameters();
    return { rollup, sums: { sql, params } };
  }

  private sumsQuery(
    em: EntityManager,
    groupBy: readonly IncidentGroupBy[],
    filter: IncidentAggregateFilter,
    options: { scan?: boolean },
  ): { query: SelectQueryBuilder<any>; rollup: boolean } {
    const d = dialectOf(this.ds);
    const columns = groupBy.map((g) => INCIDENT_GROUP_COLUMNS[g]);
    const { calendar } = this.rules.current().engine;
    const months = options.scan ? null : incidentRollupMonths(groupBy, filter, calendar);
    if (!months) {
      // A day wider on each side: incidents stored their day in the zone of their time, should an admin ever change it.
      const day = (at: Date | null | undefined, shift: number) => (at ? calendar.localDate(new Date(at.getTime() + shift * DAY_MS)) : null);
      const days = { fromDay: day(filter.from, -1), toDay: day(filter.to, 1) };
      return { query: groupIncidentFacts(em, d, incidentFacts(em, d, filter, days), columns), rollup: false };
    }
    // Each rollup row holds the counts and sums of its cell already: add them up per group.
    const q = em.createQueryBuilder().from('incident_rollups', 'x').select('SUM(x.incident_count)', 'incident_count');
    for (const c of SUMMED) q.addSelect(c === 'resolve_ms' ? exactSum(d, `x.${c}`) : `SUM(x.${c})`, c);
    q.addSelect(exactSum(d, 'x.total_fen'), 'total_fen');
    selectGroups(q, columns, (c) => `x.${c}`);
    return { query: whereIncidentRollup(q, 'x', filter, months), rollup: true };
  }
}

function groupSums(row: Record<string, unknown>, n: number): IncidentGroupSums {
  return {
    keys: Array.from({ length: n }, (_, i) => String(row[`k${i}`] ?? '')),
    count: rawInt(row.incident_count),
    acknowledged: rawInt(row.acknowledged),
    acknowledgedOnTime: rawInt(row.acknowledged_on_time),
    resolved: rawInt(row.resolved),
    resolvedOnTime: rawInt(row.resolved_on_time),
    resolveMs: rawInt(row.resolve_ms),
    breaches: rawInt(row.breaches),
    surveyed: rawInt(row.surveyed),
    satisfactionSum: rawInt(row.satisfaction_sum),
    repeatCustomer: rawInt(row.repeat_customer),
    totalFen: rawFen(row.total_fen),
  };
}
