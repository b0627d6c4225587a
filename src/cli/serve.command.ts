import type { Command } from 'commander';
import { loadConfig } from '../config/config';
import { createApp } from '../app';
import { createLogger } from '../common/logger';

/** `triage serve [--migrate]`: serve until SIGTERM/SIGINT (graceful), reload rules on SIGHUP. */
export function registerServe(program: Command) {
  program.command('serve')
    .description('serve the GraphQL API (PORT, HOST, DATABASE_URL, RULES_DIR, LOG_LEVEL)')
    .option('--migrate', 'apply pending migrations first', false)
    .action(async (opts: { migrate: boolean }) => {
      const config = loadConfig();
      const log = createLogger(config.logLevel);
      const app = await createApp(config, { log, migrate: opts.migrate });
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
    });
}
