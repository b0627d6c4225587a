import { Column, Entity, Index } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';
import { SlaSubjectColumns } from './sla-subject.columns';

/** An `sla.warning` given, once per clock: same key as a breach. */
@Entity('sla_warnings')
@Index('uq_sla_warnings_subject', ['subjectType', 'subjectId', 'kind'], { unique: true })
export class SlaWarningEntity extends SlaSubjectColumns {
  @Column({ name: 'warned_at', ...TIMESTAMP })
  warnedAt!: Date;
}
