import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { boolTransformer, jsonTransformer, TIMESTAMP } from '../database/column-types';

/** OPEN until settled: DONE (by hand or by the work that fulfils it), WAIVED, or WITHDRAWN by an amendment. */
export const ACTION_STATUSES = ['OPEN', 'DONE', 'WAIVED', 'WITHDRAWN'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** A required action of an incident, with its due time and how it was settled. */
@Entity('incident_actions')
@Index('uq_incident_actions_code', ['incidentId', 'code'], { unique: true })
export class IncidentActionEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'incident_id', type: 'integer' })
  incidentId!: number;

  @Column({ type: 'varchar', length: 64 })
  code!: string;

  /** Order of the action in the decision (catalog order). */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ name: 'due_at', ...TIMESTAMP, nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'retain_until', ...TIMESTAMP, nullable: true })
  retainUntil!: Date | null;

  @Column({ type: 'varchar', length: 16 })
  status!: ActionStatus;

  /**
   * Settled: status is not OPEN (done, waived or withdrawn), so nothing is left to do and its
   * clock no longer runs. Kept beside `status` for every query that asks just that.
   */
  @Column({ type: 'boolean', transformer: boolTransformer })
  done!: boolean;

  /** Why it was waived or withdrawn. */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  reason!: string | null;

  /** When it was done (as the caller said: the 119 call came first) or waived. */
  @Column({ name: 'done_at', ...TIMESTAMP, nullable: true })
  doneAt!: Date | null;

  @Column({ name: 'done_by', type: 'varchar', length: 128, nullable: true })
  doneBy!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  /**
   * What completed the action, as the catalog asks (POLICE_REPORT: receiptNo). Set by
   * completeAction only (never inserted), so inserts of new actions need not name it.
   */
  @Column({ type: 'text', nullable: true, insert: false, transformer: jsonTransformer })
  evidence?: Record<string, string> | null;
}

/** A required action as a decision asks for it: open, nothing done yet (the report's and an amendment's new ones). */
export function openActionRow(
  incidentId: number,
  code: string,
  position: number,
  dueAt: Date | null,
  retainUntil: Date | null | undefined,
): Omit<IncidentActionEntity, 'id'> {
  return {
    incidentId,
    code,
    position,
    dueAt,
    retainUntil: retainUntil ?? null,
    status: 'OPEN',
    done: false,
    reason: null,
    doneAt: null,
    doneBy: null,
    note: null,
  };
}
