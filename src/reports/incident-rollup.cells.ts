import type { IncidentEntity } from '../incidents/incident.entity';

/**
 * The monthly rollup of incidents (complaint statistics, 客诉统计分析), as pure data.
 * Invariant: every row of `incident_rollups` is the sum of `contributionOf` over the incidents
 * in its cell, now. A write moves an incident's whole contribution: the old one is subtracted
 * and the new one added, in the write's transaction.
 */
export interface IncidentCell {
  businessMonth: string;
  drill: boolean;
  category: string;
  /** '' for none: NULLs never match in a unique index. */
  subtype: string;
  severity: string;
  ownerDepartment: string;
  source: string;
  /** '' for none. */
  channel: string;
  status: string;
}

/** What the statistics add up; each is an integer (fen, milliseconds, scores). */
export interface IncidentAmounts {
  incidents: number;
  acknowledged: number;
  /** Acknowledged by acknowledgeBy (or without one). */
  acknowledgedOnTime: number;
  resolved: number;
  /** Resolved by resolveBy (or without one). */
  resolvedOnTime: number;
  /** Σ (resolvedAt − reportedAt) over the resolved, in milliseconds. */
  resolveMs: number;
  breaches: number;
  surveyed: number;
  satisfactionSum: number;
  /** The customer had 3 or more earlier incidents in the 30 days before. */
  repeatCustomer: number;
  totalFen: bigint;
}

export interface IncidentDelta {
  cell: IncidentCell;
  amounts: IncidentAmounts;
}

/** A customer with this many earlier incidents in 30 days is a repeat customer (the policy's threshold for escalating a repeat customer). */
export const REPEAT_THRESHOLD = 3;

/** The cell columns of `incident_rollups`, in the order of its unique index. */
export const INCIDENT_CELL_COLUMNS = ['business_month', 'drill', 'category', 'subtype', 'severity', 'owner_department', 'source', 'channel', 'status'] as const;
/** The summed columns, in the order `incidentDeltaValues` gives them. */
export const INCIDENT_AMOUNT_COLUMNS = [
  'incident_count',
  'acknowledged',
  'acknowledged_on_time',
  'resolved',
  'resolved_on_time',
  'resolve_ms',
  'breaches',
  'surveyed',
  'satisfaction_sum',
  'repeat_customer',
  'total_fen',
] as const;

