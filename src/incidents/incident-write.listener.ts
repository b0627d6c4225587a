import type { EntityManager } from 'typeorm';
import type { IncidentEntity } from './incident.entity';
import type { IncidentView } from './incident.reader';
import type { Amendment } from './incident-amend.service';

/**
 * Told of incident writes inside their transaction (the webhooks outbox), so that what it
 * writes commits or rolls back with the change. A listener must not call back into the service.
 */
export interface IncidentWriteListener {
  /** A new incident with its actions, just inserted. */
  incidentReported(em: EntityManager, view: IncidentView): Promise<void>;
  /** A status change about to pass the incident's version gate. */
  statusChanged(em: EntityManager, incident: IncidentEntity, change: { from: string; to: string; at: Date; note: string | null; actor: string }): Promise<void>;
  /** An amendment about to pass the version gate; `incident` as it will be (new severity, decision, version). */
  incidentAmended?(em: EntityManager, incident: IncidentEntity, amendment: Amendment): Promise<void>;
}
