import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { jsonTransformer, TIMESTAMP } from '../database/column-types';

/** A rule pack version that was loaded, with who loaded it and its files (for diffs and backtests). */
@Entity('rule_set_versions')
export class RuleSetVersionEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 96 })
  version!: string;

  @Column({ type: 'varchar', length: 64 })
  checksum!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  label!: string | null;

  @Column({ name: 'rule_count', type: 'integer' })
  ruleCount!: number;

  @Column({ name: 'loaded_at', ...TIMESTAMP })
  loadedAt!: Date;

  @Column({ name: 'loaded_by', type: 'varchar', length: 128 })
  loadedBy!: string;

  /** Relative path → file content, as loaded. */
  @Column({ type: 'text', transformer: jsonTransformer })
  files!: Record<string, string>;
}
