import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/** An `sla.warning` given, once per clock: same key as a breach. */
@Entity('sla_warnings')
@Index('uq_sla_warnings_subject', ['subjectType', 'subjectId', 'kind'], { unique: true })
export class SlaWarningEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType!: string;

  @Column({ name: 'subject_id', type: 'integer' })
  subjectId!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ name: 'incident_id', type: 'integer' })
  incidentId!: number;

  @Column({ name: 'due_at', ...TIMESTAMP })
  dueAt!: Date;

  @Column({ name: 'warned_at', ...TIMESTAMP })
  warnedAt!: Date;
}
