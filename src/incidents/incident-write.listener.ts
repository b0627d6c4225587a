import type { EntityManager } from 'typeorm';
import type { IncidentEntity } from './incident.entity';
import type { IncidentView } from './incident.reader';
import type { Amendment } from './incident-amend.service';

/**
 * Told of incident writes inside their transaction (the webhooks outbox, the statistics'
 * rollup), so that what it writes commits or rolls back with the change. A listener must not
 * call back into the service.
 */
export interface IncidentWriteListener {
  /** A new incident with its actions, just inserted. */
  incidentReported(em: EntityManager, view: IncidentView): Promise<void>;
  /** A status change about to pass the incident's version gate. */
  statusChanged(em: EntityManager, incident: IncidentEntity, change: { from: string; to: string; at: Date; note: string | null; actor: string }): Promise<void>;
  /**
   * The incident's row was just updated (status, deadlines, severity, owner, satisfaction…):
   * `before` as it was read in the transaction, `after` as written. Every write that changes
   * an incident's row calls it, whoever makes the change.
   */
  incidentChanged?(em: EntityManager, before: IncidentEntity, after: IncidentEntity): Promise<void>;
  /** An amendment about to pass the version gate; `incident` as it will be (new severity, decision, version). */
  incidentAmended?(em: EntityManager, incident: IncidentEntity, amendment: Amendment): Promise<void>;
}
