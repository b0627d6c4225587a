import { DateTime } from 'luxon';
import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { rebuildRefundRollups } from '../src/reports/refund-rollup.store';
import { columns } from './portable';

const BUSINESS_COLUMNS = [
  ['business_month', 7],
  ['business_day', 10],
] as const;

/** The zone of the default rule pack: refunds made before this migration were requested under it. */
const BACKFILL_ZONE = 'Asia/Shanghai';

/**
 * Reports at scale: each refund keeps the business-zone month and day it was
 * requested in (so grouping never converts time zones in SQL); `refund_rollups` keeps counts
 * and sums per business month × drill × category × bank × method × status × owner department,
 * and `refund_pending_steps` the step each refund in progress waits at, both maintained in the
 * refund's own transactions (src/reports/refund-rollup.store.ts).
 */
export class Reports1732300000002 implements MigrationInterface {
  name = 'Reports1732300000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    // Plain ALTER TABLE, valid on both databases: TypeORM's SQLite addColumns/dropColumns copy the
    // whole table, and on revert it drops the old one with foreign keys on, which would delete
    // every refund step through ON DELETE CASCADE.
    for (const [name, length] of BUSINESS_COLUMNS) await queryRunner.query(`ALTER TABLE refunds ADD COLUMN ${name} varchar(${length}) NOT NULL DEFAULT ''`);
    const rows: Array<{ id: number; requested_at: Date | string }> = await queryRunner.query('SELECT id, requested_at FROM refunds');
    for (const r of rows) {
      const at = r.requested_at instanceof Date ? r.requested_at : new Date(`${String(r.requested_at).replace(' ', 'T')}Z`);
      const local = DateTime.fromJSDate(at, { zone: BACKFILL_ZONE });
      await queryRunner.query('UPDATE refunds SET business_month = ?, business_day = ? WHERE id = ?', [
        local.toFormat('yyyy-MM'),
        local.toFormat('yyyy-MM-dd'),
        r.id,
      ]);
    }
    // The monthly table: one business month, drills apart, in request order.
    await queryRunner.createIndex('refunds', new TableIndex({ name: 'ix_refunds_business_month', columnNames: ['business_month', 'drill', 'requested_at'] }));
    // The shift handover: when a step (CASHIER_CHECK: submitted to finance) became pending.
    await queryRunner.createIndex('refund_steps', new TableIndex({ name: 'ix_refund_steps_step_pending', columnNames: ['step', 'pending_since'] }));
    await queryRunner.createTable(
      new Table({
        name: 'refund_rollups',
        columns: [
          c.id(),
          c.str('business_month', 7),
          c.bool('drill'),
          c.str('category', 64),
          c.str('bank', 128),
          c.str('method', 64),
          c.str('status', 16),
          c.str('owner_department', 64),
          c.int('refund_count'),
          c.bigint('total_fen'),
          c.int('paid_count'),
          c.bigint('pay_ms'),
          c.int('late_steps'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_refund_rollups_cell',
            columnNames: ['business_month', 'drill', 'category', 'bank', 'method', 'status', 'owner_department'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'refund_pending_steps',
        columns: [
          { name: 'refund_id', type: 'integer', isPrimary: true },
          c.str('step', 64),
          c.time('due_at'),
          c.time('requested_at'),
          c.str('business_day', 10),
          c.str('business_month', 7),
          c.bool('drill'),
          c.str('category', 64),
          c.str('bank', 128),
          c.str('method', 64),
          c.str('status', 16),
          c.str('owner_department', 64),
        ],
        indices: [new TableIndex({ name: 'ix_refund_pending_steps_due', columnNames: ['due_at'] })],
      }),
    );
    await rebuildRefundRollups(queryRunner.manager);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('refund_pending_steps');
    await queryRunner.dropTable('refund_rollups');
    await queryRunner.dropIndex('refund_steps', 'ix_refund_steps_step_pending');
    await queryRunner.dropIndex('refunds', 'ix_refunds_business_month');
    for (const [name] of BUSINESS_COLUMNS) await queryRunner.query(`ALTER TABLE refunds DROP COLUMN ${name}`);
  }
}
