import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from './portable';

/**
 * Deadlines that act, and signed webhooks:
 * - `incident_clocks`: an incident's clock paused while waiting on the customer, and the time
 *   paused so far (wall clock and working time);
 * - `breaches` and `sla_warnings`: each recorded once per (subject type, subject id, kind), by a
 *   unique key, whatever number of service instances look at the same deadline;
 * - `incident_actions.evidence`: what completed an action (报警回执编号, where CCTV is kept), and
 *   an index on (done, due_at) for the scheduler;
 * - `webhook_subscriptions`, `webhook_outbox` (written in the transaction of the change) and
 *   `webhook_deliveries` (one per event and subscription, retried until delivered or dead).
 */
export class EscalationWebhooks1732300000004 implements MigrationInterface {
  name = 'EscalationWebhooks1732300000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    const isSqlite = queryRunner.connection.driver.options.type === 'better-sqlite3';
    const incidentFk = (table: string, column = 'incident_id') =>
      new TableForeignKey({
        name: `fk_${table}_incident`,
        columnNames: [column],
        referencedTableName: 'incidents',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      });

    await queryRunner.createTable(
      new Table({
        name: 'incident_clocks',
        columns: [
          { name: 'incident_id', type: 'integer', isPrimary: true },
          c.time('paused_at', true),
          c.str('paused_by', 128, true),
          c.str('pause_reason', 2000, true),
          c.bigint('paused_ms'),
          c.bigint('paused_working_ms'),
          c.int('pauses'),
        ],
        foreignKeys: [incidentFk('incident_clocks')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'breaches',
        columns: [
          c.id(),
          c.str('subject_type', 16),
          c.int('subject_id'),
          c.str('kind', 16),
          c.int('incident_id'),
          c.int('refund_id', true),
          c.str('code', 64, true),
          c.time('due_at'),
          c.time('detected_at'),
          c.int('level'),
          c.str('escalated_to', 64, true),
          c.time('escalated_at', true),
          c.time('next_escalation_at', true),
          c.time('settled_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_breaches_subject', columnNames: ['subject_type', 'subject_id', 'kind'], isUnique: true }),
          new TableIndex({ name: 'ix_breaches_next', columnNames: ['next_escalation_at'] }),
          new TableIndex({ name: 'ix_breaches_incident', columnNames: ['incident_id', 'id'] }),
          new TableIndex({ name: 'ix_breaches_detected', columnNames: ['detected_at', 'id'] }),
        ],
        foreignKeys: [incidentFk('breaches')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'sla_warnings',
        columns: [c.id(), c.str('subject_type', 16), c.int('subject_id'), c.str('kind', 16), c.int('incident_id'), c.time('due_at'), c.time('warned_at')],
        indices: [new TableIndex({ name: 'uq_sla_warnings_subject', columnNames: ['subject_type', 'subject_id', 'kind'], isUnique: true })],
        foreignKeys: [incidentFk('sla_warnings')],
      }),
    );

    // Plain ALTER TABLE, valid on both databases (see the reports migration for why not addColumn).
    await queryRunner.query(
      isSqlite
        ? 'ALTER TABLE incident_actions ADD COLUMN evidence text NULL'
        : 'ALTER TABLE incident_actions ADD COLUMN evidence longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL',
    );
    // The scheduler's look at open actions by due time, every pass.
    await queryRunner.createIndex('incident_actions', new TableIndex({ name: 'ix_incident_actions_open_due', columnNames: ['done', 'due_at'] }));

    await queryRunner.createTable(
      new Table({
        name: 'webhook_subscriptions',
        columns: [
          c.id(),
          c.str('url', 2048),
          c.str('event_types', 1000),
          c.str('source', 64, true),
          c.str('secrets', 500),
          c.bool('active'),
          c.str('description', 200, true),
          c.str('created_by', 128),
          c.time('created_at'),
          c.time('updated_at'),
          c.int('version'),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'webhook_outbox',
        columns: [
          c.id(),
          c.str('event_id', 64),
          c.str('type', 64),
          c.int('incident_id', true),
          c.str('source', 64, true),
          c.longText('payload'),
          c.time('occurred_at'),
          c.bool('fanned_out'),
        ],
        indices: [
          new TableIndex({ name: 'uq_webhook_outbox_event', columnNames: ['event_id'], isUnique: true }),
          new TableIndex({ name: 'ix_webhook_outbox_fan', columnNames: ['fanned_out', 'id'] }),
          new TableIndex({ name: 'ix_webhook_outbox_incident', columnNames: ['incident_id', 'id'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          c.id(),
          c.int('outbox_id'),
          c.int('subscription_id'),
          c.int('incident_id', true),
          c.str('status', 16),
          c.int('attempts'),
          c.time('next_attempt_at'),
          c.time('retry_until'),
          c.str('claimed_by', 64, true),
          c.time('claimed_until', true),
          c.time('last_attempt_at', true),
          c.int('last_status', true),
          c.str('last_error', 500, true),
          c.time('delivered_at', true),
          c.time('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_webhook_deliveries_event', columnNames: ['outbox_id', 'subscription_id'], isUnique: true }),
          new TableIndex({ name: 'ix_webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'ix_webhook_deliveries_order', columnNames: ['subscription_id', 'incident_id', 'outbox_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_webhook_deliveries_outbox',
            columnNames: ['outbox_id'],
            referencedTableName: 'webhook_outbox',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            name: 'fk_webhook_deliveries_subscription',
            columnNames: ['subscription_id'],
            referencedTableName: 'webhook_subscriptions',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const t of ['webhook_deliveries', 'webhook_outbox', 'webhook_subscriptions', 'sla_warnings', 'breaches', 'incident_clocks'])
      await queryRunner.dropTable(t);
    await queryRunner.dropIndex('incident_actions', 'ix_incident_actions_open_due');
    await queryRunner.query('ALTER TABLE incident_actions DROP COLUMN evidence');
  }
}
