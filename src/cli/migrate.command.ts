import type { Command } from 'commander';
import { migrate } from '../database/data-source';
import { withDatabase } from './cli-support';

/** `triage migrate`: apply pending migrations to DATABASE_URL. */
export function registerMigrate(program: Command) {
  program.command('migrate')
    .description('apply pending database migrations (DATABASE_URL)')
    .option('--revert', 'undo the last migration', false)
    .action(async (opts: { revert: boolean }) => {
      await withDatabase(async (ds) => {
        if (opts.revert) {
          await ds.undoLastMigration({ transaction: 'each' });
          console.log('reverted the last migration');
          return;
        }
        const ran = await migrate(ds);
        console.log(ran.length ? `applied: ${ran.join(', ')}` : 'database is up to date');
      });
    });
}
