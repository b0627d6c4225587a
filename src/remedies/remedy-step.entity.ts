import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { boolTransformer, jsonTransformer, TIMESTAMP } from '../database/column-types';
import type { Duration } from '../rules/types';

/**
 * One step of a remedy. Role, due span and whether it needs a tracking number are copied from
 * the catalog when the remedy starts, so a later pack change does not change who acts on it.
 */
@Entity('remedy_steps')
@Index('uq_remedy_steps_position', ['remedyId', 'position'], { unique: true })
@Index('ix_remedy_steps_open', ['status', 'dueAt'])
export class RemedyStepEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'remedy_id', type: 'integer' })
  remedyId!: number;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'varchar', length: 64 })
  step!: string;

  @Column({ type: 'varchar', length: 32 })
  role!: string;

  /** The span it is due after the previous step was done (the first: after the start). */
  @Column({ type: 'varchar', length: 200, transformer: jsonTransformer })
  due!: Duration;

  @Column({ name: 'needs_tracking', type: 'boolean', transformer: boolTransformer })
  needsTracking!: boolean;

  /** WAITING | PENDING | APPROVED (done) */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  actor!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ name: 'tracking_no', type: 'varchar', length: 128, nullable: true })
  trackingNo!: string | null;

  @Column({ name: 'pending_since', ...TIMESTAMP, nullable: true })
  pendingSince!: Date | null;

  @Column({ name: 'due_at', ...TIMESTAMP, nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'decided_at', ...TIMESTAMP, nullable: true })
  decidedAt!: Date | null;
}
