import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from './portable';

/** The core tables: API keys, rule pack versions, incidents with their actions and history. */
export class Core1732300000000 implements MigrationInterface {
  name = 'Core1732300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          c.id(),
          c.str('name', 128),
          c.str('key_hash', 64),
          c.str('roles', 512),
          c.str('source', 64, true),
          c.time('created_at'),
          c.time('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_api_keys_name', columnNames: ['name'], isUnique: true }),
          new TableIndex({ name: 'uq_api_keys_hash', columnNames: ['key_hash'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'rule_set_versions',
        columns: [
          c.id(),
          c.str('version', 96),
          c.str('checksum', 64),
          c.str('label', 128, true),
          c.int('rule_count'),
          c.time('loaded_at'),
          c.str('loaded_by', 128),
          c.longText('files'),
        ],
        indices: [new TableIndex({ name: 'ix_rule_set_versions_checksum', columnNames: ['checksum'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'incidents',
        columns: [
          c.id(),
          c.str('source', 64),
          c.str('external_ref', 128),
          c.str('input_hash', 64),
          c.str('category', 64),
          c.str('subtype', 64, true),
          c.str('status', 16),
          c.str('severity', 16),
          c.str('owner_department', 64),
          c.bool('police_report_required'),
          c.bigint('amount_fen', true),
          c.longText('report'),
          c.str('customer_id', 128, true),
          c.str('customer_phone', 32, true),
          c.str('order_no', 128, true),
          c.time('occurred_at', true),
          c.time('reported_at'),
          c.time('acknowledge_by', true),
          c.time('resolve_by', true),
          c.time('acknowledged_at', true),
          c.time('resolved_at', true),
          c.bool('drill'),
          c.str('rule_set_version', 96),
          c.longText('decision'),
          c.int('satisfaction_score', true),
          c.str('satisfaction_comment', 2000, true),
          c.int('version'),
          c.time('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_incidents_source_ref', columnNames: ['source', 'external_ref'], isUnique: true }),
          new TableIndex({ name: 'ix_incidents_reported', columnNames: ['reported_at', 'id'] }),
          new TableIndex({ name: 'ix_incidents_customer', columnNames: ['customer_id', 'reported_at'] }),
          new TableIndex({ name: 'ix_incidents_status', columnNames: ['status', 'reported_at'] }),
          new TableIndex({ name: 'ix_incidents_category', columnNames: ['category', 'reported_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'incident_actions',
        columns: [
          c.id(),
          c.int('incident_id'),
          c.str('code', 64),
          c.int('position'),
          c.time('due_at', true),
          c.time('retain_until', true),
          c.bool('done'),
          c.time('done_at', true),
          c.str('done_by', 128, true),
          c.str('note', 2000, true),
        ],
        indices: [new TableIndex({ name: 'uq_incident_actions_code', columnNames: ['incident_id', 'code'], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_incident_actions_incident',
            columnNames: ['incident_id'],
            referencedTableName: 'incidents',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'incident_events',
        columns: [
          c.id(),
          c.int('incident_id'),
          c.time('at'),
          c.str('actor', 128),
          c.str('kind', 32),
          c.str('from_status', 16, true),
          c.str('to_status', 16, true),
          c.str('note', 2000, true),
          c.longText('detail', true),
        ],
        indices: [new TableIndex({ name: 'ix_incident_events_incident', columnNames: ['incident_id', 'id'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_incident_events_incident',
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
    for (const t of ['incident_events', 'incident_actions', 'incidents', 'rule_set_versions', 'api_keys']) await queryRunner.dropTable(t);
  }
}
