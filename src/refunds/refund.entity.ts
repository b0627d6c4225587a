import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { boolTransformer, fenTransformer, jsonTransformer, TIMESTAMP } from '../database/column-types';

/**
 * A refund request (退款申请单) of one incident, with its approval chain frozen when it was
 * made. Category, owner department, source and drill are copied from the incident so reports
 * and visibility checks need no join.
 */
@Entity('refunds')
@Index('uq_refunds_no', ['refundNo'], { unique: true })
export class RefundEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'refund_no', type: 'varchar', length: 40 })
  refundNo!: string;

  @Column({ name: 'incident_id', type: 'integer' })
  incidentId!: number;

  @Column({ type: 'varchar', length: 64 })
  source!: string;

  @Column({ name: 'amount_fen', type: 'bigint', transformer: fenTransformer })
  amountFen!: bigint;

  @Column({ type: 'varchar', length: 64 })
  method!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  /** The step waiting for a decision; null when RETURNED, COMPLETED or CANCELLED. */
  @Column({ name: 'current_step', type: 'varchar', length: 64, nullable: true })
  currentStep!: string | null;

  /** The step codes in order, as the rules decided them at request time. */
  @Column({ type: 'text', transformer: jsonTransformer })
  chain!: string[];

  /** 1 for the first submission; +1 per resubmission after a return. */
  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ name: 'order_no', type: 'varchar', length: 128, nullable: true })
  orderNo!: string | null;

  @Column({ name: 'purchased_at', ...TIMESTAMP, nullable: true })
  purchasedAt!: Date | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  bank!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone!: string | null;

  @Column({ name: 'fault_description', type: 'text', nullable: true })
  faultDescription!: string | null;

  @Column({ name: 'customer_opinion', type: 'text', nullable: true })
  customerOpinion!: string | null;

  @Column({ name: 'requested_by', type: 'varchar', length: 128 })
  requestedBy!: string;

  /** The person who requested it (`staff:<employeeNo>` or `key:<key name>`); null on refunds from before people were kept. */
  @Column({ name: 'requester_person', type: 'varchar', length: 160, nullable: true })
  requesterPerson!: string | null;

  @Column({ name: 'requested_at', ...TIMESTAMP })
  requestedAt!: Date;

  /** YYYY-MM of requestedAt in the business time zone, fixed at request time (reports group on it). */
  @Column({ name: 'business_month', type: 'varchar', length: 7 })
  businessMonth!: string;

  /** YYYY-MM-DD of requestedAt in the business time zone, fixed at request time. */
  @Column({ name: 'business_day', type: 'varchar', length: 10 })
  businessDay!: string;

  @Column({ name: 'paid_at', ...TIMESTAMP, nullable: true })
  paidAt!: Date | null;

  @Column({ name: 'completed_at', ...TIMESTAMP, nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'returned_at', ...TIMESTAMP, nullable: true })
  returnedAt!: Date | null;

  @Column({ name: 'return_reason', type: 'varchar', length: 2000, nullable: true })
  returnReason!: string | null;

  @Column({ name: 'cancelled_at', ...TIMESTAMP, nullable: true })
  cancelledAt!: Date | null;

  @Column({ name: 'cancel_reason', type: 'varchar', length: 2000, nullable: true })
  cancelReason!: string | null;

  @Column({ type: 'boolean', transformer: boolTransformer })
  drill!: boolean;

  @Column({ type: 'varchar', length: 64 })
  category!: string;

  @Column({ name: 'owner_department', type: 'varchar', length: 64 })
  ownerDepartment!: string;

  @Column({ name: 'rule_set_version', type: 'varchar', length: 96 })
  ruleSetVersion!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'updated_at', ...TIMESTAMP })
  updatedAt!: Date;
}
