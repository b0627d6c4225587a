import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { rawParams } from '../database/raw-params';
import { rawExec } from '../database/raw-sql';
import { lockIncidentRow } from '../database/locks';
import type { TriageEventBus } from '../events/triage-events';
import type { OutboxEvent } from './webhook-events';
import { OUTBOX_INSERT } from './webhook.statements';

/** The mark a drill's webhook payloads carry beside `drill: true` (预案演练). */
export const DRILL_MARK = '【演练】';

/**
 * Writes events to `webhook_outbox` inside the transaction of the change they describe: the
 * event exists exactly when the change committed. Delivery happens later, off the request path.
 *
 * Order per incident: on MySQL an outbox id is taken at insert but seen at commit, so two
 * transactions on one incident could commit in the other order than their ids. Locking the
 * incident row before the insert (held to commit) makes id order the commit order for an
 * incident's events. SQLite runs one transaction at a time anyway.
 */
export class WebhookOutbox {
  /** `events`: outboxEventAdded for every event, in its transaction, after it is written (notifications to people). */
  constructor(private readonly events: TriageEventBus) {}

  /** Adds an event. `incidentLocked`: the transaction already holds (or created) the incident row. */
  async add(em: EntityManager, e: OutboxEvent, opts: { incidentLocked?: boolean } = {}): Promise<string> {
    const ds = em.connection;
    if (e.incidentId !== null && !opts.incidentLocked) {
      await lockIncidentRow(em, e.incidentId);
    }
    const eventId = `msg_${crypto.randomUUID().replace(/-/g, '')}`;
    // Straight to the driver (a prepared statement on MySQL): every report writes one of these.
    // A drill's events say so in words too (【演练】), not only with `drill: true`: a receiver that shows them to people must not mistake one for the real thing.
    const data = (e.data as { drill?: unknown } | null)?.drill === true ? { ...(e.data as object), mark: DRILL_MARK } : e.data;
    await rawExec(em, OUTBOX_INSERT, rawParams(ds, [eventId, e.type, e.incidentId, e.source, JSON.stringify(data), e.at, false]));
    await this.events.publish(em, 'outboxEventAdded', e);
    return eventId;
  }
}
