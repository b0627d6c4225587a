import { badInput } from './errors';

/**
 * Opaque page cursors: base64url of [time in ms, id]. Lists are ordered by time then id,
 * newest first, so a cursor pins a position that later inserts cannot shift.
 */
export function encodeCursor(at: Date, id: number): string {
  return Buffer.from(JSON.stringify([at.getTime(), id])).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): { at: Date; id: number } {
  try {
    const [ms, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(ms) && Number.isSafeInteger(id)) return { at: new Date(ms as number), id: id as number };
  } catch {
    // fall through to the error below
  }
  throw badInput(field, 'is not a cursor this service gave out');
}

/** Page size: at least 0, at most `max` whatever is asked. */
export function pageSize(first: number | null | undefined, max: number, field = 'first'): number {
  if (first === null || first === undefined) return Math.min(50, max);
  if (!Number.isInteger(first) || first < 0) throw badInput(field, 'must be 0 or more');
  return Math.min(first, max);
}

/** Parses a numeric GraphQL ID; null when it cannot name a row. */
export function parseId(id: string): number | null {
  return /^[1-9]\d{0,15}$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : null;
}
