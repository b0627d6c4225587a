/**
 * The business calendar's memos: bounded, since a calendar lives as long as its rule pack and
 * may be asked about any date.
 */

/** Each memo is dropped whole when it reaches this many entries (a bound, never reached in use). */
const MEMO_LIMIT = 100_000;

/** Sets `key` in a memo that is emptied whole when it grows past MEMO_LIMIT. */
export function remember<K, V>(memo: Map<K, V>, key: K, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

/** Days a DayMemo keeps in a list, from 2 years before the first day it is given on: ~16 years. */
const DENSE_DAYS = 6_000;

/**
 * A memo by day number: a list over the few thousand days around the first one set (the days
 * due times are counted on: one array read each), a Map beyond them (emptied whole when it
 * reaches MEMO_LIMIT, as `remember`'s memos).
 */
export class DayMemo<V> {
  private base = Number.NaN;
  private dense: Array<V | undefined> = [];
  private readonly sparse = new Map<number, V>();

  get(day: number): V | undefined {
    const i = day - this.base;
    if (i >= 0 && i < DENSE_DAYS) return this.dense[i];
    return this.sparse.get(day);
  }

  set(day: number, value: V): V {
    if (Number.isNaN(this.base)) {
      this.base = day - 730;
      // Filled, so V8 keeps it a packed list (a long list of holes may become a dictionary).
      this.dense = new Array<V | undefined>(DENSE_DAYS).fill(undefined);
    }
    const i = day - this.base;
    if (i >= 0 && i < DENSE_DAYS) this.dense[i] = value;
    else remember(this.sparse, day, value);
    return value;
  }
}
