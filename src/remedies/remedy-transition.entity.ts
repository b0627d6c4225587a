import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/** The history of a remedy: one row per transition (who, when, from, to, step, note). */
@Entity('remedy_transitions')
@Index('ix_remedy_transitions_remedy', ['remedyId', 'id'])
export class RemedyTransitionEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'remedy_id', type: 'integer' })
  remedyId!: number;

  @Column({ ...TIMESTAMP })
  at!: Date;

  @Column({ type: 'varchar', length: 128 })
  actor!: string;

  /** STARTED | ADVANCED | COMPLETED | CANCELLED */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  step!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;
}
