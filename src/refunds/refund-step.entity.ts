import { Column, Entity, Index } from 'typeorm';
import { boolTransformer } from '../database/column-types';
import { WorkflowStepColumns } from '../database/workflow-columns';

/**
 * One step of one attempt of a refund. Role, approval and canReturn are copied from the
 * catalog when the refund is requested, so a later rule change does not change who may sign.
 */
@Entity('refund_steps')
@Index('uq_refund_steps_position', ['refundId', 'attempt', 'position'], { unique: true })
export class RefundStepEntity extends WorkflowStepColumns {
  @Column({ name: 'refund_id', type: 'integer' })
  refundId!: number;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'boolean', transformer: boolTransformer })
  approval!: boolean;

  @Column({ name: 'can_return', type: 'boolean', transformer: boolTransformer })
  canReturn!: boolean;

  /** The person who decided it (`staff:<employeeNo>` or `key:<key name>`): the signing rules count these. */
  @Column({ type: 'varchar', length: 160, nullable: true })
  signer!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  comment!: string | null;
}
