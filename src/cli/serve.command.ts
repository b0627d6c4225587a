import cluster from 'node:cluster';
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { AppConfig, loadConfig } from '../config/config';
import { createApp } from '../app';
import { createLogger } from '../common/logger';
import { joinCluster, servePrimary } from './serve.cluster';

/**
 * `triage serve [--migrate]`: serve until SIGTERM/SIGINT (graceful), reload rules on SIGHUP.
 * With WORKERS=n (n > 1) a primary process forks n workers behind the one port (serve.cluster.ts).
 */
export function registerServe(program: Command) {
  program
    .command('serve')
    .description('serve the GraphQL API (PORT, HOST, DATABASE_URL, RULES_DIR, LOG_LEVEL, WORKERS)')
    .option('--migrate', 'apply pending migrations first', false)
    .action(async (opts: { migrate: boolean }) => {
      const config = loadConfig();
      const log = createLogger(config.logLevel, undefined, { traceIds: config.tracing !== null });
      if (config.workers > 1 && cluster.isPrimary) return servePrimary(config, log, opts.migrate);
      // A worker's primary has migrated already.
      return serveHere(config, cluster.isWorker ? log.child({ worker: cluster.worker!.id }) : log, opts.migrate && cluster.isPrimary);
    });
}

/** Serves in this process: the whole service, or one worker of several. */
async function serveHere(config: AppConfig, log: Logger, migrateFirst: boolean): Promise<void> {
  const app = await createApp(config, { log, migrate: migrateFirst });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing requests in flight');
    const timer = setTimeout(() => process.exit(1), 20_000);
    timer.unref();
    await app.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGHUP', () => {
    app.services.ruleSets.reload('SIGHUP').catch(() => undefined);
  });
  if (cluster.isWorker) joinCluster(app, log);
}
