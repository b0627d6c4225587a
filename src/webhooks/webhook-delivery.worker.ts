import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock';
import { rawParams } from '../database/raw-params';
import { rawDate, rawNumber } from '../database/raw-values';
import type { Transactions } from '../database/transaction';
import type { TriageEventBus } from '../events/triage-events';
import { nextAttempt } from '../common/backoff';
import { claimRows } from '../jobs/claim';
import { Poller } from '../jobs/poller';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { webhookBody } from './webhook-events';
import type { WebhookRetention } from './webhook-retention';
import { signatureHeader } from './webhook-signature';
import { WebhookDestinations } from './webhook-destination';
import { WebhookFanOut } from './webhook-fanout';
import { DELIVERY_ATTEMPTS, DELIVERY_CLAIM, DELIVERY_CLAIMABLE, DELIVERY_MESSAGE, DUE_DELIVERIES } from './webhook.statements';

export interface WebhookWorkerOptions {
  /** How often the worker looks for work; 0: never on its own (tests call runOnce). */
  intervalMs: number;
  /** A receiver that has not answered by then has failed this attempt. */
  timeoutMs: number;
  /** Deliveries in flight at most, over all subscriptions. */
  concurrency: number;
  /** Deliveries in flight at most per subscription, so that one dead receiver cannot take every slot. */
  perSubscription?: number;
}

export type DeliveryOutcome = 'delivered' | 'failed' | 'dead' | 'released';

export interface WorkerRun {
  fannedOut: number;
  delivered: number;
  failed: number;
  dead: number;
}

/** How long past its timeout a claim stays with the worker that took it (then another may take it). */
const LEASE_MARGIN_MS = 60_000;

interface InFlight {
  subscriptionId: number;
  abort: AbortController;
  done: Promise<DeliveryOutcome>;
}

/**
 * Delivers the outbox to subscribers, off the request path:
 * 1. fan-out (webhook-fanout.ts): each new outbox event gets one delivery row per active
 *    subscription that wants it;
 * 2. claim: due deliveries are claimed (jobs/claim.ts: locked skipping rows another instance is
 *    claiming, then marked DELIVERING by this worker) — of several instances exactly one gets
 *    each; a claim expires after the timeout plus a margin, so a worker that died leaves nothing stuck;
 * 3. deliver: POST with the Standard Webhooks headers and a timeout, at most `concurrency` at a
 *    time; 2xx is delivered, anything else is retried with backoff and jitter for 24 hours,
 *    then parked as DEAD (redeliverWebhook sends it again).
 * Delivery is at least once: receivers dedupe by `webhook-id`.
 *
 * Runs on its poller (jobs/poller.ts, every WEBHOOK_INTERVAL_MS), which also drives the other
 * delivery queues the composition root adds (notifications to people) and the retention.
 */
