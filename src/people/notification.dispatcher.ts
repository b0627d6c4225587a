import crypto from 'node:crypto';
import os from 'node:os';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock';
import { rawNumber } from '../database/raw-values';
import { rawParams } from '../database/raw-params';
import type { Transactions } from '../database/transaction';
import { nextAttempt } from '../common/backoff';
import { claimRows } from '../jobs/claim';
import type { JobQueue } from '../jobs/poller';
import { channelRequests, ChannelVerdict, MessageRecipient, NotificationContent, RATE_PER_MINUTE, verdictOf } from './notification-message';
import { NotificationChannelEntity } from './notification-channel.entity';
import { NotificationEntity } from './notification.entity';
import { newMessageId } from './notification.service';
import { CHANNEL_CLAIM, CHANNEL_CLAIMABLE, DUE_CHANNELS } from './people.statements';

export interface DispatchOutcome {
  /** Messages sent (each may carry several notifications). */
  sent: number;
  failed: number;
  throttled: number;
  /** Notifications parked as dead. */
  dead: number;
}

const WINDOW_MS = 60_000;
const LEASE_MARGIN_MS = 60_000;
/** A robot that answered "too fast" waits this long (DingTalk and WeCom throttle for 10 minutes). */
const THROTTLED_FOR_MS: Record<string, number> = { DINGTALK: 10 * 60_000, WECOM: 10 * 60_000, FEISHU: 60_000, WEBHOOK: 60_000 };
/** Notifications one message carries at most (the rest follow in the next). */
const PER_MESSAGE = 50;

/**
 * Delivers notifications, one channel at a time: a channel is claimed (one process sends to a
 * robot at a time), everything due for it is merged into one message, sent, and settled. Each
 * robot's documented rate (DingTalk and WeCom 20 a minute, Feishu 100) is kept by counting the
 * messages of the current minute on the channel row: once it is used up, notifications wait and
 * go out merged in the next message instead of being throttled. A throttling answer anyway
 * (another sender on the same robot) waits the vendor's penalty. Failures are retried with the
 * webhooks' backoff for 24 hours, then DEAD. A queue of the webhooks' poller (jobs/poller.ts): no poller of its own.
 */
