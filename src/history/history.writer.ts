import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { RawInsert } from '../database/raw-insert';
import { IncidentEventEntity } from '../incidents/incident-event.entity';
import { RefundTransitionEntity } from '../refunds/refund-transition.entity';
import { RemedyTransitionEntity } from '../remedies/remedy-transition.entity';

/**
 * The one writer of histories (incidents, refunds, remedies), modelled on Vendure's history
 * service: every entry has the same shape — which entity, which row, when, who, a typed kind, the
 * status it moved from and to, the step, a note and structured detail — and is written in the
 * caller's transaction. Each entity keeps its own table.
 */

/** What an incident's history records. */
export const INCIDENT_HISTORY_KINDS = [
  'REPORTED',
  'STATUS_CHANGED',
  'AMENDED',
  'SATISFACTION_RECORDED',
  'ACTION_COMPLETED',
  'ACTION_WAIVED',
  'SLA_WARNING',
  'SLA_BREACHED',
  'ESCALATED',
  'CLOCK_PAUSED',
  'CLOCK_RESUMED',
] as const;
/** What a refund's history records (SIMULATED: a drill's payout, no money moved). */
export const REFUND_HISTORY_KINDS = ['REQUESTED', 'APPROVED', 'RETURNED', 'PAID', 'COMPLETED', 'RESUBMITTED', 'CANCELLED', 'SIMULATED'] as const;
/** What a remedy's history records. */
export const REMEDY_HISTORY_KINDS = ['STARTED', 'ADVANCED', 'COMPLETED', 'CANCELLED'] as const;

export type IncidentHistoryKind = (typeof INCIDENT_HISTORY_KINDS)[number];
export type RefundHistoryKind = (typeof REFUND_HISTORY_KINDS)[number];
export type RemedyHistoryKind = (typeof REMEDY_HISTORY_KINDS)[number];

/** The shape every entry has. */
interface EntryBase {
  /** The incident's, refund's or remedy's id. */
  subjectId: number;
  at: Date;
  /** The key name (or "name (key)") that did it, or the scheduler. */
  actor: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  step?: string | null;
  note?: string | null;
  detail?: Record<string, unknown> | null;
}

export type HistoryEntry =
  | (EntryBase & { entity: 'INCIDENT'; kind: IncidentHistoryKind })
  | (EntryBase & { entity: 'REFUND'; kind: RefundHistoryKind; toStatus: string; detail: { decision: string | null; attempt: number } })
  | (EntryBase & { entity: 'REMEDY'; kind: RemedyHistoryKind; toStatus: string });

/** One RawInsert per table and data source (the statement is written once). */
const inserts = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, RawInsert<ObjectLiteral>>>();
function insertOf<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>): RawInsert<T> {
  let byTarget = inserts.get(em.connection);
  if (!byTarget) inserts.set(em.connection, (byTarget = new Map()));
  let insert = byTarget.get(target);
  if (!insert) byTarget.set(target, (insert = new RawInsert(em.connection, target)));
  return insert as unknown as RawInsert<T>;
}

/** The row an entry is stored as, in its entity's history table. */
export function historyRow(e: HistoryEntry): { target: EntityTarget<ObjectLiteral>; row: ObjectLiteral } {
  const common = { at: e.at, actor: e.actor, kind: e.kind, fromStatus: e.fromStatus ?? null };
  switch (e.entity) {
    case 'INCIDENT':
      return {
        target: IncidentEventEntity,
        row: { incidentId: e.subjectId, ...common, toStatus: e.toStatus ?? null, note: e.note ?? null, detail: e.detail ?? null } satisfies Omit<
          IncidentEventEntity,
          'id'
        >,
      };
    case 'REFUND':
      return {
        target: RefundTransitionEntity,
        row: {
          refundId: e.subjectId,
          ...common,
          toStatus: e.toStatus,
          step: e.step ?? null,
          decision: e.detail.decision,
          attempt: e.detail.attempt,
          comment: e.note ?? null,
        } satisfies Omit<RefundTransitionEntity, 'id'>,
      };
    case 'REMEDY':
      return {
        target: RemedyTransitionEntity,
        row: { remedyId: e.subjectId, ...common, toStatus: e.toStatus, step: e.step ?? null, note: e.note ?? null } satisfies Omit<
          RemedyTransitionEntity,
          'id'
        >,
      };
  }
}

/** Appends the entry to its entity's history, in the caller's transaction (`em`). */
export async function writeHistory(em: EntityManager, entry: HistoryEntry): Promise<void> {
  const { target, row } = historyRow(entry);
  await insertOf(em, target).run(em, [row]);
}
