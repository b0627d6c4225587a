import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { boolTransformer, fenTransformer, jsonTransformer, TIMESTAMP } from '../database/column-types';
import type { StoredDecision } from './incident.types';

/**
 * One reported incident with its current decision: the one made when it was reported, or at its
 * last amendment (incident_decisions keeps each). A decision is stored, never recomputed: a
 * later rule change does not rewrite history.
 */
@Entity('incidents')
@Index('uq_incidents_source_ref', ['source', 'externalRef'], { unique: true })
export class IncidentEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  source!: string;

  @Column({ name: 'external_ref', type: 'varchar', length: 128 })
  externalRef!: string;

  /** sha256 of the canonical report input: a replay with another input is a CONFLICT. */
  @Column({ name: 'input_hash', type: 'varchar', length: 64 })
  inputHash!: string;

  @Column({ type: 'varchar', length: 64 })
  category!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  subtype!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'varchar', length: 16 })
  severity!: string;

  @Column({ name: 'owner_department', type: 'varchar', length: 64 })
  ownerDepartment!: string;

  @Column({ name: 'police_report_required', type: 'boolean', transformer: boolTransformer })
  policeReportRequired!: boolean;

  @Column({ name: 'amount_fen', type: 'bigint', nullable: true, transformer: fenTransformer })
  amountFen!: bigint | null;

  /** The report as received (facts and free text), for explanations and backtests. */
  @Column({ type: 'text', transformer: jsonTransformer })
  report!: Record<string, unknown>;

  @Column({ name: 'customer_id', type: 'varchar', length: 128, nullable: true })
  customerId!: string | null;

  @Column({ name: 'customer_phone', type: 'varchar', length: 32, nullable: true })
  customerPhone!: string | null;

  @Column({ name: 'order_no', type: 'varchar', length: 128, nullable: true })
  orderNo!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  channel!: string | null;

  @Column({ name: 'occurred_at', ...TIMESTAMP, nullable: true })
  occurredAt!: Date | null;

  @Column({ name: 'reported_at', ...TIMESTAMP })
  reportedAt!: Date;

  /** The business-zone month (YYYY-MM), ISO week (YYYY-Www) and day of reportedAt: the statistics' periods. */
  @Column({ name: 'business_month', type: 'varchar', length: 7, default: '' })
  businessMonth!: string;

  @Column({ name: 'business_week', type: 'varchar', length: 8, default: '' })
  businessWeek!: string;

  @Column({ name: 'business_day', type: 'varchar', length: 10, default: '' })
  businessDay!: string;

  @Column({ name: 'acknowledge_by', ...TIMESTAMP, nullable: true })
  acknowledgeBy!: Date | null;

  @Column({ name: 'resolve_by', ...TIMESTAMP, nullable: true })
  resolveBy!: Date | null;

  @Column({ name: 'acknowledged_at', ...TIMESTAMP, nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'resolved_at', ...TIMESTAMP, nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'boolean', transformer: boolTransformer })
  drill!: boolean;

  /** The customer's earlier non-drill incidents in the 30 days before this one (0 without a customer). */
  @Column({ name: 'repeat_incidents_30d', type: 'integer', default: 0 })
  repeatIncidents30d!: number;

  @Column({ name: 'rule_set_version', type: 'varchar', length: 96 })
  ruleSetVersion!: string;

  @Column({ type: 'text', transformer: jsonTransformer })
  decision!: StoredDecision;

  /** When the facts were last amended (amendIncident), null if never. */
  @Column({ name: 'amended_at', ...TIMESTAMP, nullable: true })
  amendedAt!: Date | null;

  @Column({ name: 'satisfaction_score', type: 'integer', nullable: true })
  satisfactionScore!: number | null;

  @Column({ name: 'satisfaction_comment', type: 'varchar', length: 2000, nullable: true })
  satisfactionComment!: string | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'updated_at', ...TIMESTAMP })
  updatedAt!: Date;
}
