import type { DataSource, EntityManager } from 'typeorm';
import { rawTransaction } from './raw-sql';

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
    return this.enqueue(() => this.ds.transaction(work));
  }

  /**
   * The same for work that only sends raw statements (raw-sql.ts `rawExec` with the manager it
   * is given): the hot write path, without TypeORM's transaction machinery.
   */
  runRaw<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.enqueue(() => rawTransaction(this.ds, work));
  }

  private enqueue<T>(transaction: () => Promise<T>): Promise<T> {
    if (!this.serial) return transaction();
    const next = this.queue.then(transaction);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
