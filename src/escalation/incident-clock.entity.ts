import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/** BIGINT milliseconds: MySQL drivers return them as strings, SQLite as numbers. */
const msTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? 0 : Number(value)),
};

/**
 * An incident's clock while it waits on the customer: paused now (pausedAt set) or not, and the
 * time paused so far, on the wall clock and in working time, which later clocks of the incident
 * (warnings) count from. No row: never paused.
 */
@Entity('incident_clocks')
export class IncidentClockEntity {
  @PrimaryColumn({ name: 'incident_id', type: 'integer' })
  incidentId!: number;

  @Column({ name: 'paused_at', ...TIMESTAMP, nullable: true })
  pausedAt!: Date | null;

  @Column({ name: 'paused_by', type: 'varchar', length: 128, nullable: true })
  pausedBy!: string | null;

  @Column({ name: 'pause_reason', type: 'varchar', length: 2000, nullable: true })
  pauseReason!: string | null;

  /** Wall-clock milliseconds of the pauses that ended. */
  @Column({ name: 'paused_ms', type: 'bigint', transformer: msTransformer })
  pausedMs!: number;

  /** Working-time milliseconds (business calendar) of the pauses that ended. */
  @Column({ name: 'paused_working_ms', type: 'bigint', transformer: msTransformer })
  pausedWorkingMs!: number;

  @Column({ type: 'integer' })
  pauses!: number;
}
