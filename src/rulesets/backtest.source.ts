/**
 * Reading stored incidents for a backtest: non-drill, in id order, in batches (keyset
 * pagination: constant memory), each with the decision input the rules saw and its stored
 * decision summarised. Portable SQL (SQLite and MySQL/MariaDB).
 */
import type { EntityManager } from 'typeorm';
import { rawDate } from '../database/raw-values';
import type { StoredDecision } from '../incidents/incident.types';
import type { NormalizedReport } from '../incidents/incident.validation';
import { FACTS } from '../rules/facts';
import type { DecisionInput } from '../rules/rule-engine';
import type { Severity } from '../rules/types';
import type { BacktestIncident } from './backtest.tally';
import type { DecisionSummary } from './decision-diff';

export interface StoredIncident {
  incident: BacktestIncident;
  /** The facts as reported, who the customer is, and the stored report time. */
  input: DecisionInput;
  /** As the rules saw it when the incident was reported. */
  repeatIncidents30d: number;
  /** The stored decision, without `firedRules` (see storedFiredRules). */
  before: DecisionSummary;
}

export interface StoredIncidentQuery {
  from: Date | null;
  to: Date | null;
  batchSize: number;
}

/** The columns read, as the drivers return them. */
interface Row {
  id: number | string;
  source: string;
  externalRef: string;
  category: string;
  reportedAt: Date | string;
  report: string;
  severity: string;
  owner: string;
  police: number | string | boolean;
  version: string;
  notify: string | string[] | null;
  actions: string | Array<{ code: string }> | null;
  refund: string | string[] | null;
}

/** The stored report JSON: the checked report with the amount in fen as a string, plus the computed fact. */
type StoredReport = Omit<NormalizedReport, 'amountFen'> & { amountFen?: string | null; repeatIncidents30d?: number };

/**
 * Batches of the period's stored non-drill incidents, in id order. The next batch is read while
 * the caller works on this one. The scalar parts of the decision come from their columns (written
 * with the decision, never changed); the lists are extracted from the decision JSON by the
 * database, so its bulk (the fired rules with their facts and reasons) never crosses the wire.
 * Every query runs where `em` does (a read replica's, for ReadDb).
 */
export async function* storedIncidents(em: EntityManager, q: StoredIncidentQuery): AsyncGenerator<StoredIncident[]> {
  const bounds = await idBounds(em, q);
  if (!bounds) return;
  let pending = batch(em, q, bounds.first - 1, bounds.last);
  for (;;) {
    const rows = await pending;
    if (rows.length === 0) return;
    pending = rows.length < q.batchSize ? Promise.resolve([]) : batch(em, q, Number(rows[rows.length - 1].id), bounds.last);
    yield rows.map(toStoredIncident);
  }
}

/** The fired rules of stored decisions, by incident id (for the few samples a backtest returns). */
export async function storedFiredRules(em: EntityManager, ids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await em
      .createQueryBuilder()
      .select('i.id', 'id')
      .addSelect('i.decision', 'decision')
      .from('incidents', 'i')
      .where('i.id IN (:...ids)', { ids: ids.slice(i, i + 500) })
      .getRawMany<{ id: number | string; decision: string }>();
    for (const r of rows)
      out.set(
        Number(r.id),
        ((JSON.parse(r.decision) as StoredDecision).firedRules ?? []).map((f) => f.name),
      );
  }
  return out;
}

/** The id range of the period's incidents (served by the reported_at index); null when there are none. */
async function idBounds(em: EntityManager, q: StoredIncidentQuery): Promise<{ first: number; last: number } | null> {
  const query = em.createQueryBuilder().select('MIN(i.id)', 'first').addSelect('MAX(i.id)', 'last').from('incidents', 'i');
  if (q.from) query.andWhere('i.reported_at >= :from', { from: q.from });
  if (q.to) query.andWhere('i.reported_at < :to', { to: q.to });
  const row = await query.getRawOne<{ first: number | string | null; last: number | string | null }>();
  if (!row || row.first === null || row.last === null) return null;
  return { first: Number(row.first), last: Number(row.last) };
}

function batch(em: EntityManager, q: StoredIncidentQuery, afterId: number, lastId: number): Promise<Row[]> {
  const query = em
    .createQueryBuilder()
    .select('i.id', 'id')
    .addSelect('i.source', 'source')
    .addSelect('i.external_ref', 'externalRef')
    .addSelect('i.category', 'category')
    .addSelect('i.reported_at', 'reportedAt')
    .addSelect('i.report', 'report')
    .addSelect('i.severity', 'severity')
    .addSelect('i.owner_department', 'owner')
    .addSelect('i.police_report_required', 'police')
    .addSelect('i.rule_set_version', 'version')
    // JSON_EXTRACT: SQLite's json1 and MySQL/MariaDB spell it alike.
    .addSelect("JSON_EXTRACT(i.decision, '$.notifyDepartments')", 'notify')
    .addSelect("JSON_EXTRACT(i.decision, '$.actions')", 'actions')
    .addSelect("JSON_EXTRACT(i.decision, '$.refundSteps')", 'refund')
    .from('incidents', 'i')
    .where('i.id > :afterId AND i.id <= :lastId', { afterId, lastId })
    .andWhere('i.drill = :drill', { drill: false });
  if (q.from) query.andWhere('i.reported_at >= :from', { from: q.from });
  if (q.to) query.andWhere('i.reported_at < :to', { to: q.to });
  return query.orderBy('i.id', 'ASC').limit(q.batchSize).getRawMany<Row>();
}

function toStoredIncident(row: Row): StoredIncident {
  const report = JSON.parse(row.report) as StoredReport;
  const reportedAt = rawDate(row.reportedAt)!;
  return {
    incident: { id: Number(row.id), source: row.source, externalRef: row.externalRef, category: row.category, reportedAt },
    input: { ...FACTS.ofStoredReport(report), customerId: report.customer?.id ?? null, reportedAt },
    repeatIncidents30d: Number(report.repeatIncidents30d ?? 0),
    before: {
      severity: row.severity as Severity,
      ownerDepartment: row.owner,
      notifyDepartments: jsonList<string>(row.notify),
      actions: jsonList<{ code: string }>(row.actions).map((a) => a.code),
      policeReportRequired: row.police === true || Number(row.police) === 1,
      refundSteps: jsonList<string>(row.refund),
      ruleSetVersion: row.version,
      firedRules: [],
    },
  };
}

/** A JSON_EXTRACT result: JSON text (SQLite, MariaDB), already parsed (MySQL's JSON type), or null. */
function jsonList<T>(v: string | T[] | null): T[] {
  if (v === null || v === undefined) return [];
  return typeof v === 'string' ? (JSON.parse(v) as T[]) : v;
}
