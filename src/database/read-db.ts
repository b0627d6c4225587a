import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { Logger } from 'pino';
import { isConnectionError } from './errors';
import type { TriageEventBus } from '../events/triage-events';

/** Where a read ran. */
export type ReadTarget = 'replica' | 'primary';

/** After a replica failed, reads skip it for this long before trying it again. */
export const REPLICA_RETRY_MS = 5_000;

/**
 * Where read-only work runs: on a read replica when DATABASE_REPLICA_URLS names some (TypeORM
 * replication, `createDataSource`), on the primary otherwise — SQLite, or no replicas: exactly
 * the `ds.manager` of every other read.
 *
 * For work that may trail the primary by the replication lag: reports, aggregates, backtests,
 * list pages, the metrics' row counts. Never for writes, transactions, reads that must see the
 * caller's own write (the incident a mutation returns, an idempotent replay), API keys or the
 * claims of the escalation scheduler and the webhook worker: those use `ds` as they always did.
 *
 * A replica that cannot be reached (refused, lost, timed out) degrades reads rather than
 * breaking them: the work runs again on the primary, the replica is skipped for
 * REPLICA_RETRY_MS, and one warning is logged per outage. Every read counts once, by target.
 */
export class ReadDb {
  private readonly replicated: boolean;
  private replicaDownUntil = 0;
  private replicaDown = false;

  constructor(
    private readonly ds: DataSource,
    private readonly log?: Logger,
    /** databaseRead for each read, by where it ran (the `triage_db_queries_total` counter). */
    private readonly events?: TriageEventBus,
  ) {
    const replicas = (ds.options as { replication?: { slaves?: unknown[] } }).replication?.slaves?.length ?? 0;
    this.replicated = replicas > 0;
    if (this.replicated) log?.info({ replicas }, 'reports, list pages and backtests read from the read replicas');
  }

  /**
   * Runs read-only `work` with an EntityManager on a replica (or on the primary, see above). The
   * work may run twice (a replica failed under it), so it must only read and keep no state
   * across runs. Query builders must start from `em` (`em.createQueryBuilder()`,
   * `em.getRepository(…)`), never from the data source, to run where `em` is.
   */
  async read<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.replicated && Date.now() >= this.replicaDownUntil) {
      const runner = this.ds.createQueryRunner('slave');
      try {
        const result = await this.onReplica(runner, work);
        if (result !== FELL_BACK) return result;
      } finally {
        await runner.release().catch(() => undefined);
      }
    }
    void this.events?.emit('databaseRead', 'primary');
    return work(this.ds.manager);
  }

  /** A raw SELECT through `read` (parameters as for `ds.query`). */
  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.read((em) => em.query(sql, params) as Promise<T[]>);
  }

  private async onReplica<T>(runner: QueryRunner, work: (em: EntityManager) => Promise<T>): Promise<T | typeof FELL_BACK> {
    try {
      // Any failure to get a connection is the replica's (down, refusing, no such database).
      await runner.connect();
    } catch (e) {
      this.replicaFailed(e);
      return FELL_BACK;
    }
    try {
      const result = await work(runner.manager);
      this.replicaAnswered();
      void this.events?.emit('databaseRead', 'replica');
      return result;
    } catch (e) {
      if (!lostConnection(e)) {
        void this.events?.emit('databaseRead', 'replica');
        throw e;
      }
      this.replicaFailed(e);
      return FELL_BACK;
    }
  }

  private replicaFailed(e: unknown): void {
    this.replicaDownUntil = Date.now() + REPLICA_RETRY_MS;
    if (this.replicaDown) return;
    this.replicaDown = true;
    const err = e as { code?: string; driverError?: { code?: string }; message?: string };
    this.log?.warn(
      { code: err.driverError?.code ?? err.code, message: err.message },
      `read replica unreachable: reads go to the primary, the replica is tried again every ${REPLICA_RETRY_MS / 1000} s`,
    );
  }

  private replicaAnswered(): void {
    if (!this.replicaDown) return;
    this.replicaDown = false;
    this.log?.info('read replica answers again: reads go to it');
  }
}

const FELL_BACK = Symbol('fell back to the primary');

/** The connection broke under the work (mysql2 marks those errors fatal). */
function lostConnection(e: unknown): boolean {
  const err = e as { fatal?: boolean; driverError?: { fatal?: boolean } } | null;
  return isConnectionError(e) || err?.fatal === true || err?.driverError?.fatal === true;
}
