import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { boolTransformer, jsonTransformer, TIMESTAMP } from '../database/column-types';

/**
 * A 工作交接单 as handed over (the policy): what the outgoing person recorded, and the
 * handover computed at that moment (`handover`, JSON, with its sha256 `checksum`). Never
 * changed afterwards; only the acknowledgement by the person it was handed to is added, once.
 */
@Entity('shift_handover_records')
@Index('ix_shift_handover_records_at', ['handedOverAt', 'id'])
export class ShiftHandoverRecordEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** DAY (白班) | MIDDLE (中班) | NIGHT (夜班) */
  @Column({ type: 'varchar', length: 8 })
  shift!: string;

  @Column({ name: 'window_from', ...TIMESTAMP })
  windowFrom!: Date;

  @Column({ name: 'window_to', ...TIMESTAMP })
  windowTo!: Date;

  /** 交接人 */
  @Column({ name: 'handed_over_by', type: 'varchar', length: 128 })
  handedOverBy!: string;

  /** 接交人 */
  @Column({ name: 'handed_over_to', type: 'varchar', length: 128 })
  handedOverTo!: string;

  @Column({ name: 'handed_over_at', ...TIMESTAMP })
  handedOverAt!: Date;

  /** When not acknowledged by then, the CS_LEAD on duty is warned. */
  @Column({ name: 'acknowledge_by', ...TIMESTAMP })
  acknowledgeBy!: Date;

  @Column({ name: 'acknowledged_at', ...TIMESTAMP, nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'acknowledge_note', type: 'varchar', length: 2000, nullable: true })
  acknowledgeNote!: string | null;

  /** 应到 */
  @Column({ type: 'integer' })
  expected!: number;

  /** 实到 */
  @Column({ type: 'integer' })
  present!: number;

  /** 迟到 */
  @Column({ type: 'integer' })
  late!: number;

  /** 早退 */
  @Column({ name: 'left_early', type: 'integer' })
  leftEarly!: number;

  /** 旷工 */
  @Column({ type: 'integer' })
  absent!: number;

  /** 完成工作明细, one line each. */
  @Column({ name: 'completed_work', type: 'text', transformer: jsonTransformer })
  completedWork!: string[];

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  /** 卫生是否打扫 */
  @Column({ name: 'cleaning_done', type: 'boolean', transformer: boolTransformer })
  cleaningDone!: boolean;

  /** The handover as computed when handed over (shift-handover-record.content.ts). */
  @Column({ type: 'text' })
  handover!: string;

  /** sha256 of the record as handed over (form and handover). */
  @Column({ type: 'varchar', length: 64 })
  checksum!: string;
}
