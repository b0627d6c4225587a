import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from './portable';

/**
 * Filed documents (the policy):
 * - `report_filings`: one per month and table (客服/财务退单统计表), the deadline the escalation
 *   scheduler watches until it is ARCHIVED, and once REVIEWED the table as filed (`content`)
 *   with its sha256;
 * - `report_sign_offs`: who reviewed (部门主管审核) and archived (存档) it, once each by a unique key;
 * - `shift_handover_records`: a 工作交接单 as handed over, with the handover computed at that
 *   moment frozen in it, and its acknowledgement by the person it was handed to;
 * - `breaches.incident_id` and `sla_warnings.incident_id` may be NULL: a filing or a handover
 *   is a deadline that belongs to no incident.
 */
export class FiledDocuments1732300000050 implements MigrationInterface {
  name = 'FiledDocuments1732300000050';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'report_filings',
        columns: [
          c.id(),
          c.str('month', 7),
          c.str('table_name', 16),
          c.str('status', 16),
          c.time('start_at'),
          c.time('due_at'),
          c.longText('content', true),
          c.str('checksum', 64, true),
          c.time('filed_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_report_filings_month', columnNames: ['month', 'table_name'], isUnique: true }),
          new TableIndex({ name: 'ix_report_filings_open', columnNames: ['status', 'due_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'report_sign_offs',
        columns: [
          c.id(),
          c.int('filing_id'),
          c.str('month', 7),
          c.str('table_name', 16),
          c.str('stage', 16),
          c.str('actor', 128),
          c.time('at'),
          c.str('note', 2000, true),
          c.str('checksum', 64),
        ],
        indices: [new TableIndex({ name: 'uq_report_sign_offs_stage', columnNames: ['filing_id', 'stage'], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_report_sign_offs_filing',
            columnNames: ['filing_id'],
            referencedTableName: 'report_filings',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'shift_handover_records',
        columns: [
          c.id(),
          c.str('shift', 8),
          c.time('window_from'),
          c.time('window_to'),
          c.str('handed_over_by', 128),
          c.str('handed_over_to', 128),
          c.time('handed_over_at'),
          c.time('acknowledge_by'),
          c.time('acknowledged_at', true),
          c.str('acknowledge_note', 2000, true),
          c.int('expected'),
          c.int('present'),
          c.int('late'),
          c.int('left_early'),
          c.int('absent'),
          c.longText('completed_work'),
          c.longText('notes', true),
          c.bool('cleaning_done'),
          c.longText('handover'),
          c.str('checksum', 64),
        ],
        indices: [
          new TableIndex({ name: 'ix_shift_handover_records_at', columnNames: ['handed_over_at', 'id'] }),
          new TableIndex({ name: 'ix_shift_handover_records_open', columnNames: ['acknowledged_at', 'acknowledge_by'] }),
        ],
      }),
    );
    for (const table of ['breaches', 'sla_warnings']) await nullableIncident(queryRunner, table, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['breaches', 'sla_warnings']) {
      await queryRunner.query(`DELETE FROM ${table} WHERE incident_id IS NULL`);
      await nullableIncident(queryRunner, table, false);
    }
    for (const t of ['shift_handover_records', 'report_sign_offs', 'report_filings']) await queryRunner.dropTable(t);
  }
}

/**
 * `incident_id` of a table made nullable (or not), from the column as the database describes it:
 * the same type, so MySQL alters it in place (a different type spelling makes TypeORM drop and
 * re-add the column, which its foreign key forbids) and SQLite copies the table as it is.
 */
async function nullableIncident(queryRunner: QueryRunner, name: string, nullable: boolean): Promise<void> {
  const table = await queryRunner.getTable(name);
  const old = table?.findColumnByName('incident_id');
  if (!table || !old) throw new Error(`${name}.incident_id not found`);
  const changed = old.clone();
  changed.isNullable = nullable;
  await queryRunner.changeColumn(table, old, changed);
}