const ZERO: IncidentAmounts = {
  incidents: 0,
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

/** The fields of an incident the statistics read. */
export type IncidentFigures = Pick<
  IncidentEntity,
  | 'businessMonth'
  | 'drill'
  | 'category'
  | 'subtype'
  | 'severity'
  | 'ownerDepartment'
  | 'source'
  | 'channel'
  | 'status'
  | 'reportedAt'
  | 'acknowledgeBy'
  | 'acknowledgedAt'
  | 'resolveBy'
  | 'resolvedAt'
  | 'satisfactionScore'
  | 'repeatIncidents30d'
  | 'amountFen'
>;

export function cellOf(e: IncidentFigures): IncidentCell {
  return {
    businessMonth: e.businessMonth,
    drill: e.drill,
    category: e.category,
    subtype: e.subtype ?? '',
    severity: e.severity,
    ownerDepartment: e.ownerDepartment,
    source: e.source,
    channel: e.channel ?? '',
    status: e.status,
  };
}

const by = (at: Date | null, due: Date | null) => (at && (!due || at.getTime() <= due.getTime()) ? 1 : 0);

/** What one incident with `breaches` recorded breaches adds to its cell. */
export function contributionOf(e: IncidentFigures, breaches: number): IncidentDelta {
  return {
    cell: cellOf(e),
    amounts: {
      incidents: 1,
      acknowledged: e.acknowledgedAt ? 1 : 0,
      acknowledgedOnTime: by(e.acknowledgedAt, e.acknowledgeBy),
      resolved: e.resolvedAt ? 1 : 0,
      resolvedOnTime: by(e.resolvedAt, e.resolveBy),
      resolveMs: e.resolvedAt ? e.resolvedAt.getTime() - e.reportedAt.getTime() : 0,
      breaches,
      surveyed: e.satisfactionScore === null ? 0 : 1,
      satisfactionSum: e.satisfactionScore ?? 0,
      repeatCustomer: e.repeatIncidents30d >= REPEAT_THRESHOLD ? 1 : 0,
      totalFen: e.amountFen ?? 0n,
    },
  };
}

export const incidentCellId = (c: IncidentCell) =>
  [c.businessMonth, c.drill ? '1' : '0', c.category, c.subtype, c.severity, c.ownerDepartment, c.source, c.channel, c.status].join('\u0001');

// Each amount written out (one object shape, no keyed access by a key list): these run on every write of an incident.
function plus(a: IncidentAmounts, b: IncidentAmounts, sign: 1 | -1): IncidentAmounts {
  return {
    incidents: a.incidents + sign * b.incidents,
    acknowledged: a.acknowledged + sign * b.acknowledged,
    acknowledgedOnTime: a.acknowledgedOnTime + sign * b.acknowledgedOnTime,
    resolved: a.resolved + sign * b.resolved,
    resolvedOnTime: a.resolvedOnTime + sign * b.resolvedOnTime,
    resolveMs: a.resolveMs + sign * b.resolveMs,
    breaches: a.breaches + sign * b.breaches,
    surveyed: a.surveyed + sign * b.surveyed,
    satisfactionSum: a.satisfactionSum + sign * b.satisfactionSum,
    repeatCustomer: a.repeatCustomer + sign * b.repeatCustomer,
    totalFen: a.totalFen + BigInt(sign) * b.totalFen,
  };
}

const isZero = (a: IncidentAmounts) =>
  a.incidents === 0 &&
  a.acknowledged === 0 &&
  a.acknowledgedOnTime === 0 &&
  a.resolved === 0 &&
  a.resolvedOnTime === 0 &&
  a.resolveMs === 0 &&
  a.breaches === 0 &&
  a.surveyed === 0 &&
  a.satisfactionSum === 0 &&
  a.repeatCustomer === 0 &&
  a.totalFen === 0n;

/**
 * What a write changes in the rollup: the contributions before it (subtracted) and after it
 * (added), merged per cell, without cells that do not change, in cell order — so two
 * transactions always lock rollup rows in the same order and cannot deadlock on them.
 */
export function incidentDeltas(before: IncidentDelta | null, after: IncidentDelta | null): IncidentDelta[] {
  const byCell = new Map<string, IncidentDelta>();
  const add = (d: IncidentDelta, sign: 1 | -1) => {
    const id = incidentCellId(d.cell);
    byCell.set(id, { cell: d.cell, amounts: plus(byCell.get(id)?.amounts ?? ZERO, d.amounts, sign) });
  };
  if (before) add(before, -1);
  if (after) add(after, 1);
  return [...byCell.entries()]
    .filter(([, d]) => !isZero(d.amounts))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => d);
}

/** Parameters of one upsert: the cell, then the amounts (fen as a decimal string: exact). */
export function incidentDeltaValues(d: IncidentDelta): Array<string | number> {
  const c = d.cell;
  const a = d.amounts;
  return [
    c.businessMonth,
    c.drill ? 1 : 0,
    c.category,
    c.subtype,
    c.severity,
    c.ownerDepartment,
    c.source,
    c.channel,
    c.status,
    a.incidents,
    a.acknowledged,
    a.acknowledgedOnTime,
    a.resolved,
    a.resolvedOnTime,
    a.resolveMs,
    a.breaches,
    a.surveyed,
    a.satisfactionSum,
    a.repeatCustomer,
    a.totalFen.toString(),
  ];
}

/** One breach more, in the incident's cell. */
export function breachDelta(e: IncidentFigures): IncidentDelta {
  return { cell: cellOf(e), amounts: { ...ZERO, breaches: 1 } };
}
