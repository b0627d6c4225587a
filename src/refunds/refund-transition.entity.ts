import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/** The history of a refund: one row per transition (who, when, from, to, step, decision, comment). */
@Entity('refund_transitions')
@Index('ix_refund_transitions_refund', ['refundId', 'id'])
export class RefundTransitionEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'refund_id', type: 'integer' })
  refundId!: number;

  @Column({ ...TIMESTAMP })
  at!: Date;

  @Column({ type: 'varchar', length: 128 })
  actor!: string;

  /** REQUESTED | APPROVED | RETURNED | PAID | COMPLETED | RESUBMITTED | CANCELLED */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  step!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  decision!: string | null;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  comment!: string | null;
}
