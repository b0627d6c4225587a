import { Column, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './column-types';

/**
 * The columns refunds and remedies share (each keeps its own table): a step of the workflow and
 * a transition in its history. The entities extend these and add their own columns and indexes.
 */

/** One step of a workflow, copied from the catalog when the workflow starts. */
export abstract class WorkflowStepColumns {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'varchar', length: 64 })
  step!: string;

  @Column({ type: 'varchar', length: 32 })
  role!: string;

  /** WAITING | PENDING | APPROVED (done), and RETURNED for a refund step */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  actor!: string | null;

  /** When the step became PENDING: its time limit counts from here. */
  @Column({ name: 'pending_since', ...TIMESTAMP, nullable: true })
  pendingSince!: Date | null;

  @Column({ name: 'due_at', ...TIMESTAMP, nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'decided_at', ...TIMESTAMP, nullable: true })
  decidedAt!: Date | null;
}

/** One transition in a workflow's history: who, when, from which status to which, at which step. */
export abstract class WorkflowTransitionColumns {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ ...TIMESTAMP })
  at!: Date;

  @Column({ type: 'varchar', length: 128 })
  actor!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  step!: string | null;
}
