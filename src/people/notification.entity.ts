import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { jsonTransformer, TIMESTAMP } from '../database/column-types';
import type { NotificationContent } from './notification-message';

/**
 * One person (or a department's group) told about an incident through one channel. Written in
 * the transaction of the change (the outbox); PENDING until a message carrying it is accepted
 * (SENT), retried with backoff for 24 hours, then DEAD (redeliverable). NO_CHANNEL: the
 * department has no channel, recorded so that nobody believes it was sent.
 */
@Entity('notifications')
export class NotificationEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'incident_id', type: 'integer', nullable: true })
  incidentId!: number | null;

  /** REPORTED, AMENDED, WARNING, BREACH, ESCALATED … */
  @Column({ type: 'varchar', length: 32 })
  reason!: string;

  @Column({ type: 'varchar', length: 64 })
  department!: string;

  @Column({ name: 'channel_id', type: 'integer', nullable: true })
  channelId!: number | null;

  /** DINGTALK | WECOM | FEISHU | WEBHOOK | NONE */
  @Column({ name: 'channel_kind', type: 'varchar', length: 16 })
  channelKind!: string;

  /** ON_CALL (on duty), CONTACT (the department's 联络人) or GROUP (nobody named: the department's group itself). */
  @Column({ name: 'recipient_kind', type: 'varchar', length: 16 })
  recipientKind!: string;

  @Column({ name: 'recipient_name', type: 'varchar', length: 128 })
  recipientName!: string;

  @Column({ name: 'recipient_employee_no', type: 'varchar', length: 64, nullable: true })
  recipientEmployeeNo!: string | null;

  @Column({ name: 'recipient_phone', type: 'varchar', length: 32, nullable: true })
  recipientPhone!: string | null;

  @Column({ type: 'text', transformer: jsonTransformer })
  payload!: NotificationContent;

  /** PENDING | SENT | DEAD | NO_CHANNEL */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'next_attempt_at', ...TIMESTAMP })
  nextAttemptAt!: Date;

  @Column({ name: 'retry_until', ...TIMESTAMP })
  retryUntil!: Date;

  @Column({ name: 'last_attempt_at', ...TIMESTAMP, nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ name: 'last_status', type: 'integer', nullable: true })
  lastStatus!: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  /** The message that carried it (several notifications merge into one message per channel). */
  @Column({ name: 'message_id', type: 'varchar', length: 64, nullable: true })
  messageId!: string | null;

  @Column({ name: 'sent_at', ...TIMESTAMP, nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'created_at', ...TIMESTAMP })
  createdAt!: Date;
}
