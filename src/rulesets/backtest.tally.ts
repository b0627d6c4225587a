/**
 * Counting a backtest as it streams: totals per changed field, a breakdown by category and the
 * first N changed incidents as samples. Memory stays bounded by the number of categories and N.
 * Pure.
 */
import { DecisionField, DecisionSummary, diffDecisions } from './decision-diff';

/** How many incidents were re-decided and how many changed, in all and per field. */
export interface ChangeCounts {
  total: number;
  /** Changed in at least one field. */
  changed: number;
  severity: number;
  owner: number;
  notify: number;
  actions: number;
  police: number;
  /** Police flag false → true: would now need a police report. */
  policeNowRequired: number;
  /** Police flag true → false. */
  policeNoLongerRequired: number;
  refundChain: number;
}

export interface BacktestIncident {
  id: number;
  source: string;
  externalRef: string;
  category: string;
  reportedAt: Date;
}

export interface BacktestSample extends BacktestIncident {
  changed: DecisionField[];
  before: DecisionSummary;
  after: DecisionSummary;
}

export interface BacktestTallyResult {
  counts: ChangeCounts;
  byCategory: Array<{ category: string; counts: ChangeCounts }>;
  samples: BacktestSample[];
}

const FIELD_COUNT: Record<DecisionField, keyof ChangeCounts> = {
  SEVERITY: 'severity',
  OWNER: 'owner',
  NOTIFY: 'notify',
  ACTIONS: 'actions',
  POLICE: 'police',
  REFUND_CHAIN: 'refundChain',
};

export const emptyCounts = (): ChangeCounts => ({
  total: 0,
  changed: 0,
  severity: 0,
  owner: 0,
  notify: 0,
  actions: 0,
  police: 0,
  policeNowRequired: 0,
  policeNoLongerRequired: 0,
  refundChain: 0,
});

export class BacktestTally {
  private readonly counts = emptyCounts();
  private readonly byCategory = new Map<string, ChangeCounts>();
  private readonly samples: BacktestSample[] = [];

  /**
   * @param maxSamples how many changed incidents to keep (the first ones, in the order added)
   * @param only keep as samples only incidents where one of these fields changed (null: any)
   */
  constructor(
    private readonly maxSamples: number,
    private readonly only: readonly DecisionField[] | null = null,
  ) {}

  /**
   * Counts one incident. Returns the sample when it was kept (the caller may complete its
   * `before`), else null.
   */
  add(incident: BacktestIncident, before: DecisionSummary, after: DecisionSummary): BacktestSample | null {
    const changed = diffDecisions(before, after);
    let category = this.byCategory.get(incident.category);
    if (!category) this.byCategory.set(incident.category, (category = emptyCounts()));
    for (const counts of [this.counts, category]) {
      counts.total++;
      if (changed.length === 0) continue;
      counts.changed++;
      for (const f of changed) counts[FIELD_COUNT[f]]++;
      if (changed.includes('POLICE')) counts[after.policeReportRequired ? 'policeNowRequired' : 'policeNoLongerRequired']++;
    }
    if (changed.length === 0 || this.samples.length >= this.maxSamples || (this.only && !changed.some((f) => this.only!.includes(f)))) return null;
    const sample = { ...incident, changed, before, after };
    this.samples.push(sample);
    return sample;
  }

  result(): BacktestTallyResult {
    return {
      counts: { ...this.counts },
      byCategory: [...this.byCategory.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([category, counts]) => ({ category, counts: { ...counts } })),
      samples: [...this.samples],
    };
  }
}
