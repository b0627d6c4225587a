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

  constructor(private readonly ds: DataSource) {
    this.serial = isSqlite(ds);
  }

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.retrying(() => this.enqueue(() => this.ds.transaction(work)));
  }

  /**
   * The same for work that only sends raw statements (raw-sql.ts `rawExec` with the manager it
   * is given): the hot write path, without TypeORM's transaction machinery.
   */
  runRaw<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.retrying(() => this.enqueue(() => rawTransaction(this.ds, work)));
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
