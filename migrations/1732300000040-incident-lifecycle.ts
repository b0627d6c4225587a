import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from './portable';

/**
 * Incidents that evolve:
 * - `incident_actions.status` (OPEN, DONE, WAIVED, WITHDRAWN) and `reason` (why waived or
 *   withdrawn). Every stored action gets its status from `done`; `done` stays, meaning "settled"
 *   (no longer to do), which is what every reader of it asked. Incidents already closed stay
 *   closed, their open actions open: nobody withdrew them.
 * - `incidents.amended_at`: the last amendment of the facts.
 * - `incident_decisions`: every decision of an incident once its facts were amended (the one at
 *   the report first), with the facts it was made on.
 */
export class IncidentLifecycle1732300000040 implements MigrationInterface {
  name = 'IncidentLifecycle1732300000040';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    const isSqlite = queryRunner.connection.driver.options.type === 'better-sqlite3';
    const text = isSqlite ? '' : ' CHARACTER SET utf8mb4 COLLATE utf8mb4_bin';
    // Plain ALTER TABLE, valid on both databases (see the reports migration for why not addColumn).
    await queryRunner.query(`ALTER TABLE incident_actions ADD COLUMN status varchar(16)${text} NOT NULL DEFAULT 'OPEN'`);
    await queryRunner.query(`ALTER TABLE incident_actions ADD COLUMN reason varchar(2000)${text} NULL`);
    await queryRunner.query(`UPDATE incident_actions SET status = 'DONE' WHERE done = ?`, [true]);
    await queryRunner.query(`ALTER TABLE incidents ADD COLUMN amended_at ${isSqlite ? 'datetime' : 'datetime(3)'} NULL`);
    await queryRunner.createTable(
      new Table({
        name: 'incident_decisions',
        columns: [
          c.id(),
          c.int('incident_id'),
          c.int('seq'),
          c.time('decided_at'),
          c.str('kind', 16),
          c.str('actor', 128),
          c.str('note', 2000, true),
          c.str('rule_set_version', 96),
          c.longText('decision'),
        ],
        indices: [new TableIndex({ name: 'uq_incident_decisions_seq', columnNames: ['incident_id', 'seq'], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_incident_decisions_incident',
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
    await queryRunner.dropTable('incident_decisions');
    await queryRunner.query('ALTER TABLE incidents DROP COLUMN amended_at');
    await queryRunner.query('ALTER TABLE incident_actions DROP COLUMN reason');
    await queryRunner.query('ALTER TABLE incident_actions DROP COLUMN status');
  }
}