export class WebhookDeliveryWorker {
  /** Names this process's claims. */
  readonly workerId = `${os.hostname().slice(0, 32)}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  private readonly inflight = new Map<number, InFlight>();
  /** Fan-outs and claims under way: stop() waits for them before handing deliveries back. */
  private readonly busy = new Set<Promise<unknown>>();
  private stopping = false;
  private readonly fanOuts: WebhookFanOut;

  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: WebhookWorkerOptions,
    /** webhookAttempted: the outcome of every attempt (the metrics count them). */
    private readonly events: TriageEventBus,
    private readonly random: () => number = Math.random,
  ) {
    this.fanOuts = new WebhookFanOut(ds, tx, clock);
    this.poller = new Poller({ name: 'webhooks', intervalMs: options.intervalMs, log });
    this.poller.queues.push(
      { name: 'webhook-deliveries', poll: () => this.poll(), drain: () => this.handBack() },
      { name: 'webhook-retention', poll: async () => this.retention && (await this.tracked(this.retention.maybePrune())) },
    );
  }

  /** The poll loop; the composition root adds the other delivery queues (notifications) to it. */
  readonly poller: Poller;

  /** Where deliveries may connect (set by createWebhookServices from WEBHOOK_ALLOWED_HOSTS): public addresses only by default. */
  destinations = new WebhookDestinations();

  /** Prunes old settled events now and then, from the poll (set by createWebhookServices). */
  retention: WebhookRetention | null = null;

  start(): void {
    if (this.options.intervalMs <= 0 || this.poller.running) return;
    this.stopping = false;
    this.poller.start();
  }

  /**
   * Stops: no new claims; deliveries in flight are aborted and handed back (PENDING, no attempt
   * counted), so another instance or the next start sends them. The receiver may have got one
   * already: it dedupes by webhook-id.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.poller.stop(); // the poll under way, then each queue's drain (handBack, then the notifications')
  }

  /** Waits for fan-outs and claims under way, then aborts the deliveries in flight and waits for them to be handed back. */
  private async handBack(): Promise<void> {
    await Promise.allSettled([...this.busy]);
    for (const f of this.inflight.values()) f.abort.abort();
    await Promise.allSettled([...this.inflight.values()].map((f) => f.done));
  }

  /** Fans out, claims what is due now, and waits for those deliveries to finish (the tests drive the worker with it). */
  async runOnce(): Promise<WorkerRun> {
    const fannedOut = await this.tracked(this.fanOutBacklog());
    const started = await this.tracked(this.claim());
    const outcomes = await Promise.all(started.map((f) => f.done));
    return {
      fannedOut,
      delivered: outcomes.filter((o) => o === 'delivered').length,
      failed: outcomes.filter((o) => o === 'failed').length,
      dead: outcomes.filter((o) => o === 'dead').length,
    };
  }

  /** One poll of the deliveries queue: fan out, fill free slots. Deliveries run on; the next poll does not wait for them. */
  private async poll(): Promise<void> {
    if (this.stopping) return;
    await this.tracked(this.fanOutBacklog());
    await this.tracked(this.claim());
  }

  private tracked<T>(work: Promise<T>): Promise<T> {
    this.busy.add(work);
    return work.finally(() => this.busy.delete(work));
  }

  /** Fans out until a batch comes back short, for at most `budgetMs` or until stopped; returns how many events it fanned out. */
  fanOutBacklog(budgetMs?: number): Promise<number> {
    return this.fanOuts.backlog(budgetMs, () => this.stopping);
  }

  /** Creates the deliveries of one batch of new outbox events; returns how many events it fanned out. */
  fanOut(): Promise<number> {
    return this.fanOuts.batch();
  }

  /** Claims due deliveries up to the free slots (and each subscription's share of them) and starts them. */
  private async claim(): Promise<InFlight[]> {
    const free = this.options.concurrency - this.inflight.size;
    if (free <= 0 || this.stopping) return [];
    const now = this.clock.now();
    const rows: Array<Record<string, unknown>> = await this.ds.query(DUE_DELIVERIES(free * 4), rawParams(this.ds, [true, now, now, false]));
    const perSubscription = new Map<number, number>();
    for (const f of this.inflight.values()) perSubscription.set(f.subscriptionId, (perSubscription.get(f.subscriptionId) ?? 0) + 1);
    const cap = this.options.perSubscription ?? Math.max(1, Math.ceil(this.options.concurrency / 2));
    const subscriptionOf = new Map(rows.map((r) => [rawNumber(r.id), rawNumber(r.subscription_id)]));
    let candidates = [...subscriptionOf.keys()].filter((id) => !this.inflight.has(id));
    const until = new Date(now.getTime() + this.options.timeoutMs + LEASE_MARGIN_MS);
    const started: InFlight[] = [];
    // Rounds: what another instance claimed first leaves its slot to the next candidates.
    while (candidates.length && started.length < free && !this.stopping) {
      const picked: number[] = [];
      const counts = new Map(perSubscription);
      for (const id of candidates) {
        if (started.length + picked.length >= free) break;
        const s = subscriptionOf.get(id)!;
        if ((counts.get(s) ?? 0) >= cap) continue;
        counts.set(s, (counts.get(s) ?? 0) + 1);
        picked.push(id);
      }
      if (!picked.length) break;
      candidates = candidates.filter((id) => !picked.includes(id));
      const claimed = await claimRows(this.ds, this.tx, {
        table: 'webhook_deliveries',
        ids: picked,
        where: DELIVERY_CLAIMABLE,
        whereParams: [now, now],
        set: DELIVERY_CLAIM,
        setParams: [this.workerId, until],
      });
      if (this.stopping) {
        // stop() came while this claim was on its way: hand it straight back.
        if (claimed.length) await this.release(claimed);
        break;
      }
      for (const id of claimed) {
        const subscriptionId = subscriptionOf.get(id)!;
        perSubscription.set(subscriptionId, (perSubscription.get(subscriptionId) ?? 0) + 1);
        started.push(this.begin(id, subscriptionId));
      }
    }
    return started;
  }

  /** Starts the delivery of a claimed row. */
  private begin(id: number, subscriptionId: number): InFlight {
    const abort = new AbortController();
    const f: InFlight = { subscriptionId, abort, done: Promise.resolve('released') };
    f.done = this.deliver(id, abort)
      .then((outcome) => {
        this.events.emit('webhookAttempted', outcome);
        return outcome;
      })
      .finally(() => {
        this.inflight.delete(id);
        // Running on its own: a freed slot (or the next event of this incident) need not wait for the next poll.
        if (!this.stopping) this.poller.wake();
      });
    this.inflight.set(id, f);
    return f;
  }

  /** Hands claims of this worker back, undelivered. */
  private release(ids: number[]): Promise<unknown> {
    return this.tx.run((em) =>
      em
        .createQueryBuilder()
        .update(WebhookDeliveryEntity)
        .set({ status: 'PENDING', claimedBy: null, claimedUntil: null })
        .where("id IN (:...ids) AND status = 'DELIVERING' AND claimed_by = :me", { ids, me: this.workerId })
        .execute(),
    );
  }

  /** One attempt of one claimed delivery; never throws. */
  private async deliver(id: number, stop: AbortController): Promise<DeliveryOutcome> {
    try {
      const [m] = await this.ds.query(DELIVERY_MESSAGE, [id]);
      if (!m) return 'released'; // its subscription was deleted meanwhile
      const eventId = String(m.event_id);
      const body = webhookBody(String(m.type), rawDate(m.occurred_at)!, String(m.payload));
      const timestamp = Math.floor(this.clock.now().getTime() / 1000);
      const secrets = JSON.parse(String(m.secrets)) as string[];
      const attempt = await this.post(
        String(m.url),
        {
          'content-type': 'application/json',
          'user-agent': 'triage-webhooks/1',
          'webhook-id': eventId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader(secrets, eventId, timestamp, body),
        },
        body,
        stop,
      );
      return await this.settle(id, rawDate(m.retry_until)!, attempt);
    } catch (e) {
      this.log.error({ err: e, deliveryId: id }, 'webhooks: delivery bookkeeping failed; the claim expires and it is sent again');
      return 'failed';
    }
  }

  /**
   * POSTs with a timeout; the response body is not read. node:http rather than fetch: its
   * `lookup` hook lets the address a connection really goes to be checked (DNS rebinding), and
   * an IP literal is checked before connecting. A refused destination is not connected to at
   * all (error EDESTINATION), so deliveries never probe internal ports.
   */
  private async post(
    url: string,
    headers: Record<string, string>,
    body: string,
    stop: AbortController,
  ): Promise<{ status: number | null; error: string | null; stopped: boolean }> {
    if (stop.signal.aborted) return { status: null, error: null, stopped: true };
    const attempt = new AbortController();
    const onStop = () => attempt.abort();
    stop.signal.addEventListener('abort', onStop);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort();
    }, this.options.timeoutMs);
    try {
      const target = new URL(url);
      this.destinations.assertConnectable(target);
      const status = await new Promise<number>((resolve, reject) => {
        const send = target.protocol === 'https:' ? https.request : http.request;
        const req = send(
          target,
          {
            method: 'POST',
            headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
            signal: attempt.signal,
            lookup: this.destinations.lookup,
            agent: false,
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      return { status, error: status >= 200 && status < 300 ? null : `HTTP ${status}`, stopped: false };
    } catch (e) {
      if (stop.signal.aborted) return { status: null, error: null, stopped: true };
      const err = e as { code?: string; message?: string };
      const error = timedOut
        ? `no answer within ${this.options.timeoutMs} ms`
        : err.code === 'EDESTINATION'
          ? 'refused: not a public destination (WEBHOOK_ALLOWED_HOSTS)'
          : (err.code ?? err.message ?? 'failed');
      return { status: null, error, stopped: false };
    } finally {
      clearTimeout(timer);
      stop.signal.removeEventListener('abort', onStop);
    }
  }

  /** Records the attempt, only while this worker still holds the claim. */
  private async settle(id: number, retryUntil: Date, a: { status: number | null; error: string | null; stopped: boolean }): Promise<DeliveryOutcome> {
    const now = this.clock.now();
    const mine = (set: QueryDeepPartialEntity<WebhookDeliveryEntity>) =>
      this.tx.run((em) =>
        em
          .createQueryBuilder()
          .update(WebhookDeliveryEntity)
          .set({ ...set, claimedBy: null, claimedUntil: null })
          .where("id = :id AND status = 'DELIVERING' AND claimed_by = :me", { id, me: this.workerId })
          .execute(),
      );
    if (a.stopped) {
      await mine({ status: 'PENDING' });
      return 'released';
    }
    const attempted = { attempts: () => 'attempts + 1', lastAttemptAt: now, lastStatus: a.status, lastError: a.error?.slice(0, 500) ?? null };
    if (!a.error) {
      await mine({ ...attempted, status: 'DELIVERED', deliveredAt: now });
      return 'delivered';
    }
    const [row] = await this.ds.query(DELIVERY_ATTEMPTS, [id]);
    const next = nextAttempt(rawNumber(row?.attempts) + 1, now, retryUntil, this.random());
    await mine({ ...attempted, status: next ? 'PENDING' : 'DEAD', nextAttemptAt: next ?? now });
    this.log.warn(
      { deliveryId: id, status: a.status, error: a.error, retryAt: next?.toISOString() ?? null },
      next ? 'webhooks: delivery failed; retrying later' : 'webhooks: delivery failed for 24 hours; parked as dead',
    );
    return next ? 'failed' : 'dead';
  }
}
