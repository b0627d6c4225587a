import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/**
 * One monthly refund table (客服 or 财务退单统计表) as a document to file (the policy): OPEN,
 * then REVIEWED (部门主管审核: `content` holds the table as filed, `checksum` its sha256; never
 * written again), then ARCHIVED (行政人事部). Its deadline runs from `startAt` (the end of the
 * month) to `dueAt` (the end of the due date) until ARCHIVED.
 */
@Entity('report_filings')
@Index('uq_report_filings_month', ['month', 'tableName'], { unique: true })
export class ReportFilingEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** YYYY-MM, business time zone. */
  @Column({ type: 'varchar', length: 7 })
  month!: string;

  /** CUSTOMER_SERVICE | FINANCE */
  @Column({ name: 'table_name', type: 'varchar', length: 16 })
  tableName!: string;

  /** OPEN | REVIEWED | ARCHIVED */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'start_at', ...TIMESTAMP })
  startAt!: Date;

  @Column({ name: 'due_at', ...TIMESTAMP })
  dueAt!: Date;

  /** The table as filed (canonical JSON, see report-filing.content.ts); null until REVIEWED. */
  @Column({ type: 'text', nullable: true })
  content!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  checksum!: string | null;

  @Column({ name: 'filed_at', ...TIMESTAMP, nullable: true })
  filedAt!: Date | null;
}

/** A signature on a filed table: REVIEWED or ARCHIVED, once each (unique key). */
@Entity('report_sign_offs')
@Index('uq_report_sign_offs_stage', ['filingId', 'stage'], { unique: true })
export class ReportSignOffEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'filing_id', type: 'integer' })
  filingId!: number;

  @Column({ type: 'varchar', length: 7 })
  month!: string;

  @Column({ name: 'table_name', type: 'varchar', length: 16 })
  tableName!: string;

  /** REVIEWED | ARCHIVED */
  @Column({ type: 'varchar', length: 16 })
  stage!: string;

  @Column({ type: 'varchar', length: 128 })
  actor!: string;

  @Column({ ...TIMESTAMP })
  at!: Date;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  /** The sha256 of the table as filed, as it stood at this signature. */
  @Column({ type: 'varchar', length: 64 })
  checksum!: string;
}
