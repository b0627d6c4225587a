import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/**
 * A deadline that passed, recorded once: the unique key (subject type, subject id, kind) holds
 * whatever number of service instances notice it. `level` counts the escalation rungs reached
 * (0: none yet); `nextEscalationAt` is when the next rung is due, null once the ladder is done
 * or the breach settled (the subject was done after all).
 */
@Entity('breaches')
@Index('uq_breaches_subject', ['subjectType', 'subjectId', 'kind'], { unique: true })
export class BreachEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** INCIDENT | ACTION | REFUND_STEP */
  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType!: string;

  /** The incident, incident_actions or refund_steps row. */
  @Column({ name: 'subject_id', type: 'integer' })
  subjectId!: number;

  /** ACKNOWLEDGE | RESOLVE (incident), DUE (action, refund step) */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ name: 'incident_id', type: 'integer' })
  incidentId!: number;

  @Column({ name: 'refund_id', type: 'integer', nullable: true })
  refundId!: number | null;

  /** The action code or refund step code; null for the incident's own deadlines. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  code!: string | null;

  @Column({ name: 'due_at', ...TIMESTAMP })
  dueAt!: Date;

  @Column({ name: 'detected_at', ...TIMESTAMP })
  detectedAt!: Date;

  @Column({ type: 'integer' })
  level!: number;

  @Column({ name: 'escalated_to', type: 'varchar', length: 64, nullable: true })
  escalatedTo!: string | null;

  @Column({ name: 'escalated_at', ...TIMESTAMP, nullable: true })
  escalatedAt!: Date | null;

  @Column({ name: 'next_escalation_at', ...TIMESTAMP, nullable: true })
  nextEscalationAt!: Date | null;

  @Column({ name: 'settled_at', ...TIMESTAMP, nullable: true })
  settledAt!: Date | null;
}
