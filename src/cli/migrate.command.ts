import type { Command } from 'commander';
import { MigrationExecutor } from 'typeorm';
import { migrate } from '../database/data-source';
import { withDatabase } from './cli-support';

/** `triage migrate`: apply pending migrations to DATABASE_URL. */
export function registerMigrate(program: Command) {
  program
    .command('migrate')
    .description('apply pending database migrations (DATABASE_URL)')
    .option('--revert', 'undo the last migration', false)
    .action(async (opts: { revert: boolean }) => {
      await withDatabase(
        async (ds) => {
          if (opts.revert) {
            // The one TypeORM undoes: the last recorded (highest id).
            const [last] = (await new MigrationExecutor(ds).getExecutedMigrations()).sort((a, b) => (b.id ?? 0) - (a.id ?? 0));
            if (!last) {
              console.log('nothing to revert: no migration has been applied to this database');
              return;
            }
            await ds.undoLastMigration({ transaction: 'each' });
            console.log(`reverted: ${last.name}`);
            return;
          }
          const ran = await migrate(ds);
          console.log(ran.length ? `applied: ${ran.join(', ')}` : 'database is up to date');
        },
        { migrated: false },
      );
    });
}
