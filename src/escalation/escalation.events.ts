import type { EntityManager } from 'typeorm';
import { type IncidentHistoryKind, writeHistory } from '../history/history.writer';

/** Who the incident history names for what the scheduler did. */
export const SCHEDULER_ACTOR = 'system:escalation';

/** Kinds the escalation feature adds to an incident's history (incident_events.kind). */
export type EscalationEventKind = Extract<IncidentHistoryKind, 'SLA_WARNING' | 'SLA_BREACHED' | 'ESCALATED' | 'CLOCK_PAUSED' | 'CLOCK_RESUMED'>;

/** Appends an entry to the incident's history, in the caller's transaction (the one history writer). */
export async function historyEntry(
  em: EntityManager,
  incidentId: number,
  at: Date,
  actor: string,
  kind: EscalationEventKind,
  note: string | null,
  detail: Record<string, unknown>,
): Promise<void> {
  await writeHistory(em, { entity: 'INCIDENT', subjectId: incidentId, at, actor, kind, note, detail });
}
