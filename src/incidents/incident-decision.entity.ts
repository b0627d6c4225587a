import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { jsonTransformer, TIMESTAMP } from '../database/column-types';
import type { StoredDecision } from './incident.types';

/**
 * One decision of an incident whose facts were amended: seq 1 is the decision at the report,
 * then one per amendment, each with the facts it was made on. An incident never amended has no
 * rows: its only decision is the incident's own.
 */
@Entity('incident_decisions')
@Index('uq_incident_decisions_seq', ['incidentId', 'seq'], { unique: true })
export class IncidentDecisionEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'incident_id', type: 'integer' })
  incidentId!: number;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ name: 'decided_at', ...TIMESTAMP })
  decidedAt!: Date;

  /** REPORTED | AMENDED */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ type: 'varchar', length: 128 })
  actor!: string;

  /** Why the facts changed (AMENDED). */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ name: 'rule_set_version', type: 'varchar', length: 96 })
  ruleSetVersion!: string;

  @Column({ type: 'text', transformer: jsonTransformer })
  decision!: StoredDecision;
}
