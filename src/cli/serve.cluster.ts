import cluster, { Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config';
import { backoffDelay, WORKER_RESTART } from '../common/backoff';
import { createDataSource, migrate } from '../database/data-source';
import type { App } from '../app';
import { aggregateWorkerMetrics, joinMetricsAggregation } from '../observability/metrics.cluster';

/** What the primary and the workers of `triage serve` tell each other over IPC. */
export type ClusterMessage =
  { triage: 'reload-rules'; by: string } | { triage: 'rules-reloaded'; ok: boolean } | { triage: 'rules-activated'; checksum: string };

function isClusterMessage(m: unknown): m is ClusterMessage {
  return typeof m === 'object' && m !== null && typeof (m as { triage?: unknown }).triage === 'string';
}

const STOP_TIMEOUT_MS = 25_000;
const RELOAD_TIMEOUT_MS = 30_000;
/** A worker dying sooner than this after its start counts as a crash loop: restarts back off. */
const QUICK_DEATH_MS = 10_000;

/**
 * The primary of `WORKERS=n triage serve`: migrates once (with --migrate), forks n workers that
 * share the port (the first alone, so one of them records the rule pack version), restarts a
 * worker that dies (backing off when they keep dying), drains them all on SIGTERM/SIGINT, and
 * on SIGHUP has every worker reload the rule pack, one after the other.
 *
 * Invariant: every worker runs the same pack. When one activates a pack the others do not run
 * (`reloadRules` over GraphQL reaches one worker; a restarted worker reads the files as they are
 * now), the primary has the others reload from disk too.
 */
export async function servePrimary(config: AppConfig, log: Logger, migrateFirst: boolean): Promise<void> {
  if (migrateFirst) {
    const ds = createDataSource(config.database);
    await ds.initialize();
    try {
      const ran = await migrate(ds);
      if (ran.length) log.info({ migrations: ran }, 'migrations applied');
    } finally {
      await ds.destroy();
    }
  }

  let stopping = false;
  let exitCode = 0;
  let booting = true;
  let quickDeaths = 0;
  let checksum: string | null = null;
  let reloads: Promise<void> = Promise.resolve();
  const startedAt = new Map<number, number>();
  const listened = new Set<number>();
  const acks = new Map<number, (ok: boolean) => void>();
  const live = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());

  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
    return worker;
  };
  const listening = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      worker.once('listening', () => {
        listened.add(worker.id);
        resolve();
      });
      worker.once('exit', (code, signal) => reject(new Error(`worker ${worker.id} exited while starting (code ${code}, signal ${signal})`)));
    });

  /** Asks each worker (but `except`), one at a time, to reload the pack from disk. */
  const reloadAll = async (by: string, except?: number) => {
    for (const worker of live()) {
      if (worker.id === except) continue;
      const ok = await new Promise<boolean>((resolve) => {
        const died = () => done(false);
        const timer = setTimeout(died, RELOAD_TIMEOUT_MS);
        function done(result: boolean) {
          clearTimeout(timer);
          worker.off('exit', died);
          acks.delete(worker.id);
          resolve(result);
        }
        acks.set(worker.id, done);
        worker.once('exit', died);
        worker.send({ triage: 'reload-rules', by } satisfies ClusterMessage);
      });
      if (!ok) log.warn({ worker: worker.id }, 'a worker did not reload the rule pack; it keeps the one it runs');
    }
  };
  const queueReload = (by: string, except?: number) => {
    reloads = reloads.then(() => reloadAll(by, except)).catch((e) => log.error({ err: e }, 'rule pack reload across workers failed'));
  };

  aggregateWorkerMetrics(); // a scrape of any worker sees them all
  cluster.on('message', (worker, message) => {
    if (!isClusterMessage(message)) return;
    if (message.triage === 'rules-reloaded') acks.get(worker.id)?.(message.ok);
    if (message.triage === 'rules-activated') {
      if (checksum === null || checksum === message.checksum) {
        checksum = message.checksum;
        return;
      }
      checksum = message.checksum;
      log.info({ worker: worker.id, checksum }, 'a worker activated another rule pack: the others reload it');
      queueReload(`worker ${worker.id}`, worker.id);
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    const started = startedAt.get(worker.id) ?? 0;
    startedAt.delete(worker.id);
    const hadListened = listened.delete(worker.id);
    if (stopping) {
      if (live().length === 0) {
        log.info('stopped');
        process.exit(exitCode);
      }
      return;
    }
    if (booting && !hadListened) return; // the boot below fails and stops everything
    const lived = Date.now() - started;
    quickDeaths = lived < QUICK_DEATH_MS ? quickDeaths + 1 : 0;
    const delay = quickDeaths ? backoffDelay(quickDeaths, 0, WORKER_RESTART) : 0;
    log.error({ worker: worker.id, pid: worker.process.pid, code, signal, restartInMs: delay }, 'a worker died: starting another');
    setTimeout(() => {
      if (!stopping) listening(fork()).catch(() => undefined); // its death is handled here again
    }, delay);
  });

  const stop = (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    log.info({ signal, workers: live().length }, 'shutting down: every worker finishes its requests in flight');
    const timer = setTimeout(() => {
      for (const worker of live()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, STOP_TIMEOUT_MS);
    timer.unref();
    if (live().length === 0) process.exit(exitCode);
    for (const worker of live()) worker.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => queueReload('SIGHUP'));

  try {
    await listening(fork());
    await Promise.all(Array.from({ length: config.workers - 1 }, () => listening(fork())));
  } catch (e) {
    log.fatal({ err: e }, 'a worker could not start: stopping');
    stop('startup failure', 1);
    return;
  }
  booting = false;
  log.info({ workers: config.workers, port: config.port, pid: process.pid }, 'triage serving with workers');
}

/** In a worker: report the active pack to the primary and reload when it asks. */
export function joinCluster(app: App, log: Logger): void {
  const send = (m: ClusterMessage) => {
    if (process.connected) process.send?.(m);
  };
  const { ruleSets } = app.services;
  joinMetricsAggregation(app.services.metrics);
  app.services.events.on('ruleSetActivated', (active) => send({ triage: 'rules-activated', checksum: active.checksum }));
  send({ triage: 'rules-activated', checksum: ruleSets.current().checksum });
  process.on('message', (message) => {
    if (!isClusterMessage(message) || message.triage !== 'reload-rules') return;
    ruleSets.reload(message.by).then(
      () => send({ triage: 'rules-reloaded', ok: true }),
      (e) => {
        log.warn({ err: e }, 'rule pack reload refused');
        send({ triage: 'rules-reloaded', ok: false });
      },
    );
  });
}
