import type { DataSource } from 'typeorm';
import type { ReadDb } from '../database/read-db';
import type { Clock } from '../common/clock';
import type { IncidentReader } from '../incidents/incident.reader';
import type { RefundReader } from '../refunds/refund.reader';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { MonthlyReportService } from './monthly-report.service';
import { RefundAggregateService } from './refund-aggregate.service';
import { IncidentAggregateService } from './incident-aggregate.service';
import { RefundStageService } from './refund-stages.service';
import { ShiftHandoverService } from './shift-handover.service';
import type { Transactions } from '../database/transaction';
import { ReportFilingService } from './report-filing.service';
import { ShiftHandoverRecordService } from './shift-handover-record.service';

/**
 * The report services, read-only, on a read replica when there are some (`reads`);
 * the rollup they read is kept by RefundRollupStore.
 */
export interface ReportServices {
  aggregates: RefundAggregateService;
  /** Complaint statistics (客诉统计分析). */
  incidentAggregates: IncidentAggregateService;
  stages: RefundStageService;
  monthly: MonthlyReportService;
  handover: ShiftHandoverService;
  /** Filed documents: the monthly tables signed off, the handover records. */
  filing: ReportFilingService;
  handoverRecords: ShiftHandoverRecordService;
}

export function createReportServices(
  ds: DataSource,
  tx: Transactions,
  reads: ReadDb,
  rules: RuleSetService,
  clock: Clock,
  incidents: IncidentReader,
  refunds: RefundReader,
): ReportServices {
  const monthly = new MonthlyReportService(ds, reads, rules, clock);
  const handover = new ShiftHandoverService(reads, rules, clock, incidents, refunds);
  return {
    aggregates: new RefundAggregateService(ds, reads, rules, clock),
    incidentAggregates: new IncidentAggregateService(ds, reads, rules),
    stages: new RefundStageService(reads, rules, clock),
    monthly,
    handover,
    filing: new ReportFilingService(tx, rules, clock, monthly),
    handoverRecords: new ShiftHandoverRecordService(ds, tx, reads, rules, clock, handover),
  };
}
