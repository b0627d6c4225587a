import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex, TableUnique } from 'typeorm';
import { columns } from './portable';

/**
 * Drills (预案演练): `drill_runs`, one row per scheduled run of a pack scenario (the scenario
 * kept as scheduled, the next step's time the escalation pass watches, the 演练总结's 改进措施
 * and signature); `drill_run_steps`, one row per injected step with the incident it made or
 * amended (unique per run and step: two instances inject a step once); `drill_due_clocks`, when
 * each procedure falls overdue for a drill and when its CS_LEAD is warned.
 */
export class Drills1732300000090 implements MigrationInterface {
  name = 'Drills1732300000090';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'drill_runs',
        columns: [
          c.id(),
          c.str('scenario_code', 64),
          c.str('scenario_label', 200),
          c.str('procedure', 64),
          c.longText('scenario'),
          c.str('rule_set_version', 128),
          c.str('status', 16),
          c.time('starts_at'),
          c.time('next_step_at', true),
          c.str('scheduled_by', 128),
          c.time('scheduled_at'),
          c.time('finished_at', true),
          c.str('aborted_by', 128, true),
          c.str('abort_note', 500, true),
          c.longText('improvements', true),
          c.str('signed_by', 128, true),
          c.time('signed_at', true),
        ],
        indices: [
          new TableIndex({ name: 'ix_drill_runs_next_step', columnNames: ['status', 'next_step_at'] }),
          new TableIndex({ name: 'ix_drill_runs_scenario', columnNames: ['scenario_code', 'starts_at'] }),
          new TableIndex({ name: 'ix_drill_runs_procedure', columnNames: ['procedure', 'starts_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'drill_run_steps',
        columns: [c.id(), c.int('run_id'), c.str('step_id', 40), c.str('kind', 8), c.time('due_at'), c.time('injected_at'), c.int('incident_id')],
        uniques: [new TableUnique({ name: 'uq_drill_run_steps_step', columnNames: ['run_id', 'step_id'] })],
        indices: [new TableIndex({ name: 'ix_drill_run_steps_incident', columnNames: ['incident_id'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_drill_run_steps_run',
            columnNames: ['run_id'],
            referencedTableName: 'drill_runs',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            name: 'fk_drill_run_steps_incident',
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
        name: 'drill_due_clocks',
        columns: [
          c.id(),
          c.str('procedure', 64),
          c.int('months'),
          c.time('last_drilled_at', true),
          c.time('counted_from'),
          c.str('clock_key', 128),
          c.time('due_at'),
          c.time('warn_at'),
          c.bool('current'),
        ],
        uniques: [new TableUnique({ name: 'uq_drill_due_clocks_key', columnNames: ['clock_key'] })],
        indices: [new TableIndex({ name: 'ix_drill_due_clocks_current', columnNames: ['procedure', 'current'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('drill_due_clocks');
    await queryRunner.dropTable('drill_run_steps');
    await queryRunner.dropTable('drill_runs');
  }
}
