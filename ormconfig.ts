import 'reflect-metadata';
import { loadConfig } from './src/config/config';
import { createDataSource } from './src/database/data-source';

/**
 * The data source for TypeORM's own CLI, from the same environment the service reads
 * (DATABASE_URL), e.g. `npx typeorm migration:show -d dist/ormconfig.js`. The service itself
 * migrates with `triage migrate`.
 */
export default createDataSource(loadConfig().database);
