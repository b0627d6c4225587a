import { parseDatabaseUrl } from '../../src/config/config';
import { createDataSource } from '../../src/database/data-source';
import { checkDriverInternals, mysqlPools, primaryPoolConnections, runnerConnection } from '../../src/database/driver-internals';
import { rawQuery } from '../../src/database/raw-sql';
import { freshDatabase, Harness, onDatabaseServer, startHarness } from './support/harness';

/**
 * The adapter over TypeORM's and mysql2's unpublished internals (database/driver-internals.ts)
 * still finds every one of them: an upgrade that moves one fails here, naming it. On SQLite and
 * on MySQL/MariaDB, there also with read replicas (a pool cluster instead of one pool).
 */
describe('database driver internals', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('are where the adapter looks on the running service', async () => {
    const { ds } = h.app.services;
    const runner = ds.createQueryRunner('master');
    await runner.connect();
    try {
      expect(() => checkDriverInternals(ds, runner)).not.toThrow();
      if (ds.options.type === 'better-sqlite3') {
        expect(primaryPoolConnections(ds)).toBeNull();
      } else {
        expect(runnerConnection(runner)).toBeDefined();
        const p = primaryPoolConnections(ds)!;
        expect(p.open).toBeGreaterThanOrEqual(1);
        expect(mysqlPools(ds).length).toBeGreaterThanOrEqual(1);
      }
    } finally {
      await runner.release();
    }
    expect(runnerConnection(runner)).toBeUndefined();
    const rows = (await rawQuery(ds, 'SELECT COUNT(*) AS n FROM incidents')) as Array<{ n: unknown }>;
    expect(Number(rows[0].n)).toBeGreaterThanOrEqual(0);
  });

  it('fail loudly, naming what moved, when an internal is gone', () => {
    const { ds } = h.app.services;
    const fake = { options: ds.options, driver: {} } as unknown as typeof ds;
    expect(() => checkDriverInternals(fake)).toThrow(/database driver internals changed/);
  });

  (onDatabaseServer ? it : it.skip)('are where the adapter looks with read replicas (a mysql2 pool cluster)', async () => {
    const { url, cleanup } = await freshDatabase();
    const db = parseDatabaseUrl(url);
    if (db.kind !== 'mysql') throw new Error('unreachable');
    const ds = createDataSource(db, [db]);
    await ds.initialize();
    try {
      await ds.query('SELECT 1');
      const runner = ds.createQueryRunner('master');
      await runner.connect();
      try {
        expect(() => checkDriverInternals(ds, runner)).not.toThrow();
      } finally {
        await runner.release();
      }
      expect(mysqlPools(ds).length).toBe(2);
      expect(primaryPoolConnections(ds)!.open).toBeGreaterThanOrEqual(1);
      expect(await rawQuery(ds, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await ds.destroy();
      await cleanup();
    }
  });
});
