import type { Dialect } from '../../src/database/dialect';

/** Runs one statement and answers its rows (none for a write). */
export type Run = (sql: string, params?: unknown[]) => Promise<Array<Record<string, any>>>;

interface TableShape {
  name: string;
  columns: string[];
  /** Has an `id` column (an auto-increment key). */
  id: boolean;
  /** Column → the table it references. */
  fks: Record<string, string>;
  /** Per unique index without a moved column (id, reference), its last text column: suffixed per copy. */
  unique: string[];
}

/**
 * Doubles the rows of `tables` (and what they reference among them) `rounds` times: each round
 * copies every row, its id moved past the table's largest, its references moved the same way,
 * its unique text columns suffixed — so each prepared subject becomes 2^rounds alike, seeded
 * through the service once. Answers the id offset of `subjectTable` per round, to name the
 * copies. Tables in FK order (referenced first). Statistics rollups are left as they are (a
 * copy would not change what the measured mutations do to them).
 */
export async function doubleRows(d: Dialect, run: Run, tables: string[], rounds: number, subjectTable: string): Promise<number[]> {
  const unordered: TableShape[] = [];
  for (const t of tables) {
    const shape = await shapeOf(d, run, t, tables);
    // A reference the schema does not declare (refund_pending_steps.refund_id), by its name: x_id → xs, y_id → ies.
    for (const c of shape.columns) {
      const base = /^(\w+)_id$/.exec(c)?.[1];
      const target = base && [`${base}s`, `${base.replace(/y$/, 'ie')}s`].find((n) => tables.includes(n) && n !== t);
      if (target && !shape.fks[c]) shape.fks[c] = target;
    }
    unordered.push(shape);
  }
  // Referenced tables first, so every copied reference finds its row.
  const shapes: TableShape[] = [];
  while (unordered.length) {
    const i = unordered.findIndex((s) => Object.values(s.fks).every((t) => t === s.name || !unordered.some((u) => u.name === t)));
    if (i < 0) throw new Error(`a reference cycle among ${unordered.map((s) => s.name).join(', ')}`);
    shapes.push(...unordered.splice(i, 1));
  }
  const q = (n: string) => (d === 'sqlite' ? `"${n}"` : `\`${n}\``);
  const offsets: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const off: Record<string, number> = {};
    for (const s of shapes) if (s.id) off[s.name] = Number((await run(`SELECT COALESCE(MAX(id), 0) AS m FROM ${q(s.name)}`))[0].m);
    offsets.push(off[subjectTable]);
    if (d === 'mysql') await run('SET FOREIGN_KEY_CHECKS = 0');
    for (const s of shapes) {
      const exprs = s.columns.map((c) => {
        if (c === 'id' && s.id) return `${q(c)} + ${off[s.name]}`;
        if (s.fks[c] && off[s.fks[c]] !== undefined) return `${q(c)} + ${off[s.fks[c]]}`;
        // One letter per round: a copy's suffix is its lineage, unique, and short.
        const mark = String.fromCharCode(97 + round);
        if (s.unique.includes(c)) return d === 'sqlite' ? `${q(c)} || '${mark}'` : `CONCAT(${q(c)}, '${mark}')`;
        return q(c);
      });
      const key = s.id ? 'id' : Object.keys(s.fks).find((c) => off[s.fks[c]] !== undefined);
      if (!key) throw new Error(`${s.name}: no id and no reference to copy by`);
      const limit = s.id ? off[s.name] : off[s.fks[key]];
      await run(`INSERT INTO ${q(s.name)} (${s.columns.map(q).join(', ')}) SELECT ${exprs.join(', ')} FROM ${q(s.name)} WHERE ${q(key)} <= ${limit}`);
    }
    if (d === 'mysql') await run('SET FOREIGN_KEY_CHECKS = 1');
  }
  return offsets;
}

async function shapeOf(d: Dialect, run: Run, name: string, copied: string[]): Promise<TableShape> {
  const uniqueOf = (columns: Array<{ name: string; type: string }>, fks: Record<string, string>, indexes: string[][]) => {
    const moved = (c: string) => c === 'id' || copied.includes(fks[c]);
    const text = (c: string) => /char|text|clob/.test(columns.find((x) => x.name === c)?.type ?? '');
    return indexes.filter((cols) => !cols.some(moved)).flatMap((cols) => cols.filter(text).slice(-1));
  };
  if (d === 'sqlite') {
    const columns = (await run(`PRAGMA table_info("${name}")`)).map((r) => ({ name: String(r.name), type: String(r.type).toLowerCase() }));
    const fks = Object.fromEntries((await run(`PRAGMA foreign_key_list("${name}")`)).map((r) => [String(r.from), String(r.table)]));
    const indexes: string[][] = [];
    for (const index of await run(`PRAGMA index_list("${name}")`))
      if (Number(index.unique) && index.origin !== 'pk') indexes.push((await run(`PRAGMA index_info("${index.name}")`)).map((c) => String(c.name)));
    return { name, columns: columns.map((c) => c.name), id: columns.some((c) => c.name === 'id'), fks, unique: uniqueOf(columns, fks, indexes) };
  }
  const columns = (
    await run(
      'SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position',
      [name],
    )
  ).map((r) => ({ name: String(r.c), type: String(r.t).toLowerCase() }));
  const fks = Object.fromEntries(
    (
      await run(
        'SELECT column_name AS c, referenced_table_name AS t FROM information_schema.key_column_usage WHERE table_schema = DATABASE() AND table_name = ? AND referenced_table_name IS NOT NULL',
        [name],
      )
    ).map((r) => [String(r.c), String(r.t)]),
  );
  const byIndex = new Map<string, string[]>();
  for (const r of await run(
    "SELECT index_name AS i, column_name AS c FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND non_unique = 0 AND index_name <> 'PRIMARY' ORDER BY index_name, seq_in_index",
    [name],
  ))
    byIndex.set(String(r.i), [...(byIndex.get(String(r.i)) ?? []), String(r.c)]);
  return { name, columns: columns.map((c) => c.name), id: columns.some((c) => c.name === 'id'), fks, unique: uniqueOf(columns, fks, [...byIndex.values()]) };
}
