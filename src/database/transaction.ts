import type { DataSource, EntityManager } from 'typeorm';
import { rawTransaction } from './raw-sql';
import { isDeadlock } from './errors';
import { backoffDelay, DEADLOCK_RETRY } from '../common/backoff';
import { isSqlite } from './dialect';

/** Runs of one transaction at most, when MySQL/MariaDB picks it as a deadlock victim each time. */
export const DEADLOCK_ATTEMPTS = 4;

/**
 * Runs `work` in one transaction: all of it is written, or none.
 *
 * TypeORM's SQLite driver has a single connection whose transactions nest as savepoints, so
 * two concurrent transactions would interleave. SQLite has one writer anyway: transactions
 * there are queued one after the other. MySQL transactions run concurrently on the pool.
 *
 * A transaction MySQL/MariaDB rolls back as a deadlock victim runs again, whole, up to
 * DEADLOCK_ATTEMPTS times with a short jittered pause: `work` must read what it depends on
 * inside the transaction (every service here does) and do nothing outside the database.
 * Writers of an incident take its row lock first (lockIncidentRow), so deadlocks among them
 * should not happen at all; this is the net for the ones lock ordering does not rule out.
 */
export class Transactions {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly serial: boolean;
  /**
   * The managers of the transactions open now, each with its after-commit queue (flat triples
   * run, a, b; null until something is queued: most transactions queue nothing).
   */
  private readonly open = new WeakMap<EntityManager, unknown[] | null>();

  constructor(private readonly ds: DataSource) {
    this.serial = isSqlite(ds);
  }

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.committed((scoped) => this.ds.transaction(scoped), work);
  }

  /**
   * The same for work that only sends raw statements (raw-sql.ts `rawExec` with the manager it
   * is given): the hot write path, without TypeORM's transaction machinery.
   */
  runRaw<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.committed((scoped) => rawTransaction(this.ds, scoped), work);
  }

  /**
   * Runs `run(a, b)` once the transaction `em` belongs to has committed, before its caller goes
   * on; never when it rolls back (nor for an attempt a deadlock retry replaced). Outside any
   * transaction of these, runs it now. The event bus queues its after-commit handlers here.
   */
  afterCommit<A, B>(em: EntityManager, run: (a: A, b: B) => void | Promise<void>, a: A, b: B): void | Promise<void> {
    const queued = this.open.get(em);
    if (queued === undefined) return run(a, b);
    if (queued === null) this.open.set(em, [run, a, b]);
    else queued.push(run, a, b);
  }

  /** Opens `work`'s transaction with `begin` (retried, serialised on SQLite), then runs what it queued for after commit. */
  private async committed<T>(begin: (scoped: (em: EntityManager) => Promise<T>) => Promise<T>, work: (em: EntityManager) => Promise<T>): Promise<T> {
    let em: EntityManager | null = null;
    let queued: unknown[] | null = null;
    const scoped = (m: EntityManager) => {
      em = m;
      this.open.set(m, null);
      return work(m);
    };
    const attempt = async () => {
      queued = null;
      try {
        return await begin(scoped);
      } finally {
        // Committed or rolled back: what the attempt queued is kept only if it committed (the result is returned).
        if (em) {
          queued = this.open.get(em) ?? null;
          this.open.delete(em);
          em = null;
        }
      }
    };
    const result = await this.retrying(() => this.enqueue(attempt));
    // Outside the SQLite queue: an after-commit handler may open a transaction of its own.
    const after = queued as unknown[] | null;
    if (after) for (let i = 0; i < after.length; i += 3) await (after[i] as (a: unknown, b: unknown) => unknown)(after[i + 1], after[i + 2]);
    return result;
  }

  /** Told of every deadlock retried (the metrics). */
  onDeadlockRetry?: () => void;

  private async retrying<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (e) {
        if (n >= DEADLOCK_ATTEMPTS || !isDeadlock(e)) throw e;
        this.onDeadlockRetry?.();
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(n, Math.random(), DEADLOCK_RETRY)));
      }
    }
  }

  private enqueue<T>(transaction: () => Promise<T>): Promise<T> {
    if (!this.serial) return transaction();
    const next = this.queue.then(transaction);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
