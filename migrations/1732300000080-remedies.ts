import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from './portable';

/**
 * After-sales remedies (货物售后): `remedies` (one per remedy started on an incident, with the
 * optimistic-lock version), `remedy_steps` (its steps frozen from the catalog: role, due span,
 * tracking number needed; PENDING ones are the deadlines the escalation scheduler watches) and
 * `remedy_transitions` (the history of every move).
 */
export class Remedies1732300000080 implements MigrationInterface {
  name = 'Remedies1732300000080';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'remedies',
        columns: [
          c.id(),
          c.int('incident_id'),
          c.str('source', 64),
          c.bool('drill'),
          c.str('kind', 64),
          c.str('status', 16),
          c.str('current_step', 64, true),
          c.str('order_no', 128, true),
          c.str('items', 2000, true),
          c.str('note', 2000, true),
          c.str('started_by', 128),
          c.time('started_at'),
          c.time('completed_at', true),
          c.time('cancelled_at', true),
          c.str('cancel_reason', 2000, true),
          c.str('rule_set_version', 96),
          c.int('version'),
          c.time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'ix_remedies_incident', columnNames: ['incident_id', 'id'] })],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_remedies_incident', columnNames: ['incident_id'], referencedTableName: 'incidents', referencedColumnNames: ['id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'remedy_steps',
        columns: [
          c.id(),
          c.int('remedy_id'),
          c.int('position'),
          c.str('step', 64),
          c.str('role', 32),
          c.str('due', 200),
          c.bool('needs_tracking'),
          c.str('status', 16),
          c.str('actor', 128, true),
          c.str('note', 2000, true),
          c.str('tracking_no', 128, true),
          c.time('pending_since', true),
          c.time('due_at', true),
          c.time('decided_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_remedy_steps_position', columnNames: ['remedy_id', 'position'], isUnique: true }),
          new TableIndex({ name: 'ix_remedy_steps_open', columnNames: ['status', 'due_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_remedy_steps_remedy', columnNames: ['remedy_id'], referencedTableName: 'remedies', referencedColumnNames: ['id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'remedy_transitions',
        columns: [
          c.id(),
          c.int('remedy_id'),
          c.time('at'),
          c.str('actor', 128),
          c.str('kind', 16),
          c.str('from_status', 16, true),
          c.str('to_status', 16),
          c.str('step', 64, true),
          c.str('note', 2000, true),
        ],
        indices: [new TableIndex({ name: 'ix_remedy_transitions_remedy', columnNames: ['remedy_id', 'id'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_remedy_transitions_remedy',
            columnNames: ['remedy_id'],
            referencedTableName: 'remedies',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const t of ['remedy_transitions', 'remedy_steps', 'remedies']) await queryRunner.dropTable(t);
  }
}
