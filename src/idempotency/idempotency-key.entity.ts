import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/** What a request with an idempotency key answered (migration 1732300000020). */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** Whose key: `key:<api key id>` — keys of different callers never meet. */
  @Column({ type: 'varchar', length: 80 })
  scope!: string;

  /** `http` (the Idempotency-Key header) or a mutation's own field (`requestRefund`). */
  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ name: 'idem_key', type: 'varchar', length: 255 })
  key!: string;

  /** sha256 of what was asked: the same key with another request is CONFLICT. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  /** IN_PROGRESS while the first request runs; DONE once its answer is stored. */
  @Column({ type: 'varchar', length: 16 })
  state!: 'IN_PROGRESS' | 'DONE';

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus!: number | null;

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody!: string | null;

  /** The record the first request made (a refund id). */
  @Column({ name: 'resource_id', type: 'varchar', length: 64, nullable: true })
  resourceId!: string | null;

  @Column({ name: 'created_at', ...TIMESTAMP })
  createdAt!: Date;

  @Column({ name: 'expires_at', ...TIMESTAMP })
  expiresAt!: Date;
}
