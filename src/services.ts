import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config';
import type { Clock } from './common/clock';
import { Transactions } from './database/transaction';
import { ReadDb } from './database/read-db';
import { ApiKeyService } from './auth/api-key.service';
import { RuleSetService } from './rulesets/rule-set.service';
import { IncidentReader } from './incidents/incident.reader';
import { IncidentService } from './incidents/incident.service';
import { ActionSettlement } from './incidents/action-settlement';
import { RefundReader } from './refunds/refund.reader';
import { RefundService } from './refunds/refund.service';
import { RefundRollupStore } from './reports/refund-rollup.store';
import { RemedyReader } from './remedies/remedy.reader';
import { RemedyService } from './remedies/remedy.service';
import { RemedyRefundListener } from './remedies/remedy-refund.listener';
import { IncidentRollupStore } from './reports/incident-rollup.store';
import { createReportServices, ReportServices } from './reports/report.services';
import { createRuleAdminServices, RuleAdminServices } from './rulesets/rule-admin.services';
import { Metrics } from './observability/metrics';
import { registerCalendarMetrics } from './observability/calendar.metrics';
import { createEscalationServices, EscalationServices } from './escalation/escalation.services';
import { createWebhookServices, WebhookServices } from './webhooks/webhook.services';
import type { RulePackOptions } from './rules/rule-pack.loader';
import { createPeopleServices, PeopleServices } from './people/people.services';
import { createDrillServices, DrillServices } from './drills/drill.services';

/** The composition root: every service, built once per process from the config. */
export interface Services {
  config: AppConfig;
  clock: Clock;
  ds: DataSource;
  tx: Transactions;
  /** Read-only work that may run on a read replica (reports, lists, backtests). */
  reads: ReadDb;
  log: Logger;
  apiKeys: ApiKeyService;
  ruleSets: RuleSetService;
  incidentReader: IncidentReader;
  incidents: IncidentService;
  refundReader: RefundReader;
  refunds: RefundService;
  remedyReader: RemedyReader;
  /** After-sales remedies (货物售后). */
  remedies: RemedyService;
  reports: ReportServices;
  metrics: Metrics;
  ruleAdmin: RuleAdminServices;
  escalation: EscalationServices;
  webhooks: WebhookServices;
  /** Staff directory, contacts, on-call, notifications. */
  people: PeopleServices;
  /** Drills (预案演练): runs of the pack's scenarios, injected by the escalation pass. */
  drills: DrillServices;
}

export function createServices(config: AppConfig, ds: DataSource, clock: Clock, log: Logger, rulePack: RulePackOptions = {}): Services {
  const tx = new Transactions(ds);
  const reads = new ReadDb(ds, log);
  const ruleSets = new RuleSetService(ds, clock, config.rulesDir, log, rulePack);
  const incidentReader = new IncidentReader(ds, config.maxPageSize, reads);
  const refundReader = new RefundReader(ds, config.maxPageSize, reads);
  // Webhook events and the reports' monthly rollup are written in each write's own transaction
  // (events first: they lock the incident row before the rollup rows, as a refund request does).
  const webhooks = createWebhookServices(config, ds, tx, clock, log, refundReader);
  ruleSets.onReloaded = (active, loadedBy) => webhooks.events.rulesReloaded(active, loadedBy);
  // The statistics' rollup last in each incident write, after the events: its rows are the hottest.
  const incidentRollups = new IncidentRollupStore();
  const incidents = new IncidentService(ds, tx, ruleSets, incidentReader, clock, [webhooks.events, incidentRollups]);
  // Refund work settles the incident's actions it fulfils (REFUND, REFUND_REQUEST) in the same transaction.
  const settlement = new ActionSettlement(incidents.actions, refundReader);
  const remedyReader = new RemedyReader(ds);
  // A refund request also does the REFUND_REQUESTED step of the incident's remedies (退货, 赔偿).
  const refunds = new RefundService(ds, tx, ruleSets, refundReader, clock, [
    webhooks.events,
    settlement,
    new RemedyRefundListener(() => remedies, refundReader),
    new RefundRollupStore(refundReader),
  ]);
  const remedies = new RemedyService(ds, tx, ruleSets, remedyReader, clock, settlement, webhooks.outbox);
  const people = createPeopleServices(config, ds, tx, clock, log, ruleSets);
  // People are told in the transaction of what they are told about; the webhooks' poller delivers it.
  webhooks.outbox.observers.push((em, e) => people.notifications.onOutboxEvent(em, e));
  webhooks.worker.poller.queues.push(people.dispatcher);
  const escalation = createEscalationServices(config, ds, reads, tx, clock, log, ruleSets, incidentReader, webhooks.outbox, incidentRollups);
  const drills = createDrillServices(ds, ruleSets, incidents, clock, log, escalation.scheduler);
  const reports = createReportServices(ds, tx, reads, ruleSets, clock, incidentReader, refundReader);
  const metrics = new Metrics(ds, () => (ruleSets.isLoaded() ? ruleSets.current() : null), reads);
  registerCalendarMetrics(metrics.registry, () => (ruleSets.isLoaded() ? ruleSets.current().engine.calendar : null), clock);
  const ruleAdmin = createRuleAdminServices(config, ds, reads, clock, log, ruleSets);
  incidents.onDecisionTime = (seconds) => metrics.ruleEvaluation.observe(seconds);
  incidents.onDecisionFallback = ({ failure, facts, ruleSetVersion }, incidentId) => {
    metrics.decisionFallbacks.inc();
    log.error(
      { incidentId, rule: failure?.rule, file: failure?.file, error: failure?.message, ruleSetVersion, input: facts },
      "the rules failed on a report: stored with the pack's fallback decision",
    );
  };
  reads.onRead = (target) => metrics.readReplica.inc({ target });
  escalation.scheduler.onTick = (r) => {
    metrics.slaEvents.inc({ event: 'warning' }, r.warnings);
    metrics.slaEvents.inc({ event: 'breach' }, r.breaches);
    metrics.slaEvents.inc({ event: 'escalation' }, r.escalations);
    metrics.slaEvents.inc({ event: 'settled' }, r.settled);
  };
  remedies.onTransition = (transition, kind) => metrics.remedyTransitions.inc({ kind, transition });
  webhooks.worker.onOutcome = (outcome) => metrics.webhookAttempts.inc({ outcome });
  ruleSets.onDecided(({ decision }) => metrics.decisions.inc({ severity: decision.severity, category: decision.facts?.category ?? 'unknown' }));
  const apiKeys = new ApiKeyService(ds, clock);
  apiKeys.resolveStaff = (headers, token, keyActor) => people.identity.resolve(headers, token, keyActor);
  return {
    config,
    clock,
    ds,
    tx,
    reads,
    log,
    apiKeys,
    ruleSets,
    incidentReader,
    incidents,
    refundReader,
    refunds,
    remedyReader,
    remedies,
    reports,
    metrics,
    ruleAdmin,
    escalation,
    webhooks,
    people,
    drills,
  };
}
