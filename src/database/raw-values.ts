import type { EntityManager } from 'typeorm';
import { toFen } from '../money/money';
import { forUpdate, isSqlite } from './dialect';

/**
 * Values of raw `query()` rows: mysql2 gives DATETIME as a Date (UTC, timezone 'Z'), SQLite as
 * the text TypeORM stored ("2026-11-23 02:00:00.000", UTC); BIGINT/COUNT may come as strings.
 */
export function rawDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}

export function rawNumber(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

/** A count or integer sum (0 for the NULL of an empty SUM). */
export const rawInt = rawNumber;

/** An exact sum of fen (0n for NULL). */
export function rawFen(v: unknown): bigint {
  return v === null || v === undefined ? 0n : toFen(v as string | number | bigint);
}

/**
 * Locks an incident row to the end of the transaction on MySQL (SQLite transactions are
 * serial anyway). The one lock order: every transaction that writes anything of an incident
 * (its row, actions, history, clock, breaches, refunds, outbox events) takes this lock before
 * any other row lock of that incident, and before reading what it will change — so writers of
 * one incident queue here instead of deadlocking (two readers each holding a shared lock the
 * other's update waits for), and each reads what the one before it committed.
 */
export async function lockIncidentRow(em: EntityManager, incidentId: number): Promise<void> {
  if (isSqlite(em)) return;
  await em.query(`SELECT id FROM incidents WHERE id = ?${forUpdate('mysql')}`, [incidentId]);
}
