import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { IncidentEventEntity } from '../incidents/incident-event.entity';

/** Who the incident history names for what the scheduler did. */
export const SCHEDULER_ACTOR = 'system:escalation';

/** Kinds the escalation feature adds to an incident's history (incident_events.kind). */
export type EscalationEventKind = 'SLA_WARNING' | 'SLA_BREACHED' | 'ESCALATED' | 'CLOCK_PAUSED' | 'CLOCK_RESUMED';

/** Appends an entry to the incident's history, in the caller's transaction. */
export async function historyEntry(
  em: EntityManager,
  incidentId: number,
  at: Date,
  actor: string,
  kind: EscalationEventKind,
  note: string | null,
  detail: Record<string, unknown>,
): Promise<void> {
  const row: Omit<IncidentEventEntity, 'id'> = { incidentId, at, actor, kind, fromStatus: null, toStatus: null, note, detail };
  await em.insert(IncidentEventEntity, row as QueryDeepPartialEntity<IncidentEventEntity>);
}
