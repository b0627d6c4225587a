import { Column, Entity, Index } from 'typeorm';
import { WorkflowTransitionColumns } from '../database/workflow-columns';

/** The history of a refund: one row per transition (who, when, from, to, step, decision, comment). */
@Entity('refund_transitions')
@Index('ix_refund_transitions_refund', ['refundId', 'id'])
export class RefundTransitionEntity extends WorkflowTransitionColumns {
  @Column({ name: 'refund_id', type: 'integer' })
  refundId!: number;

  /** REQUESTED | APPROVED | RETURNED | PAID | COMPLETED | RESUBMITTED | CANCELLED | SIMULATED */
  declare kind: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  decision!: string | null;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  comment!: string | null;
}