export class NotificationDispatcher implements JobQueue {
  readonly name = 'notifications';
  readonly workerId = `${os.hostname().slice(0, 32)}-${process.pid}-n${crypto.randomBytes(3).toString('hex')}`;
  private readonly inflight = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: { timeoutMs: number; concurrency: number },
    private readonly random: () => number = Math.random,
  ) {}

  /** Starts sending to every channel with due work (not waiting for the sends). */
  async poll(): Promise<void> {
    if (this.stopping) return;
    await this.start();
  }

  /** Waits for the sends under way (shutdown), starting none meanwhile. */
  async drain(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.inflight]);
    this.stopping = false;
  }

  /** Sends what is due now and waits for it (tests, or a dispatcher driven by hand). */
  async runOnce(): Promise<DispatchOutcome> {
    const outcomes = await Promise.all(await this.start());
    const total: DispatchOutcome = { sent: 0, failed: 0, throttled: 0, dead: 0 };
    for (const o of outcomes) for (const k of Object.keys(total) as Array<keyof DispatchOutcome>) total[k] += o[k];
    return total;
  }

  private async start(): Promise<Array<Promise<DispatchOutcome>>> {
    const now = this.clock.now();
    const rows: Array<{ channel_id: unknown }> = await this.ds.query(DUE_CHANNELS, rawParams(this.ds, [now, true]));
    const started: Array<Promise<DispatchOutcome>> = [];
    for (const r of rows) {
      if (this.inflight.size >= this.options.concurrency) break;
      const channel = await this.claim(rawNumber(r.channel_id), now);
      if (!channel) continue;
      const p = this.send(channel).catch((e) => {
        this.log.error({ err: e, channelId: channel.id }, 'notifications: send bookkeeping failed; the claim expires and it is sent again');
        return { sent: 0, failed: 1, throttled: 0, dead: 0 };
      });
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p));
      started.push(p);
    }
    return started;
  }

  /** Claims a channel whose rate window has room; null when another process holds it or the robot's minute is used up. */
  private async claim(id: number, now: Date): Promise<NotificationChannelEntity | null> {
    const ch = await this.ds.manager.findOneBy(NotificationChannelEntity, { id });
    if (!ch || !ch.active) return null;
    const inWindow = ch.windowStart !== null && now.getTime() - ch.windowStart.getTime() < WINDOW_MS;
    if (inWindow && ch.windowCount >= (RATE_PER_MINUTE[ch.kind] ?? 20)) return null; // merged into the next message once the minute is over
    const until = new Date(now.getTime() + this.options.timeoutMs * 2 + LEASE_MARGIN_MS);
    const claimed = await claimRows(this.ds, this.tx, {
      table: 'notification_channels',
      ids: [id],
      where: CHANNEL_CLAIMABLE,
      whereParams: [now],
      set: CHANNEL_CLAIM,
      setParams: [this.workerId, until],
    });
    return claimed.length ? ch : null;
  }

  private async send(ch: NotificationChannelEntity): Promise<DispatchOutcome> {
    const now = this.clock.now();
    try {
      const due = await this.ds
        .getRepository(NotificationEntity)
        .createQueryBuilder('n')
        .where("n.channel_id = :id AND n.status = 'PENDING' AND n.next_attempt_at <= :now", { id: ch.id, now })
        .orderBy('n.id')
        .limit(PER_MESSAGE)
        .getMany();
      if (!due.length) return { sent: 0, failed: 0, throttled: 0, dead: 0 };
      const items = new Map<string, NotificationContent>();
      const recipients = new Map<string, MessageRecipient>();
      for (const n of due) {
        items.set(`${n.incidentId}|${n.reason}|${n.department}|${n.payload.detail ?? ''}`, n.payload);
        if (n.recipientKind !== 'GROUP') recipients.set(`${n.recipientName}|${n.recipientPhone ?? ''}`, { name: n.recipientName, phone: n.recipientPhone });
      }
      const messageId = newMessageId();
      const requests = channelRequests(ch, [...items.values()], [...recipients.values()], messageId, now);
      const fresh = ch.windowStart === null || now.getTime() - ch.windowStart.getTime() >= WINDOW_MS;
      await this.tx.run((em) =>
        em.update(
          NotificationChannelEntity,
          { id: ch.id },
          fresh ? { windowStart: now, windowCount: requests.length } : { windowCount: ch.windowCount + requests.length },
        ),
      );
      let verdict: ChannelVerdict = { ok: true };
      let status: number | null = null;
      for (const r of requests) {
        const res = await this.post(r.url, r.headers, r.body);
        status = res.status;
        verdict = res.status === null ? { ok: false, throttled: false, error: res.error ?? 'no answer' } : verdictOf(ch.kind, res.status, res.body);
        if (!verdict.ok) break;
      }
      return await this.settle(ch, due, messageId, verdict, status);
    } finally {
      await this.tx.run((em) =>
        em
          .createQueryBuilder()
          .update(NotificationChannelEntity)
          .set({ claimedBy: null, claimedUntil: null })
          .where('id = :id AND claimed_by = :me', { id: ch.id, me: this.workerId })
          .execute(),
      );
    }
  }

  private async settle(
    ch: NotificationChannelEntity,
    due: NotificationEntity[],
    messageId: string,
    v: ChannelVerdict,
    status: number | null,
  ): Promise<DispatchOutcome> {
    const now = this.clock.now();
    const out: DispatchOutcome = { sent: 0, failed: 0, throttled: 0, dead: 0 };
    await this.tx.run(async (em) => {
      const common = { lastAttemptAt: now, lastStatus: status, messageId };
      if (v.ok) {
        await em
          .createQueryBuilder()
          .update(NotificationEntity)
          .set({ ...common, status: 'SENT', sentAt: now, lastError: null, attempts: () => 'attempts + 1' })
          .where('id IN (:...ids)', { ids: due.map((n) => n.id) })
          .execute();
        out.sent = 1;
        return;
      }
      if (v.throttled) {
        // The robot says too fast: its minute is used up here too, and what waits goes out merged after the penalty.
        out.throttled = 1;
        await em.update(NotificationChannelEntity, { id: ch.id }, { windowStart: now, windowCount: RATE_PER_MINUTE[ch.kind] ?? 20 });
        await em
          .createQueryBuilder()
          .update(NotificationEntity)
          .set({
            ...common,
            lastError: v.error.slice(0, 500),
            attempts: () => 'attempts + 1',
            nextAttemptAt: new Date(now.getTime() + (THROTTLED_FOR_MS[ch.kind] ?? WINDOW_MS)),
          })
          .where('id IN (:...ids)', { ids: due.map((n) => n.id) })
          .execute();
        return;
      }
      out.failed = 1;
      for (const n of due) {
        const next = nextAttempt(n.attempts + 1, now, n.retryUntil, this.random());
        if (!next) out.dead += 1;
        await em.update(
          NotificationEntity,
          { id: n.id },
          { ...common, lastError: v.error.slice(0, 500), attempts: n.attempts + 1, status: next ? 'PENDING' : 'DEAD', nextAttemptAt: next ?? now },
        );
      }
    });
    if (!v.ok)
      this.log.warn(
        { channelId: ch.id, kind: ch.kind, error: v.error, notifications: due.length },
        v.throttled ? 'notifications: the robot throttled us; waiting' : 'notifications: send failed; retrying later',
      );
    return out;
  }

  private async post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number | null; body: string; error: string | null }> {
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.options.timeoutMs), redirect: 'manual' });
      const text = (await res.text()).slice(0, 10_000);
      return { status: res.status, body: text, error: null };
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      return { status: null, body: '', error: cause?.code ?? cause?.message ?? (e as Error).message };
    }
  }
}
