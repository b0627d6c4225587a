import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from './portable';

/**
 * Notifications that reach people:
 * - `notification_channels`: per department, a DingTalk, WeCom or Feishu group robot or a
 *   Standard Webhooks endpoint, with the robot's rate window (messages sent in the current
 *   minute) and a claim, so one process at a time sends to a robot;
 * - `notifications`: one row per person (or group) told and channel, written in the transaction
 *   of the change that causes it (the outbox), delivered later, merged per channel.
 */
export class Notifications1732300000071 implements MigrationInterface {
  name = 'Notifications1732300000071';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'notification_channels',
        columns: [
          c.id(),
          c.str('department', 64),
          c.str('kind', 16),
          c.str('url', 2048),
          c.str('secret', 500, true),
          c.bool('active'),
          c.str('description', 200, true),
          c.time('window_start', true),
          c.int('window_count'),
          c.str('claimed_by', 64, true),
          c.time('claimed_until', true),
          c.time('created_at'),
          c.time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'ix_notification_channels_department', columnNames: ['department'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          c.id(),
          c.int('incident_id', true),
          c.str('reason', 32),
          c.str('department', 64),
          c.int('channel_id', true),
          c.str('channel_kind', 16),
          c.str('recipient_kind', 16),
          c.str('recipient_name', 128),
          c.str('recipient_employee_no', 64, true),
          c.str('recipient_phone', 32, true),
          c.longText('payload'),
          c.str('status', 16),
          c.int('attempts'),
          c.time('next_attempt_at'),
          c.time('retry_until'),
          c.time('last_attempt_at', true),
          c.int('last_status', true),
          c.str('last_error', 500, true),
          c.str('message_id', 64, true),
          c.time('sent_at', true),
          c.time('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'ix_notifications_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'ix_notifications_channel', columnNames: ['channel_id', 'status'] }),
          new TableIndex({ name: 'ix_notifications_incident', columnNames: ['incident_id', 'id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_notifications_incident',
            columnNames: ['incident_id'],
            referencedTableName: 'incidents',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notifications');
    await queryRunner.dropTable('notification_channels');
  }
}
