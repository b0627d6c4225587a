import type { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import type { Transactions } from '../database/transaction';
import { parseId } from '../common/cursor';
import { badInput, conflict, notFound } from '../common/errors';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from './webhook-events';
import { generateSecret, secretKey } from './webhook-signature';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import { WebhookDestinations } from './webhook-destination';

export interface SubscriptionInput {
  url?: string | null;
  eventTypes?: string[] | null;
  /** Only events of this source's incidents (events without an incident still go). */
  source?: string | null;
  active?: boolean | null;
  description?: string | null;
}

export interface CreateSubscription extends SubscriptionInput {
  url: string;
  eventTypes: string[];
  /** `whsec_…`; generated when absent. */
  secret?: string | null;
}

export interface UpdateSubscription extends SubscriptionInput {
  /** Start a rotation with a generated secret: the new one signs first, the old one still signs. */
  rotateSecret?: boolean | null;
  /** Start a rotation with this secret. */
  newSecret?: string | null;
  /** End a rotation: only the newest secret signs from now on. */
  dropPreviousSecret?: boolean | null;
}

/** A subscription, and its secret when this call made one (shown once, never again). */
export interface SubscriptionResult {
  subscription: WebhookSubscriptionEntity;
  secret: string | null;
}

const MAX_DESCRIPTION = 200;

/**
 * Webhook subscriptions, managed by ADMIN. A subscription signs with at most two
 * secrets: during a rotation both sign every delivery (Standard Webhooks: signatures
 * space-separated), so receivers switch secrets without losing one message.
 */
export class WebhookSubscriptionService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly destinations = new WebhookDestinations(),
  ) {}

  async list(): Promise<WebhookSubscriptionEntity[]> {
    return this.ds.manager.find(WebhookSubscriptionEntity, { order: { id: 'ASC' } });
  }

  async create(actor: Actor, input: CreateSubscription): Promise<SubscriptionResult> {
    const now = this.clock.now();
    const secret = input.secret == null ? generateSecret() : checkSecret('input.secret', input.secret);
    const row: Omit<WebhookSubscriptionEntity, 'id'> = {
      url: await this.destinations.checkUrl('input.url', input.url),
      eventTypes: checkEventTypes('input.eventTypes', input.eventTypes),
      source: checkSource(input.source),
      secrets: [secret],
      active: input.active ?? true,
      description: checkDescription(input.description),
      createdBy: actor.name,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const result = await this.tx.run((em) => em.insert(WebhookSubscriptionEntity, row));
    const id = Number(result.identifiers[0].id);
    return { subscription: (await this.ds.manager.findOneBy(WebhookSubscriptionEntity, { id }))!, secret };
  }

  async update(id: string, input: UpdateSubscription): Promise<SubscriptionResult> {
    const found = await this.find(id);
    const set: Partial<WebhookSubscriptionEntity> = {};
    if (input.url != null) set.url = await this.destinations.checkUrl('input.url', input.url);
    if (input.eventTypes != null) set.eventTypes = checkEventTypes('input.eventTypes', input.eventTypes);
    if (input.source !== undefined) set.source = checkSource(input.source);
    if (input.active != null) set.active = input.active;
    if (input.description !== undefined) set.description = checkDescription(input.description);
    let secret: string | null = null;
    if (input.rotateSecret && input.newSecret != null) throw badInput('input.newSecret', 'give either rotateSecret or newSecret, not both');
    if (input.rotateSecret || input.newSecret != null) {
      secret = input.newSecret != null ? checkSecret('input.newSecret', input.newSecret) : generateSecret();
      if (found.secrets.includes(secret)) throw badInput('input.newSecret', 'is already a secret of this subscription');
      set.secrets = [secret, found.secrets[0]];
    }
    if (input.dropPreviousSecret) set.secrets = [(set.secrets ?? found.secrets)[0]];
    const res = await this.tx.run((em) =>
      em
        .createQueryBuilder()
        .update(WebhookSubscriptionEntity)
        .set({ ...set, version: found.version + 1, updatedAt: this.clock.now() } as Record<string, unknown>)
        .where('id = :id AND version = :version', { id: found.id, version: found.version })
        .execute(),
    );
    if (res.affected === 0) throw conflict(`subscription ${id} was changed concurrently; read it again`, { field: 'id' });
    return { subscription: (await this.ds.manager.findOneBy(WebhookSubscriptionEntity, { id: found.id }))!, secret };
  }

  /** Deletes the subscription and its deliveries (pending ones are not sent). */
  async delete(id: string): Promise<boolean> {
    const found = await this.find(id);
    await this.tx.run((em) => em.delete(WebhookSubscriptionEntity, { id: found.id }));
    return true;
  }

  private async find(id: string): Promise<WebhookSubscriptionEntity> {
    const n = parseId(id);
    const found = n === null ? null : await this.ds.manager.findOneBy(WebhookSubscriptionEntity, { id: n });
    if (!found) throw notFound(`webhook subscription ${id}`);
    return found;
  }
}

function checkEventTypes(field: string, types: unknown): string[] {
  if (!Array.isArray(types) || !types.length) throw badInput(field, `at least one of ${WEBHOOK_EVENT_TYPES.join(', ')}`, { allowed: [...WEBHOOK_EVENT_TYPES] });
  types.forEach((t, i) => {
    if (typeof t !== 'string' || !isWebhookEventType(t))
      throw badInput(`${field}.${i}`, `unknown event type "${String(t)}"; one of ${WEBHOOK_EVENT_TYPES.join(', ')}`, { allowed: [...WEBHOOK_EVENT_TYPES] });
  });
  return WEBHOOK_EVENT_TYPES.filter((t) => types.includes(t));
}

function checkSecret(field: string, secret: unknown): string {
  if (typeof secret !== 'string' || !secretKey(secret))
    throw badInput(field, 'must be whsec_ followed by base64 of 24 to 64 random bytes (leave it out to have one generated)');
  return secret;
}

function checkSource(source: unknown): string | null {
  if (source === null || source === undefined || source === '') return null;
  if (typeof source !== 'string' || source.length > 64) throw badInput('input.source', 'must be a source name of at most 64 characters');
  return source;
}

function checkDescription(d: unknown): string | null {
  if (d === null || d === undefined) return null;
  if (typeof d !== 'string' || d.length > MAX_DESCRIPTION) throw badInput('input.description', `at most ${MAX_DESCRIPTION} characters`);
  return d;
}
