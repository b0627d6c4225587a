import { loadConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import type { DataSource } from 'typeorm';

/** Opens the configured database for a one-off command, and always closes it. */
export async function withDatabase<T>(work: (ds: DataSource) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const ds = createDataSource(config.database, config.databaseReplicas);
  await ds.initialize();
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}
