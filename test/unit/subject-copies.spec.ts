import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { doubleRows, Run } from '../../bench/support/subject-copies';

/** The write bench's subject copies: every row doubled per round, references and unique text kept consistent. */
describe('doubleRows (SQLite)', () => {
  let file: string;
  let db: Database.Database;
  const run: Run = async (sql, params = []) => {
    const stmt = db.prepare(sql);
    if (stmt.reader) return stmt.all(...params) as Array<Record<string, any>>;
    stmt.run(...params);
    return [];
  };

  beforeEach(() => {
    file = path.join(os.tmpdir(), `subject-copies-${process.pid}-${Date.now()}.sqlite`);
    db = new Database(file);
    db.pragma('foreign_keys = ON');
    db.exec(`
      CREATE TABLE parents (id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, ref TEXT NOT NULL);
      CREATE UNIQUE INDEX uq_parents_ref ON parents (source, ref);
      CREATE TABLE children (id INTEGER PRIMARY KEY AUTOINCREMENT, parent_id INTEGER NOT NULL REFERENCES parents (id), code TEXT NOT NULL);
      CREATE UNIQUE INDEX uq_children_code ON children (parent_id, code);
      CREATE TABLE pending (parent_id INTEGER PRIMARY KEY, step TEXT NOT NULL);
    `);
    db.exec(`INSERT INTO parents (source, ref) VALUES ('erp', 'a'), ('erp', 'b');
      INSERT INTO children (parent_id, code) VALUES (1, 'X'), (1, 'Y'), (2, 'X');
      INSERT INTO pending (parent_id, step) VALUES (1, 'S1'), (2, 'S1');`);
  });
  afterEach(() => {
    db.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  });

  it('doubles each table per round, moving ids and references (declared or named) and suffixing only unique text without a moved column', async () => {
    // Given out of order: referenced tables are copied first.
    const offsets = await doubleRows('sqlite', run, ['children', 'pending', 'parents'], 2, 'parents');
    expect(offsets).toEqual([2, 4]);
    expect(db.prepare('SELECT id, source, ref FROM parents ORDER BY id').all()).toEqual([
      { id: 1, source: 'erp', ref: 'a' },
      { id: 2, source: 'erp', ref: 'b' },
      { id: 3, source: 'erp', ref: 'aa' },
      { id: 4, source: 'erp', ref: 'ba' },
      { id: 5, source: 'erp', ref: 'ab' },
      { id: 6, source: 'erp', ref: 'bb' },
      { id: 7, source: 'erp', ref: 'aab' },
      { id: 8, source: 'erp', ref: 'bab' },
    ]);
    // Each copy's children point at its copied parent, codes unchanged.
    const children = db.prepare('SELECT parent_id, code FROM children ORDER BY id').all() as Array<{ parent_id: number; code: string }>;
    expect(children).toHaveLength(12);
    expect(children.filter((c) => c.parent_id === 7).map((c) => c.code)).toEqual(['X', 'Y']);
    expect(children.filter((c) => c.parent_id === 8).map((c) => c.code)).toEqual(['X']);
    expect((db.prepare('SELECT parent_id FROM pending ORDER BY parent_id').all() as Array<{ parent_id: number }>).map((r) => r.parent_id)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
  });
});
