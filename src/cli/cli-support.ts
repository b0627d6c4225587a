import fs from 'node:fs';
import { loadConfig } from '../config/config';
import { assertMigrated, createDataSource } from '../database/data-source';
import type { DataSource } from 'typeorm';

/**
 * Opens the configured database for a one-off command, and always closes it. Unless
 * `migrated: false` (triage migrate itself), the database must exist and be migrated: a
 * command is told to run `triage migrate`, and no empty SQLite file is left behind.
 */
export async function withDatabase<T>(work: (ds: DataSource) => Promise<T>, { migrated = true } = {}): Promise<T> {
  const config = loadConfig();
  const db = config.database;
  if (migrated && db.kind === 'sqlite' && db.file !== ':memory:' && !fs.existsSync(db.file)) {
    throw new Error(`no database at ${db.file}: run \`triage migrate\` first`);
  }
  const ds = createDataSource(config.database, config.databaseReplicas);
  await ds.initialize();
  try {
    if (migrated) await assertMigrated(ds);
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}
