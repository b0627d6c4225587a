import { DataSource } from 'typeorm';
import { createDataSource } from './data-source';

/** The SQL texts better-sqlite3 is asked to prepare while `work` runs. */
async function preparedDuring(ds: DataSource, work: () => Promise<unknown>): Promise<string[]> {
  const db = (ds.driver as unknown as { databaseConnection: { prepare(sql: string): unknown } }).databaseConnection;
  const prepare = db.prepare;
  const texts: string[] = [];
  db.prepare = function (this: unknown, sql: string) {
    texts.push(sql);
    return prepare.call(this, sql);
  };
  try {
    await work();
  } finally {
    db.prepare = prepare;
  }
  return texts;
}

describe('bindSqliteIntegers (createDataSource on SQLite)', () => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = createDataSource({ kind: 'sqlite', file: ':memory:' });
    await ds.initialize();
    await ds.query('CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT, n NUMERIC)');
    await ds.query("INSERT INTO t (id, label, n) VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 3)");
  });

  afterAll(() => ds.destroy());

  it('sends an integer id as a parameter, so each id reuses one prepared statement', async () => {
    const update = (id: number) => ds.createQueryBuilder().update('t').set({ label: 'x' }).where('id = :id', { id }).execute();
    const texts = await preparedDuring(ds, async () => {
      for (const id of [1, 2, 3]) await update(id);
    });
    // The first prepares it; TypeORM's cache (by SQL text) serves the others.
    expect(texts.length).toBeLessThanOrEqual(1);
    expect(texts.join('\n')).not.toMatch(/= [0-9]/);
  });

  it('binds what the literal was: an INTEGER, stored and compared the same', async () => {
    const row = await ds
      .createQueryBuilder()
      .select('typeof(:n)', 'type')
      .addSelect(':n', 'value')
      .from('t', 't')
      .where('t.id = :id', { id: 2 })
      .setParameter('n', 7)
      .getRawOne<{ type: string; value: number }>();
    expect(row).toEqual({ type: 'integer', value: 7 });
    await ds
      .createQueryBuilder()
      .update('t')
      .set({ label: () => ':label' })
      .setParameter('label', 42)
      .where('id = :id', { id: 3 })
      .execute();
    expect(await ds.query('SELECT label, typeof(label) AS type FROM t WHERE id = 3')).toEqual([{ label: '42', type: 'text' }]);
  });

  it('leaves other numbers and lists as they were', async () => {
    const rows = await ds
      .createQueryBuilder()
      .select('t.id', 'id')
      .from('t', 't')
      .where('t.n > :half AND t.id IN (:...ids)', { half: 1.5, ids: [1, 2, 3] })
      .orderBy('t.id')
      .getRawMany();
    expect(rows).toEqual([{ id: 2 }, { id: 3 }]);
  });
});
