import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Clock } from '../common/clock';
import { RETRY_WINDOW_MS } from '../common/backoff';
import { rawParams } from '../database/raw-params';
import { rawNumber } from '../database/raw-values';
import type { Transactions } from '../database/transaction';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookOutboxEntity } from './webhook-outbox.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import { UNFANNED_EVENTS } from './webhook.statements';

const FAN_OUT_BATCH = 200;
/** One poll fans out batch after batch while they come back full, for at most this long (then claims). */
const FAN_OUT_BUDGET_MS = 1_000;

/**
 * The fan-out of the webhook outbox: each new outbox event gets one delivery row per active
 * subscription that wants it, in one transaction that marks the event fanned out (a conditional
 * UPDATE, so two instances never fan out one event twice). The delivery worker runs it on each
 * poll, before it claims what is due.
 */
export class WebhookFanOut {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly clock: Clock,
  ) {}

  /**
   * Fans out until a batch comes back short, or for FAN_OUT_BUDGET_MS: events may arrive faster
   * than one batch per poll (200 a second at the default interval), and the backlog must not
   * grow for as long as they do. Returns how many events it fanned out.
   */
  async backlog(budgetMs = FAN_OUT_BUDGET_MS, stopping: () => boolean = () => false): Promise<number> {
    const until = Date.now() + budgetMs;
    let total = 0;
    for (;;) {
      const n = await this.batch();
      total += n;
      if (n < FAN_OUT_BATCH || stopping() || Date.now() >= until) return total;
    }
  }

  /** Creates the deliveries of one batch of new outbox events; returns how many events it fanned out. */
  async batch(): Promise<number> {
    const events: Array<Record<string, unknown>> = await this.ds.query(UNFANNED_EVENTS(FAN_OUT_BATCH), rawParams(this.ds, [false]));
    if (!events.length) return 0;
    const subscriptions = await this.ds.manager.find(WebhookSubscriptionEntity, { where: { active: true } });
    if (!subscriptions.length) {
      // Nobody listens: one statement marks the batch (a subscription made later starts with later events).
      const last = rawNumber(events[events.length - 1].id);
      const res = await this.tx.run((em) =>
        em.createQueryBuilder().update(WebhookOutboxEntity).set({ fannedOut: true }).where('fanned_out = :no AND id <= :last', { no: false, last }).execute(),
      );
      return res.affected ?? 0;
    }
    const now = this.clock.now();
    return this.tx.run(async (em) => {
      let count = 0;
      for (const e of events) {
        const outboxId = rawNumber(e.id);
        const res = await em
          .createQueryBuilder()
          .update(WebhookOutboxEntity)
          .set({ fannedOut: true })
          .where('id = :id AND fanned_out = :no', { id: outboxId, no: false })
          .execute();
        if (!res.affected) continue; // another instance did it
        count++;
        const source = (e.source as string | null) ?? null;
        const incidentId = e.incident_id === null || e.incident_id === undefined ? null : rawNumber(e.incident_id);
        const rows = subscriptions
          .filter((s) => s.eventTypes.includes(String(e.type)) && (s.source === null || source === null || s.source === source))
          .map((s): Omit<WebhookDeliveryEntity, 'id'> => ({
            outboxId,
            subscriptionId: s.id,
            incidentId,
            status: 'PENDING',
            attempts: 0,
            nextAttemptAt: now,
            retryUntil: new Date(now.getTime() + RETRY_WINDOW_MS),
            claimedBy: null,
            claimedUntil: null,
            lastAttemptAt: null,
            lastStatus: null,
            lastError: null,
            deliveredAt: null,
            createdAt: now,
          }));
        if (rows.length) await em.insert(WebhookDeliveryEntity, rows as QueryDeepPartialEntity<WebhookDeliveryEntity>[]);
      }
      return count;
    });
  }
}
