import { dialectOf } from '../../src/database/dialect';
import { claimRows } from '../../src/jobs/claim';
import { Harness, startHarness } from './support/harness';

/**
 * The jobs' claim (jobs/claim.ts) on the real database: of two workers exactly one gets each
 * row; on MySQL/MariaDB a row another transaction has locked is skipped at once (SKIP LOCKED),
 * not waited for.
 */
describe('job claims', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.app.services.ds.query('CREATE TABLE job_claim_probe (id INTEGER PRIMARY KEY, status VARCHAR(16) NOT NULL, claimed_by VARCHAR(32) NULL)');
    await h.app.services.ds.query("INSERT INTO job_claim_probe (id, status) VALUES (1, 'PENDING'), (2, 'PENDING'), (3, 'PENDING'), (4, 'DONE')");
  });
  afterAll(async () => h.close());

  const claim = (worker: string, ids: number[]) =>
    claimRows(h.app.services.ds, h.app.services.tx, {
      table: 'job_claim_probe',
      ids,
      where: "status = 'PENDING'",
      set: "status = 'CLAIMED', claimed_by = ?",
      setParams: [worker],
    });

  it('gives each claimable row to exactly one of two workers claiming at once, in the candidates order', async () => {
    const [a, b] = await Promise.all([claim('a', [3, 1, 4]), claim('b', [1, 3, 4])]);
    expect([...a, ...b].sort()).toEqual([1, 3]);
    expect(a.length === 2 ? a : b.length === 2 ? b : null).not.toBeNull();
    if (a.length === 2) expect(a).toEqual([3, 1]);
    const rows: Array<{ id: unknown; claimed_by: string }> = await h.app.services.ds.query(
      "SELECT id, claimed_by FROM job_claim_probe WHERE status = 'CLAIMED' ORDER BY id",
    );
    expect(rows.map((r) => Number(r.id))).toEqual([1, 3]);
    expect(new Set(rows.map((r) => r.claimed_by)).size).toBe(1);
  });

  it('skips a row another transaction holds instead of waiting for it (MySQL/MariaDB)', async () => {
    const { ds } = h.app.services;
    if (dialectOf(ds) === 'sqlite') return; // one writer: nothing to skip
    const holder = ds.createQueryRunner('master');
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query('SELECT id FROM job_claim_probe WHERE id = 2 FOR UPDATE');
      const started = Date.now();
      expect(await claim('c', [2])).toEqual([]);
      expect(Date.now() - started).toBeLessThan(2_000); // not the lock wait timeout
      await holder.rollbackTransaction();
      expect(await claim('c', [2])).toEqual([2]);
    } finally {
      await holder.release();
    }
  });
});
