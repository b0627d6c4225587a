import type { EntityManager } from 'typeorm';
import type { IncidentEntity } from '../incidents/incident.entity';
import type { IncidentView } from '../incidents/incident.reader';
import { rawNumber } from '../database/raw-values';
import { rawExec } from '../database/raw-sql';
import {
  breachDelta,
  cellOf,
  contributionOf,
  INCIDENT_AMOUNT_COLUMNS,
  INCIDENT_CELL_COLUMNS,
  IncidentDelta,
  incidentCellId,
  incidentDeltas,
  incidentDeltaValues,
  IncidentFigures,
} from './incident-rollup.cells';
import { groupIncidentFacts, incidentFacts } from './incident-facts.query';
import { dialectOf } from '../database/dialect';
import { breachCountOfIncident, INCIDENT_FIGURES, INCIDENT_ROLLUPS, incidentRollupUpsert } from './reports.statements';

/**
 * Keeps `incident_rollups` (counts and sums per business month × drill × category × subtype ×
 * severity × owner department × source × channel × status) in step with the incidents, inside
 * each write's transaction, as its last statements: a year of monthly statistics reads a few
 * thousand rows instead of every incident.
 *
 * Its methods handle, in the write's transaction, the events of every write that changes what
 * an incident contributes (services.ts subscribes them, after every other handler):
 * - `incidentReported` — a new incident;
 * - `incidentChanged(em, before, after)` — any change of the incident's row: status,
 *   acknowledge/resolve times, deadlines (a resumed clock moves them), severity or owner (an
 *   amendment), satisfaction;
 * - `breachRecorded(em, incidentId)` — a breach of any of its deadlines (the escalation scheduler).
 */
export class IncidentRollupStore {
  async incidentReported(em: EntityManager, view: IncidentView): Promise<void> {
    await this.apply(em, incidentDeltas(null, contributionOf(view.entity, 0)));
  }

  async incidentChanged(em: EntityManager, before: IncidentFigures, after: IncidentFigures & Pick<IncidentEntity, 'id'>): Promise<void> {
    // The breaches move with the incident only when its cell changes: count them only then.
    const moves = incidentCellId(cellOf(before)) !== incidentCellId(cellOf(after));
    const breaches = moves ? await breachCount(em, after.id) : 0;
    await this.apply(em, incidentDeltas(contributionOf(before, breaches), contributionOf(after, breaches)));
  }

  async breachRecorded(em: EntityManager, incidentId: number): Promise<void> {
    const [row] = (await rawExec(em, INCIDENT_FIGURES, [incidentId])) as Array<Record<string, unknown>>;
    if (row) await this.apply(em, [breachDelta(figuresOf(row))]);
  }

  /** Raw statements (rawExec): the report's transaction sends nothing else (Transactions.runRaw). */
  private async apply(em: EntityManager, deltas: readonly IncidentDelta[]): Promise<void> {
    const sql = incidentRollupUpsert(dialectOf(em));
    for (const delta of deltas) await rawExec(em, sql, incidentDeltaValues(delta));
  }
}

/**
 * The incident's breaches now. Called after the incident's row was updated, so its lock is
 * held and no breach can be added before commit (the scheduler locks the incident row first);
 * on MySQL a locking read, so breaches committed after this transaction's snapshot count too.
 */
async function breachCount(em: EntityManager, incidentId: number): Promise<number> {
  const [row] = (await rawExec(em, breachCountOfIncident(dialectOf(em)), [incidentId])) as Array<Record<string, unknown>>;
  return rawNumber(row.n);
}

function figuresOf(r: Record<string, unknown>): IncidentFigures {
  return {
    businessMonth: String(r.business_month),
    drill: Boolean(Number(r.drill)),
    category: String(r.category),
    subtype: (r.subtype as string | null) ?? null,
    severity: String(r.severity),
    ownerDepartment: String(r.owner_department),
    source: String(r.source),
    channel: (r.channel as string | null) ?? null,
    status: String(r.status),
    // Not read by a breach's delta.
    reportedAt: new Date(0),
    acknowledgeBy: null,
    acknowledgedAt: null,
    resolveBy: null,
    resolvedAt: null,
    satisfactionScore: null,
    repeatIncidents30d: 0,
    amountFen: null,
  };
}

/**
 * Recomputes `incident_rollups` from the incidents and their breaches (the migration that
 * creates it, the benchmark, and the tests that check the incremental table against it).
 * Run it in a transaction.
 */
export async function rebuildIncidentRollups(em: EntityManager): Promise<void> {
  const d = dialectOf(em);
  const grouped = groupIncidentFacts(em, d, incidentFacts(em, d, { includeDrills: true }), INCIDENT_CELL_COLUMNS);
  const [sql, params] = grouped.getQueryAndParameters();
  await em.query(`DELETE FROM ${INCIDENT_ROLLUPS}`);
  // groupIncidentFacts selects the sums first (INCIDENT_AMOUNT_COLUMNS' order), then the keys k0…k8 in INCIDENT_CELL_COLUMNS order.
  await em.query(`INSERT INTO ${INCIDENT_ROLLUPS} (${[...INCIDENT_AMOUNT_COLUMNS, ...INCIDENT_CELL_COLUMNS].join(', ')}) ${sql}`, params);
}
