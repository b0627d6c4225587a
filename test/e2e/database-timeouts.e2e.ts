import request from 'supertest';
import mysql from 'mysql2/promise';
import { Harness, onDatabaseServer, REPORT, ref, startHarness } from './support/harness';
import { isDatabaseBusy } from '../../src/database/errors';

/** Resolves to what `work` gives, or to 'STILL WAITING' after `ms` (the test then fails instead of hanging). */
async function within<T>(ms: number, work: Promise<T>): Promise<{ value: T | 'STILL WAITING'; ms: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const value = await Promise.race([
    work,
    new Promise<'STILL WAITING'>((resolve) => {
      timer = setTimeout(() => resolve('STILL WAITING'), ms);
    }),
  ]);
  clearTimeout(timer);
  return { value, ms: Date.now() - started };
}

describe('database timeouts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { DB_LOCK_WAIT_TIMEOUT_MS: '2000', DB_ACQUIRE_TIMEOUT_MS: '500', DB_STATEMENT_TIMEOUT_MS: '1500' } });
  });
  afterAll(async () => {
    await h.close();
  });

  const setStatus = (id: string, status: string) =>
    h.gql(h.keys.AGENT, `mutation($id: ID!, $s: IncidentStatus!) { setIncidentStatus(id: $id, status: $s) { version } }`, { id, s: status });

  (onDatabaseServer ? it.skip : it)('SQLite waits for another writer of the file as long as DB_LOCK_WAIT_TIMEOUT_MS', async () => {
    expect(await h.app.services.ds.query('PRAGMA busy_timeout')).toEqual([{ timeout: 2000 }]);
  });

  (onDatabaseServer ? it : it.skip)('every pooled connection carries the lock-wait and statement timeouts', async () => {
    const rows = await Promise.all(
      Array.from({ length: 12 }, () =>
        h.app.services.ds.query(
          'SELECT @@SESSION.innodb_lock_wait_timeout AS row_lock, @@SESSION.lock_wait_timeout AS table_lock, @@SESSION.max_statement_time AS statement, SLEEP(0.05) AS s',
        ),
      ),
    );
    for (const [r] of rows) expect([Number(r.row_lock), Number(r.table_lock), Number(r.statement)]).toEqual([2, 2, 1.5]);
  });

  (onDatabaseServer ? it : it.skip)('a statement running past DB_STATEMENT_TIMEOUT_MS is stopped', async () => {
    const { value, ms } = await within(
      5000,
      h.app.services.ds.query('SELECT SLEEP(4)').catch((e: unknown) => e),
    );
    expect(isDatabaseBusy(value)).toBe(true);
    expect(ms).toBeLessThan(3000);
  });

  (onDatabaseServer ? it : it.skip)(
    'with the incidents table locked by another client: writes give up after the lock wait, the pool wait is bounded, /readyz answers 503 within 1 s',
    async () => {
      const incident = (await h.gql(h.keys.AGENT, REPORT, { input: { source: 'erp', externalRef: ref('LK'), category: 'SERVICE' } })).data.reportIncident
        .incident;
      const db = h.app.services.config.database;
      if (db.kind !== 'mysql') throw new Error('unreachable');
      const locker = await mysql.createConnection({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database });
      try {
        await locker.query('LOCK TABLES incidents WRITE');
        // More writers than the pool has connections (10): each holds one while it waits for the lock.
        const writes = Array.from({ length: 14 }, () => within(8000, setStatus(incident.id, 'ACKNOWLEDGED')));
        await new Promise((resolve) => setTimeout(resolve, 150));
        const readyz = await within(3000, request(h.app.server).get('/readyz'));
        const unrelated = await within(3000, h.gql(h.keys.ADMIN, '{ ruleSetVersions { version } }'));
        const answered = await Promise.all(writes);

        const codes = answered.map((w) => (w.value === 'STILL WAITING' ? w.value : ((w.value as any).errors?.[0]?.extensions?.code ?? 'OK')));
        console.log(
          `[timeouts] incidents locked by another client: /readyz ${(readyz.value as request.Response).status} in ${readyz.ms} ms; an unrelated read answered in ${unrelated.ms} ms; ` +
            `14 writes answered ${[...new Set(codes)].join('/')} in ${Math.min(...answered.map((w) => w.ms))}–${Math.max(...answered.map((w) => w.ms))} ms`,
        );
        expect(readyz.value).not.toBe('STILL WAITING');
        expect((readyz.value as request.Response).status).toBe(503);
        expect(readyz.ms).toBeLessThan(1000);
        // The unrelated read did not wait for the lock: answered (or refused) within the pool wait.
        expect(unrelated.value).not.toBe('STILL WAITING');
        expect(unrelated.ms).toBeLessThan(1500);
        for (const w of answered) {
          expect(w.value).not.toBe('STILL WAITING');
          expect((w.value as any).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
          expect(w.ms).toBeLessThan(4000);
        }
      } finally {
        await locker.query('UNLOCK TABLES');
        await locker.end();
      }
      expect((await request(h.app.server).get('/readyz')).status).toBe(200);
      const after = await setStatus(incident.id, 'ACKNOWLEDGED');
      expect(after.errors).toBeUndefined();
      expect(after.data.setIncidentStatus.version).toBe(2); // none of the refused writes left anything behind
    },
  );
});
