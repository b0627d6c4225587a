import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from './portable';

/** Shadow rule packs: the live decisions a candidate pack would have made differently. */
export class Shadow1732300000003 implements MigrationInterface {
  name = 'Shadow1732300000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'rule_shadow_divergences',
        columns: [
          c.id(),
          c.int('incident_id'),
          c.str('shadow_version', 96),
          c.str('live_version', 96),
          c.str('fields', 128),
          c.longText('live'),
          c.longText('shadow'),
          c.time('detected_at'),
        ],
        indices: [
          new TableIndex({ name: 'ix_rule_shadow_divergences_version', columnNames: ['shadow_version', 'id'] }),
          new TableIndex({ name: 'ix_rule_shadow_divergences_incident', columnNames: ['incident_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_rule_shadow_divergences_incident',
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
    await queryRunner.dropTable('rule_shadow_divergences');
  }
}
