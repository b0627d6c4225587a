import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { boolTransformer, TIMESTAMP } from '../database/column-types';

/**
 * An after-sales remedy (货物售后: 维修, 更换, 退货, 补发, 赔偿) of one incident, its steps frozen
 * from the catalog when it was started. Source and drill are copied from the incident so
 * visibility checks need no join.
 */
@Entity('remedies')
@Index('ix_remedies_incident', ['incidentId', 'id'])
export class RemedyEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'incident_id', type: 'integer' })
  incidentId!: number;

  @Column({ type: 'varchar', length: 64 })
  source!: string;

  @Column({ type: 'boolean', transformer: boolTransformer })
  drill!: boolean;

  @Column({ type: 'varchar', length: 64 })
  kind!: string;

  /** IN_PROGRESS | COMPLETED | CANCELLED */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  /** The step waiting to be done; null once COMPLETED or CANCELLED. */
  @Column({ name: 'current_step', type: 'varchar', length: 64, nullable: true })
  currentStep!: string | null;

  @Column({ name: 'order_no', type: 'varchar', length: 128, nullable: true })
  orderNo!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  items!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ name: 'started_by', type: 'varchar', length: 128 })
  startedBy!: string;

  @Column({ name: 'started_at', ...TIMESTAMP })
  startedAt!: Date;

  @Column({ name: 'completed_at', ...TIMESTAMP, nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'cancelled_at', ...TIMESTAMP, nullable: true })
  cancelledAt!: Date | null;

  @Column({ name: 'cancel_reason', type: 'varchar', length: 2000, nullable: true })
  cancelReason!: string | null;

  @Column({ name: 'rule_set_version', type: 'varchar', length: 96 })
  ruleSetVersion!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'updated_at', ...TIMESTAMP })
  updatedAt!: Date;
}
