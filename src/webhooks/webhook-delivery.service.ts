import { DataSource, In } from 'typeorm';
import type { Clock } from '../common/clock';
import type { Transactions } from '../database/transaction';
import { newestFirstPage } from '../database/keyset-page';
import { decodeCursor, encodeCursor, pageSize, parseId } from '../common/cursor';
import { badInput, conflict, notFound } from '../common/errors';
import { RETRY_WINDOW_MS } from '../common/backoff';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookOutboxEntity } from './webhook-outbox.entity';

export interface DeliveryQuery {
  subscriptionId?: string | null;
  status?: string[] | null;
  eventType?: string[] | null;
  incidentId?: string | null;
  eventId?: string | null;
}

/** A delivery with the event it carries. */
export interface DeliveryView {
  delivery: WebhookDeliveryEntity;
  event: WebhookOutboxEntity;
}

export interface DeliveryPage {
  views: DeliveryView[];
  cursors: string[];
  hasNextPage: boolean;
  totalCount: number;
}

/** What ADMIN sees of deliveries, and redelivery of one. */
export class WebhookDeliveryService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly maxPageSize: number,
  ) {}

  /** A page, newest first (created_at, id), with the total under the same filter. */
  async list(f: DeliveryQuery | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<DeliveryPage> {
    const size = pageSize(first, this.maxPageSize);
    const filter = f ?? {};
    const q = this.ds.getRepository(WebhookDeliveryEntity).createQueryBuilder('d').innerJoin(WebhookOutboxEntity, 'o', 'o.id = d.outbox_id');
    const id = (field: string, v: string) => {
      const n = parseId(v);
      if (n === null) throw badInput(field, 'is not an id');
      return n;
    };
    if (filter.subscriptionId != null) q.andWhere('d.subscription_id = :sub', { sub: id('filter.subscriptionId', filter.subscriptionId) });
    if (filter.incidentId != null) q.andWhere('d.incident_id = :inc', { inc: id('filter.incidentId', filter.incidentId) });
    if (filter.status?.length) q.andWhere('d.status IN (:...status)', { status: filter.status });
    if (filter.eventType?.length) q.andWhere('o.type IN (:...types)', { types: filter.eventType });
    if (filter.eventId != null) q.andWhere('o.event_id = :eventId', { eventId: filter.eventId });
    const { rows: shown, hasNextPage, totalCount } = await newestFirstPage(q, 'd.created_at', 'd.id', size, after ? decodeCursor(after) : null);
    const events = shown.length ? await this.ds.manager.find(WebhookOutboxEntity, { where: { id: In([...new Set(shown.map((d) => d.outboxId))]) } }) : [];
    const byId = new Map(events.map((e) => [e.id, e]));
    return {
      views: shown.map((delivery) => ({ delivery, event: byId.get(delivery.outboxId)! })),
      cursors: shown.map((d) => encodeCursor(d.createdAt, d.id)),
      hasNextPage,
      totalCount,
    };
  }

  /**
   * Sends a delivery again, whatever became of it (DEAD, or DELIVERED and lost by the receiver):
   * due now, with a fresh 24-hour retry window and backoff. A delivery being sent is a CONFLICT.
   */
  async redeliver(deliveryId: string): Promise<DeliveryView> {
    const n = parseId(deliveryId);
    const found = n === null ? null : await this.ds.manager.findOneBy(WebhookDeliveryEntity, { id: n });
    if (!found) throw notFound(`webhook delivery ${deliveryId}`);
    const now = this.clock.now();
    const res = await this.tx.run((em) =>
      em
        .createQueryBuilder()
        .update(WebhookDeliveryEntity)
        .set({ status: 'PENDING', attempts: 0, nextAttemptAt: now, retryUntil: new Date(now.getTime() + RETRY_WINDOW_MS), claimedBy: null, claimedUntil: null })
        .where("id = :id AND status <> 'DELIVERING'", { id: found.id })
        .execute(),
    );
    if (!res.affected) throw conflict(`webhook delivery ${deliveryId} is being sent right now`, { field: 'deliveryId' });
    const delivery = (await this.ds.manager.findOneBy(WebhookDeliveryEntity, { id: found.id }))!;
    const event = (await this.ds.manager.findOneBy(WebhookOutboxEntity, { id: delivery.outboxId }))!;
    return { delivery, event };
  }
}
