import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from './portable';

/**
 * People, not keys:
 * - `staff_members`: the staff directory (成员名单), one row per employee number;
 * - `contacts` (联络人 and 紧急应变外部联系通信录) and `on_call_shifts` (who holds a department's duty between two times);
 * - `api_keys.act_for_staff`: an INTEGRATION key allowed to name a staff member per request;
 * - `refunds.requester_person` and `refund_steps.signer`: the person behind a request or a signature
 *   (`staff:<employeeNo>` or `key:<key name>`), so the signing rules count people, not keys.
 */
export class People1732300000070 implements MigrationInterface {
  name = 'People1732300000070';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    const isSqlite = queryRunner.connection.driver.options.type === 'better-sqlite3';
    await queryRunner.createTable(
      new Table({
        name: 'staff_members',
        columns: [
          c.id(),
          c.str('employee_no', 64),
          c.str('name', 64),
          c.str('department', 64),
          c.str('roles', 512),
          c.str('phone', 32, true),
          c.bool('active'),
          c.time('created_at'),
          c.time('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_staff_members_employee_no', columnNames: ['employee_no'], isUnique: true }),
          new TableIndex({ name: 'ix_staff_members_department', columnNames: ['department'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'contacts',
        columns: [
          c.id(),
          c.str('kind', 16),
          c.str('name', 128),
          c.str('department', 64, true),
          c.str('role', 64, true),
          c.str('phone', 32, true),
          c.time('created_at'),
          c.time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'ix_contacts_department', columnNames: ['department', 'kind'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'on_call_shifts',
        columns: [c.id(), c.str('department', 64), c.int('staff_id'), c.time('from_at'), c.time('to_at'), c.str('set_by', 160), c.time('created_at')],
        indices: [new TableIndex({ name: 'ix_on_call_shifts_department', columnNames: ['department', 'from_at'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_on_call_shifts_staff',
            columnNames: ['staff_id'],
            referencedTableName: 'staff_members',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
    // Plain ALTER TABLE, valid on both databases (see the reports migration for why not addColumn).
    await queryRunner.query(
      isSqlite
        ? 'ALTER TABLE api_keys ADD COLUMN act_for_staff boolean NOT NULL DEFAULT 0'
        : 'ALTER TABLE api_keys ADD COLUMN act_for_staff tinyint NOT NULL DEFAULT 0',
    );
    const person = isSqlite ? 'varchar(160) NULL' : 'varchar(160) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL';
    await queryRunner.query(`ALTER TABLE refunds ADD COLUMN requester_person ${person}`);
    await queryRunner.query(`ALTER TABLE refund_steps ADD COLUMN signer ${person}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE refund_steps DROP COLUMN signer');
    await queryRunner.query('ALTER TABLE refunds DROP COLUMN requester_person');
    await queryRunner.query('ALTER TABLE api_keys DROP COLUMN act_for_staff');
    await queryRunner.dropTable('on_call_shifts');
    await queryRunner.dropTable('contacts');
    await queryRunner.dropTable('staff_members');
  }
}
