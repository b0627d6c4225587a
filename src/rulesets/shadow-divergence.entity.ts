import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { jsonTransformer, TIMESTAMP } from '../database/column-types';
import type { DecisionSummary } from './decision-diff';

/** A live decision the shadow rule pack would have made differently. */
@Entity('rule_shadow_divergences')
@Index('ix_rule_shadow_divergences_version', ['shadowVersion', 'id'])
export class ShadowDivergenceEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'incident_id', type: 'integer' })
  incidentId!: number;

  @Column({ name: 'shadow_version', type: 'varchar', length: 96 })
  shadowVersion!: string;

  @Column({ name: 'live_version', type: 'varchar', length: 96 })
  liveVersion!: string;

  /** The DecisionFields that differ, comma-separated (SEVERITY,POLICE). */
  @Column({ type: 'varchar', length: 128 })
  fields!: string;

  /** The live decision, summarised. */
  @Column({ type: 'text', transformer: jsonTransformer })
  live!: DecisionSummary;

  /** What the shadow pack decided, summarised. */
  @Column({ type: 'text', transformer: jsonTransformer })
  shadow!: DecisionSummary;

  @Column({ name: 'detected_at', ...TIMESTAMP })
  detectedAt!: Date;
}
