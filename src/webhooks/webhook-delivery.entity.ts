import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/**
 * One event for one subscription. PENDING (due at nextAttemptAt) → DELIVERING (claimed by one
 * worker until claimedUntil) → DELIVERED, or back to PENDING with a later nextAttemptAt, or DEAD
 * once retryUntil has passed. An expired claim (a worker that died) is claimed again.
 */
@Entity('webhook_deliveries')
@Index('uq_webhook_deliveries_event', ['outboxId', 'subscriptionId'], { unique: true })
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'outbox_id', type: 'integer' })
  outboxId!: number;

  @Column({ name: 'subscription_id', type: 'integer' })
  subscriptionId!: number;

  @Column({ name: 'incident_id', type: 'integer', nullable: true })
  incidentId!: number | null;

  /** PENDING | DELIVERING | DELIVERED | DEAD */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'next_attempt_at', ...TIMESTAMP })
  nextAttemptAt!: Date;

  @Column({ name: 'retry_until', ...TIMESTAMP })
  retryUntil!: Date;

  @Column({ name: 'claimed_by', type: 'varchar', length: 64, nullable: true })
  claimedBy!: string | null;

  @Column({ name: 'claimed_until', ...TIMESTAMP, nullable: true })
  claimedUntil!: Date | null;

  @Column({ name: 'last_attempt_at', ...TIMESTAMP, nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ name: 'last_status', type: 'integer', nullable: true })
  lastStatus!: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ name: 'delivered_at', ...TIMESTAMP, nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'created_at', ...TIMESTAMP })
  createdAt!: Date;
}
