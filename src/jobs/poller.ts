import type { Logger } from 'pino';

/**
 * One kind of background work the poller drives: deadlines that act (the escalation pass),
 * webhook deliveries, notifications, retention. Its rows live in its own tables; the queue
 * claims what is due there (`claimRows`, claim.ts) and starts it.
 */
export interface JobQueue {
  /** Names the queue in logs. */
  readonly name: string;
  /** One poll: claims what is due and starts it (long work, such as a slow receiver, may run on after it returns). */
  poll(): Promise<unknown>;
  /** Waits for the work it started, handing back what it must not finish (shutdown); it claims nothing new meanwhile. */
  drain?(): Promise<void>;
}

export interface PollerOptions {
  /** Names the poller in logs. */
  name: string;
  /** The pause after each poll before the next one; 0: never on its own (tests and CLI drive `pollOnce`). */
  intervalMs: number;
  log: Logger;
}

/**
 * The one polling loop of the process for background work (one per interval setting): every
 * `intervalMs` after the last poll ended it polls each of its queues in order. A queue that
 * fails is logged and the others still run. Polls never overlap: a poll asked for while one is
 * under way is left out (`wake`, the timer) or waits for it (`runExclusive`).
 *
 * `stop()` is the graceful shutdown: no further polls, the poll under way finishes, then each
 * queue drains (waits for or hands back what it started), in order.
 *
 * Safe with several instances on one database: each queue claims its rows in the database.
 */
export class Poller {
  readonly queues: JobQueue[] = [];
  private timer: NodeJS.Timeout | null = null;
  private woken = false;
  private polling: Promise<void> | null = null;
  /** Exclusive runs (`runExclusive`), one after the other. */
  private exclusive: Promise<unknown> = Promise.resolve();
  private stopping = false;
  private started = false;

  constructor(private readonly options: PollerOptions) {}

  get intervalMs(): number {
    return this.options.intervalMs;
  }

  /** Whether the loop runs and is not stopping. */
  get running(): boolean {
    return this.started && !this.stopping;
  }

  /** Starts polling every intervalMs (nothing when it is 0, or started already). */
  start(): void {
    if (this.options.intervalMs <= 0 || this.started) return;
    this.started = true;
    this.stopping = false;
    this.schedule();
  }

  /** Polls again soon (freed capacity, new work) instead of at the next interval, while running. */
  wake(): void {
    if (!this.running || this.woken) return;
    this.woken = true;
    setImmediate(() => {
      this.woken = false;
      if (this.running) void this.pollOnce();
    });
  }

  /** One poll of every queue; while one is under way, that one (no second poll on top). */
  pollOnce(): Promise<void> {
    if (this.polling) return this.polling;
    if (this.stopping) return Promise.resolve();
    this.polling = this.runExclusive(async () => {
      for (const q of this.queues) {
        if (this.stopping) break;
        try {
          await q.poll();
        } catch (e) {
          this.options.log.error({ err: e, queue: q.name }, `${this.options.name}: poll failed`);
        }
      }
    }).finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  /** Runs `work` after every earlier exclusive run (and poll) of this poller ended: ticks driven by hand queue behind the timer's. */
  runExclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.exclusive.catch(() => undefined).then(work);
    this.exclusive = run.catch(() => undefined);
    return run;
  }

  /** Graceful shutdown: no further polls; the poll under way finishes; then each queue drains. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling?.catch(() => undefined);
    await this.exclusive.catch(() => undefined);
    for (const q of this.queues) {
      try {
        await q.drain?.();
      } catch (e) {
        this.options.log.error({ err: e, queue: q.name }, `${this.options.name}: drain failed`);
      }
    }
    this.started = false;
    this.stopping = false;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pollOnce().finally(() => {
        if (this.running && !this.timer) this.schedule();
      });
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
