import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { jsonTransformer, TIMESTAMP } from '../database/column-types';

/** The history of an incident: reported, status changed, action completed, satisfaction… */
@Entity('incident_events')
@Index('ix_incident_events_incident', ['incidentId', 'id'])
export class IncidentEventEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'incident_id', type: 'integer' })
  incidentId!: number;

  @Column({ ...TIMESTAMP })
  at!: Date;

  @Column({ type: 'varchar', length: 128 })
  actor!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16, nullable: true })
  toStatus!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ type: 'text', nullable: true, transformer: jsonTransformer })
  detail!: Record<string, unknown> | null;
}
