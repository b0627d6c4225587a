import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` in one transaction: all of it is written, or none.
 *
 * TypeORM's SQLite driver has a single connection whose transactions nest as savepoints, so
 * two concurrent transactions would interleave. SQLite has one writer anyway: transactions
 * there are queued one after the other. MySQL transactions run concurrently on the pool.
 */
export class Transactions {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly serial: boolean;

  constructor(private readonly ds: DataSource) {
    this.serial = ds.options.type === 'better-sqlite3';
  }

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serial) return this.ds.transaction(work);
    const next = this.queue.then(() => this.ds.transaction(work));
    this.queue = next.catch(() => undefined);
    return next;
  }
}
