import { Column, Entity, Index } from 'typeorm';
import { WorkflowTransitionColumns } from '../database/workflow-columns';

/** The history of a remedy: one row per transition (who, when, from, to, step, note). */
@Entity('remedy_transitions')
@Index('ix_remedy_transitions_remedy', ['remedyId', 'id'])
export class RemedyTransitionEntity extends WorkflowTransitionColumns {
  @Column({ name: 'remedy_id', type: 'integer' })
  remedyId!: number;

  /** STARTED | ADVANCED | COMPLETED | CANCELLED */
  declare kind: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;
}
