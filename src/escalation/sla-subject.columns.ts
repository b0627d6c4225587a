import { Column, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/**
 * What a breach and an SLA warning both record of the deadline they are about: the clock's
 * subject (unique per table on type, id and kind, whatever number of instances notice it), its
 * incident and when it was due. Not an entity: each table declares its own on top.
 */
export abstract class SlaSubjectColumns {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** INCIDENT | ACTION | REFUND_STEP | REPORT_FILING | SHIFT_HANDOVER */
  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType!: string;

  /** The incident, incident_actions, refund_steps, report_filings or shift_handover_records row. */
  @Column({ name: 'subject_id', type: 'integer' })
  subjectId!: number;

  /** ACKNOWLEDGE | RESOLVE (incident), DUE (action, refund step) */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  /** Null for a deadline of no incident (a report filing, a shift handover). */
  @Column({ name: 'incident_id', type: 'integer', nullable: true })
  incidentId!: number | null;

  @Column({ name: 'due_at', ...TIMESTAMP })
  dueAt!: Date;
}
