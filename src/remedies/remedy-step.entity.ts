import { Column, Entity, Index } from 'typeorm';
import { boolTransformer, jsonTransformer } from '../database/column-types';
import { WorkflowStepColumns } from '../database/workflow-columns';
import type { Duration } from '../rules/types';

/**
 * One step of a remedy. Role, due span and whether it needs a tracking number are copied from
 * the catalog when the remedy starts, so a later pack change does not change who acts on it.
 */
@Entity('remedy_steps')
@Index('uq_remedy_steps_position', ['remedyId', 'position'], { unique: true })
@Index('ix_remedy_steps_open', ['status', 'dueAt'])
export class RemedyStepEntity extends WorkflowStepColumns {
  @Column({ name: 'remedy_id', type: 'integer' })
  remedyId!: number;

  /** The span it is due after the previous step was done (the first: after the start). */
  @Column({ type: 'varchar', length: 200, transformer: jsonTransformer })
  due!: Duration;

  @Column({ name: 'needs_tracking', type: 'boolean', transformer: boolTransformer })
  needsTracking!: boolean;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ name: 'tracking_no', type: 'varchar', length: 128, nullable: true })
  trackingNo!: string | null;
}
