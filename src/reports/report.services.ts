import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock';
import type { IncidentReader } from '../incidents/incident.reader';
import type { RefundReader } from '../refunds/refund.reader';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { MonthlyReportService } from './monthly-report.service';
import { RefundAggregateService } from './refund-aggregate.service';
import { ShiftHandoverService } from './shift-handover.service';

/** The report services (POLICY.md §7), read-only; the rollup they read is kept by RefundRollupStore. */
export interface ReportServices {
  aggregates: RefundAggregateService;
  monthly: MonthlyReportService;
  handover: ShiftHandoverService;
}

export function createReportServices(ds: DataSource, rules: RuleSetService, clock: Clock, incidents: IncidentReader, refunds: RefundReader): ReportServices {
  return {
    aggregates: new RefundAggregateService(ds, rules, clock),
    monthly: new MonthlyReportService(ds, rules),
    handover: new ShiftHandoverService(ds, rules, clock, incidents, refunds),
  };
}
