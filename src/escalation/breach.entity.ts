import { Column, Entity, Index } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';
import { SlaSubjectColumns } from './sla-subject.columns';

/**
 * A deadline that passed, recorded once: the unique key (subject type, subject id, kind) holds
 * whatever number of service instances notice it. `level` counts the escalation rungs reached
 * (0: none yet); `nextEscalationAt` is when the next rung is due, null once the ladder is done
 * or the breach settled (the subject was done after all).
 */
@Entity('breaches')
@Index('uq_breaches_subject', ['subjectType', 'subjectId', 'kind'], { unique: true })
export class BreachEntity extends SlaSubjectColumns {
  @Column({ name: 'refund_id', type: 'integer', nullable: true })
  refundId!: number | null;

  /** The action code or refund step code; null for the incident's own deadlines. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  code!: string | null;

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
