import { rawExec } from '../../src/database/raw-sql';
import { rawParams } from '../../src/database/raw-params';
import { runnerConnection } from '../../src/database/driver-internals';
import { Harness, onDatabaseServer, startHarness } from './support/harness';

/** The report path's transaction (Transactions.runRaw): all of it or none, on SQLite and MariaDB. */
describe('raw transactions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  const INSERT = 'INSERT INTO webhook_outbox (event_id, type, incident_id, source, payload, occurred_at, fanned_out) VALUES (?, ?, ?, ?, ?, ?, ?)';
  const row = (id: string) => rawParams(h.app.services.ds, [id, 'rules.reloaded', null, null, '{}', new Date('2026-11-23T02:00:00Z'), false]);
  const count = async (prefix: string) =>
    Number((await h.app.services.ds.query('SELECT COUNT(*) AS n FROM webhook_outbox WHERE event_id LIKE ?', [`${prefix}%`]))[0].n);

  it('commits every statement of the work, or none when the work fails after some were sent', async () => {
    const { tx } = h.app.services;
    await tx.runRaw(async (em) => {
      await rawExec(em, INSERT, row('msg_rawok1'));
      await rawExec(em, INSERT, row('msg_rawok2'));
    });
    expect(await count('msg_rawok')).toBe(2);

    await expect(
      tx.runRaw(async (em) => {
        await rawExec(em, INSERT, row('msg_rawfail1'));
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await count('msg_rawfail')).toBe(0);

    // A failing statement (a duplicate event id) rolls back the ones before it.
    await expect(
      tx.runRaw(async (em) => {
        await rawExec(em, INSERT, row('msg_rawdup1'));
        await rawExec(em, INSERT, row('msg_rawok1'));
      }),
    ).rejects.toThrow();
    expect(await count('msg_rawdup')).toBe(0);

    // And the connection is sound afterwards: TypeORM transactions and raw ones go on.
    await tx.run(async (em) => em.query(INSERT, row('msg_rawafter1')));
    await tx.runRaw(async (em) => rawExec(em, INSERT, row('msg_rawafter2')));
    expect(await count('msg_rawafter')).toBe(2);
  });

  // SQLite's prepared statements live in the process: nothing there for the database to forget.
  (onDatabaseServer ? it : it.skip)('prepares a statement again when its handle is gone from the connection (MariaDB)', async () => {
    const { tx } = h.app.services;
    const unprepared: string[] = [];
    await tx.runRaw(async (em) => {
      await rawExec(em, INSERT, row('msg_rawprep1')); // prepared on this connection and kept
      // Closed behind the service's back, as mysql2 does to a statement its cache drops: the server forgets the handle.
      const conn = runnerConnection(em.queryRunner) as unknown as { unprepare(sql: string): unknown };
      if (conn.unprepare(INSERT)) unprepared.push(INSERT);
      await rawExec(em, INSERT, row('msg_rawprep2'));
    });
    expect(unprepared).toEqual([INSERT]);
    expect(await count('msg_rawprep')).toBe(2);
  });
});
