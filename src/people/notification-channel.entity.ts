import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { boolTransformer, TIMESTAMP } from '../database/column-types';

/** Where a department's notifications go: a group robot or a Standard Webhooks endpoint. ADMIN configures them. */
@Entity('notification_channels')
export class NotificationChannelEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  department!: string;

  /** DINGTALK | WECOM | FEISHU | WEBHOOK */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  /** DingTalk's SEC… and Feishu's signing secret, or whsec_… for a webhook; WeCom signs nothing (the key is in the URL). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  secret!: string | null;

  @Column({ type: 'boolean', transformer: boolTransformer })
  active!: boolean;

  @Column({ type: 'varchar', length: 200, nullable: true })
  description!: string | null;

  /** Start of the current rate window (a minute) and the messages sent in it. */
  @Column({ name: 'window_start', ...TIMESTAMP, nullable: true })
  windowStart!: Date | null;

  @Column({ name: 'window_count', type: 'integer' })
  windowCount!: number;

  @Column({ name: 'claimed_by', type: 'varchar', length: 64, nullable: true })
  claimedBy!: string | null;

  @Column({ name: 'claimed_until', ...TIMESTAMP, nullable: true })
  claimedUntil!: Date | null;

  @Column({ name: 'created_at', ...TIMESTAMP })
  createdAt!: Date;

  @Column({ name: 'updated_at', ...TIMESTAMP })
  updatedAt!: Date;
}
