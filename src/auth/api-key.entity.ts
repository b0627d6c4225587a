import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { boolTransformer, TIMESTAMP } from '../database/column-types';

/** An API key. Only its sha256 is stored; the key itself is shown once, at creation. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 128, unique: true })
  name!: string;

  @Column({ name: 'key_hash', type: 'varchar', length: 64, unique: true })
  keyHash!: string;

  /** Comma-separated roles. */
  @Column({ type: 'varchar', length: 512 })
  roles!: string;

  /** The ERP/CRM source an INTEGRATION key is bound to. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  source!: string | null;

  /** An INTEGRATION key that may name a staff member per request (X-Triage-Employee). */
  @Column({ name: 'act_for_staff', type: 'boolean', transformer: boolTransformer, default: false })
  actForStaff!: boolean;

  @Column({ name: 'created_at', ...TIMESTAMP })
  createdAt!: Date;

  @Column({ name: 'revoked_at', ...TIMESTAMP, nullable: true })
  revokedAt!: Date | null;
}
