import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { boolTransformer, jsonTransformer, TIMESTAMP } from '../database/column-types';
import type { DrillScenario } from '../rules/types';

/** SCHEDULED → RUNNING (first step injected) → COMPLETED (every step injected); ABORTED from either of the first two. */
export const DRILL_RUN_STATUSES = ['SCHEDULED', 'RUNNING', 'COMPLETED', 'ABORTED'] as const;
export type DrillRunStatus = (typeof DRILL_RUN_STATUSES)[number];

/**
 * One run of a drill scenario (预案演练): the scenario as it was when scheduled (a later pack
 * changes no run under way), when it starts, and the next step's time, which the escalation
 * scheduler's pass watches. The 演练总结's 改进措施 and its signature are added once.
 */
@Entity('drill_runs')
@Index('ix_drill_runs_next_step', ['status', 'nextStepAt'])
@Index('ix_drill_runs_scenario', ['scenarioCode', 'startsAt'])
@Index('ix_drill_runs_procedure', ['procedure', 'startsAt'])
export class DrillRunEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'scenario_code', type: 'varchar', length: 64 })
  scenarioCode!: string;

  @Column({ name: 'scenario_label', type: 'varchar', length: 200 })
  scenarioLabel!: string;

  @Column({ type: 'varchar', length: 64 })
  procedure!: string;

  @Column({ type: 'text', transformer: jsonTransformer })
  scenario!: DrillScenario;

  @Column({ name: 'rule_set_version', type: 'varchar', length: 128 })
  ruleSetVersion!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: DrillRunStatus;

  @Column({ name: 'starts_at', ...TIMESTAMP })
  startsAt!: Date;

  /** When the next step is due to be injected; null once every step is (or the run is aborted). */
  @Column({ name: 'next_step_at', ...TIMESTAMP, nullable: true })
  nextStepAt!: Date | null;

  @Column({ name: 'scheduled_by', type: 'varchar', length: 128 })
  scheduledBy!: string;

  @Column({ name: 'scheduled_at', ...TIMESTAMP })
  scheduledAt!: Date;

  @Column({ name: 'finished_at', ...TIMESTAMP, nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'aborted_by', type: 'varchar', length: 128, nullable: true })
  abortedBy!: string | null;

  @Column({ name: 'abort_note', type: 'varchar', length: 500, nullable: true })
  abortNote!: string | null;

  /** 改进措施, filled in by the lead with the signature. */
  @Column({ type: 'text', nullable: true })
  improvements!: string | null;

  @Column({ name: 'signed_by', type: 'varchar', length: 128, nullable: true })
  signedBy!: string | null;

  @Column({ name: 'signed_at', ...TIMESTAMP, nullable: true })
  signedAt!: Date | null;
}

/** A step of a run as injected: the incident it reported (or amended), once per step. */
@Entity('drill_run_steps')
@Unique('uq_drill_run_steps_step', ['runId', 'stepId'])
@Index('ix_drill_run_steps_incident', ['incidentId'])
export class DrillRunStepEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'run_id', type: 'integer' })
  runId!: number;

  @Column({ name: 'step_id', type: 'varchar', length: 40 })
  stepId!: string;

  /** REPORT | AMEND */
  @Column({ type: 'varchar', length: 8 })
  kind!: string;

  @Column({ name: 'due_at', ...TIMESTAMP })
  dueAt!: Date;

  @Column({ name: 'injected_at', ...TIMESTAMP })
  injectedAt!: Date;

  @Column({ name: 'incident_id', type: 'integer' })
  incidentId!: number;
}

/**
 * A procedure's drill clock: when it falls overdue (`dueAt`) and when the CS_LEAD is warned
 * (`warnAt`, a month before). One current row per procedure; a new drill (or a new period in
 * the pack) makes a new row, so each due date warns once.
 */
@Entity('drill_due_clocks')
@Index('ix_drill_due_clocks_current', ['procedure', 'current'])
@Unique('uq_drill_due_clocks_key', ['clockKey'])
export class DrillDueClockEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  procedure!: string;

  @Column({ type: 'integer' })
  months!: number;

  @Column({ name: 'last_drilled_at', ...TIMESTAMP, nullable: true })
  lastDrilledAt!: Date | null;

  /** The last drill's start, or when the scheduler first saw a procedure never drilled: the period counts from here. */
  @Column({ name: 'counted_from', ...TIMESTAMP })
  countedFrom!: Date;

  /** procedure|countedFrom|months, unique: of two instances renewing a clock, one inserts it. */
  @Column({ name: 'clock_key', type: 'varchar', length: 128 })
  clockKey!: string;

  @Column({ name: 'due_at', ...TIMESTAMP })
  dueAt!: Date;

  @Column({ name: 'warn_at', ...TIMESTAMP })
  warnAt!: Date;

  @Column({ type: 'boolean', transformer: boolTransformer })
  current!: boolean;
}
