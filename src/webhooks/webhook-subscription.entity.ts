import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { boolTransformer, jsonTransformer, TIMESTAMP } from '../database/column-types';

/**
 * Where an integrator wants events: a URL, the event types, optionally only one source's
 * incidents, and the signing secrets (the newest first; a second one while a rotation is under
 * way). Secrets are kept retrievable because every delivery is signed with them.
 */
@Entity('webhook_subscriptions')
export class WebhookSubscriptionEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  @Column({ name: 'event_types', type: 'varchar', length: 1000, transformer: jsonTransformer })
  eventTypes!: string[];

  @Column({ type: 'varchar', length: 64, nullable: true })
  source!: string | null;

  @Column({ type: 'varchar', length: 500, transformer: jsonTransformer })
  secrets!: string[];

  @Column({ type: 'boolean', transformer: boolTransformer })
  active!: boolean;

  @Column({ type: 'varchar', length: 200, nullable: true })
  description!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 128 })
  createdBy!: string;

  @Column({ name: 'created_at', ...TIMESTAMP })
  createdAt!: Date;

  @Column({ name: 'updated_at', ...TIMESTAMP })
  updatedAt!: Date;

  @Column({ type: 'integer' })
  version!: number;
}
