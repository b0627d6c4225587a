import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from './portable';

/**
 * Refunds (退款申请单), their approval steps per attempt, and their transition history.
 * The indexes serve the reports of the policy: by request time, status, incident, payout time,
 * and returned requests per time window.
 */
export class Refunds1732300000001 implements MigrationInterface {
  name = 'Refunds1732300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'refunds',
        columns: [
          c.id(),
          c.str('refund_no', 40),
          c.int('incident_id'),
          c.str('source', 64),
          c.bigint('amount_fen'),
          c.str('method', 64),
          c.str('status', 16),
          c.str('current_step', 64, true),
          c.longText('chain'),
          c.int('attempt'),
          c.str('order_no', 128, true),
          c.time('purchased_at', true),
          c.str('bank', 128, true),
          c.str('phone', 32, true),
          c.longText('fault_description', true),
          c.longText('customer_opinion', true),
          c.str('requested_by', 128),
          c.time('requested_at'),
          c.time('paid_at', true),
          c.time('completed_at', true),
          c.time('returned_at', true),
          c.str('return_reason', 2000, true),
          c.time('cancelled_at', true),
          c.str('cancel_reason', 2000, true),
          c.bool('drill'),
          c.str('category', 64),
          c.str('owner_department', 64),
          c.str('rule_set_version', 96),
          c.int('version'),
          c.time('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_refunds_no', columnNames: ['refund_no'], isUnique: true }),
          new TableIndex({ name: 'ix_refunds_requested', columnNames: ['requested_at', 'id'] }),
          new TableIndex({ name: 'ix_refunds_status', columnNames: ['status', 'requested_at'] }),
          new TableIndex({ name: 'ix_refunds_incident', columnNames: ['incident_id'] }),
          new TableIndex({ name: 'ix_refunds_paid', columnNames: ['paid_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_refunds_incident', columnNames: ['incident_id'], referencedTableName: 'incidents', referencedColumnNames: ['id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'refund_steps',
        columns: [
          c.id(),
          c.int('refund_id'),
          c.int('attempt'),
          c.int('position'),
          c.str('step', 64),
          c.str('role', 32),
          c.bool('approval'),
          c.bool('can_return'),
          c.str('status', 16),
          c.str('actor', 128, true),
          c.str('comment', 2000, true),
          c.time('pending_since', true),
          c.time('due_at', true),
          c.time('decided_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_refund_steps_position', columnNames: ['refund_id', 'attempt', 'position'], isUnique: true }),
          new TableIndex({ name: 'ix_refund_steps_status_due', columnNames: ['status', 'due_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_refund_steps_refund',
            columnNames: ['refund_id'],
            referencedTableName: 'refunds',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'refund_transitions',
        columns: [
          c.id(),
          c.int('refund_id'),
          c.time('at'),
          c.str('actor', 128),
          c.str('kind', 16),
          c.str('from_status', 16, true),
          c.str('to_status', 16),
          c.str('step', 64, true),
          c.str('decision', 16, true),
          c.int('attempt'),
          c.str('comment', 2000, true),
        ],
        indices: [
          new TableIndex({ name: 'ix_refund_transitions_refund', columnNames: ['refund_id', 'id'] }),
          new TableIndex({ name: 'ix_refund_transitions_to', columnNames: ['to_status', 'at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_refund_transitions_refund',
            columnNames: ['refund_id'],
            referencedTableName: 'refunds',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const t of ['refund_transitions', 'refund_steps', 'refunds']) await queryRunner.dropTable(t);
  }
}
