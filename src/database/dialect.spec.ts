import { bindParams, exactSum, forUpdate, ident, limit, millisBetween, skipLocked, upsert, utcText } from './dialect';
import { rawDate, rawFen, rawInt } from './raw-values';

describe('dialect', () => {
  it('locks claimed rows skipping locked ones on MySQL, and adds nothing on SQLite (one writer)', () => {
    expect(`SELECT id FROM t WHERE x = ?${skipLocked('mysql')}`).toBe('SELECT id FROM t WHERE x = ? FOR UPDATE SKIP LOCKED');
    expect(skipLocked('sqlite')).toBe('');
    expect(forUpdate('mysql')).toBe(' FOR UPDATE');
    expect(forUpdate('sqlite')).toBe('');
  });

  it('writes a limit as fixed text, whole and never negative', () => {
    expect(limit(200)).toBe(' LIMIT 200');
    expect(limit(7.9)).toBe(' LIMIT 7');
    expect(limit(-1)).toBe(' LIMIT 0');
  });

  it('upserts with ON CONFLICT on SQLite and ON DUPLICATE KEY on MySQL, adding or replacing', () => {
    const set = { n: 'add', label: 'replace' } as const;
    expect(upsert('sqlite', 't', ['k', 'n', 'label'], ['k'], set)).toBe(
      'INSERT INTO t (k, n, label) VALUES (?, ?, ?) ON CONFLICT (k) DO UPDATE SET n = n + excluded.n, label = excluded.label',
    );
    expect(upsert('mysql', 't', ['k', 'n', 'label'], ['k'], set)).toBe(
      'INSERT INTO t (k, n, label) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE n = n + VALUES(n), label = VALUES(label)',
    );
  });

  it('has exact sums and millisecond differences in both dialects', () => {
    expect(exactSum('sqlite', 'a')).toBe('CAST(SUM(a) AS TEXT)');
    expect(exactSum('mysql', 'a')).toBe('SUM(a)');
    expect(millisBetween('sqlite', 'a', 'b')).toContain('julianday(b) - julianday(a)');
    expect(millisBetween('mysql', 'a', 'b')).toBe('(TIMESTAMPDIFF(MICROSECOND, a, b) DIV 1000)');
  });

  it('binds dates and booleans as SQLite stores them, and leaves them to mysql2', () => {
    const at = new Date('2026-11-23T02:00:00.123Z');
    expect(bindParams('sqlite', [at, true, false, 3, null])).toEqual(['2026-11-23 02:00:00.123', 1, 0, 3, null]);
    const mine = [at, true];
    expect(bindParams('mysql', mine)).toBe(mine);
    expect(utcText(at)).toBe('2026-11-23 02:00:00.123');
  });
});

describe('raw values', () => {
  it('reads DATETIME values as both drivers return them, in UTC', () => {
    const at = new Date('2026-11-23T02:00:00.123Z');
    expect(rawDate(at)).toBe(at);
    expect(rawDate('2026-11-23 02:00:00.123')!.toISOString()).toBe('2026-11-23T02:00:00.123Z');
    expect(rawDate('2026-11-23T10:00:00.123+08:00')!.toISOString()).toBe('2026-11-23T02:00:00.123Z');
    expect(rawDate(null)).toBeNull();
  });

  it('reads counts and exact sums, NULL as zero', () => {
    expect(rawInt('12')).toBe(12);
    expect(rawInt(null)).toBe(0);
    expect(rawFen('9007199254740993')).toBe(9007199254740993n);
    expect(rawFen(null)).toBe(0n);
  });
});

describe('ident', () => {
  it('quotes a reserved name for each database', () => {
    expect(ident('sqlite', 'procedure')).toBe('"procedure"');
    expect(ident('mysql', 'procedure')).toBe('`procedure`');
  });
});
