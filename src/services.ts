import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config';
import type { Clock } from './common/clock';
import { Transactions } from './database/transaction';
import { ApiKeyService } from './auth/api-key.service';
import { RuleSetService } from './rulesets/rule-set.service';
import { IncidentReader } from './incidents/incident.reader';
import { IncidentService } from './incidents/incident.service';
import { RefundReader } from './refunds/refund.reader';
import { RefundService } from './refunds/refund.service';
import { RefundRollupStore } from './reports/refund-rollup.store';
import { createReportServices, ReportServices } from './reports/report.services';
import { createRuleAdminServices, RuleAdminServices } from './rulesets/rule-admin.services';
import { Metrics } from './observability/metrics';

/** The composition root: every service, built once per process from the config. */
export interface Services {
  config: AppConfig;
  clock: Clock;
  ds: DataSource;
  tx: Transactions;
  log: Logger;
  apiKeys: ApiKeyService;
  ruleSets: RuleSetService;
  incidentReader: IncidentReader;
  incidents: IncidentService;
  refundReader: RefundReader;
  refunds: RefundService;
  reports: ReportServices;
  metrics: Metrics;
  ruleAdmin: RuleAdminServices;
}

export function createServices(config: AppConfig, ds: DataSource, clock: Clock, log: Logger): Services {
  const tx = new Transactions(ds);
  const ruleSets = new RuleSetService(ds, clock, config.rulesDir, log);
  const incidentReader = new IncidentReader(ds, config.maxPageSize);
  const incidents = new IncidentService(ds, tx, ruleSets, incidentReader, clock);
  const refundReader = new RefundReader(ds, config.maxPageSize);
  // The reports' monthly rollup is written in each refund write's own transaction.
  const refunds = new RefundService(ds, tx, ruleSets, refundReader, clock, [new RefundRollupStore(refundReader)]);
  const reports = createReportServices(ds, ruleSets, clock, incidentReader, refundReader);
  const metrics = new Metrics(ds, () => (ruleSets.isLoaded() ? ruleSets.current() : null));
  const ruleAdmin = createRuleAdminServices(config, ds, clock, log, ruleSets);
  return { config, clock, ds, tx, log, apiKeys: new ApiKeyService(ds, clock), ruleSets, incidentReader, incidents, refundReader, refunds, reports, metrics, ruleAdmin };
}
