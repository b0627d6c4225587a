import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { boolTransformer, jsonTransformer, TIMESTAMP } from '../database/column-types';

/** A required action of an incident, with its due time and whether it was done. */
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

  @Column({ type: 'boolean', transformer: boolTransformer })
  done!: boolean;

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
