import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { boolTransformer, jsonTransformer, TIMESTAMP } from '../database/column-types';

/**
 * An event, written in the transaction of the change it describes (the transactional outbox).
 * `eventId` is the `webhook-id` every subscription receives it under; `fannedOut` turns true once
 * a delivery row exists for each subscription that wanted it.
 */
@Entity('webhook_outbox')
@Index('uq_webhook_outbox_event', ['eventId'], { unique: true })
export class WebhookOutboxEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  /** Events of one incident are delivered to each subscription in this table's id order. */
  @Column({ name: 'incident_id', type: 'integer', nullable: true })
  incidentId!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  source!: string | null;

  @Column({ type: 'text', transformer: jsonTransformer })
  payload!: Record<string, unknown>;

  @Column({ name: 'occurred_at', ...TIMESTAMP })
  occurredAt!: Date;

  @Column({ name: 'fanned_out', type: 'boolean', transformer: boolTransformer })
  fannedOut!: boolean;
}
