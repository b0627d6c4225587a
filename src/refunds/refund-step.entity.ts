import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { boolTransformer, TIMESTAMP } from '../database/column-types';

/**
 * One step of one attempt of a refund. Role, approval and canReturn are copied from the
 * catalog when the refund is requested, so a later rule change does not change who may sign.
 */
@Entity('refund_steps')
@Index('uq_refund_steps_position', ['refundId', 'attempt', 'position'], { unique: true })
export class RefundStepEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'refund_id', type: 'integer' })
  refundId!: number;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'varchar', length: 64 })
  step!: string;

  @Column({ type: 'varchar', length: 32 })
  role!: string;

  @Column({ type: 'boolean', transformer: boolTransformer })
  approval!: boolean;

  @Column({ name: 'can_return', type: 'boolean', transformer: boolTransformer })
  canReturn!: boolean;

  /** WAITING | PENDING | APPROVED | RETURNED */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  actor!: string | null;

  /** The person who decided it (`staff:<employeeNo>` or `key:<key name>`): the signing rules count these. */
  @Column({ type: 'varchar', length: 160, nullable: true })
  signer!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  comment!: string | null;

  /** When the step became PENDING: its time limit counts from here. */
  @Column({ name: 'pending_since', ...TIMESTAMP, nullable: true })
  pendingSince!: Date | null;

  @Column({ name: 'due_at', ...TIMESTAMP, nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'decided_at', ...TIMESTAMP, nullable: true })
  decidedAt!: Date | null;
}
