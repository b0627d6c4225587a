import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config';
import type { Clock } from './common/clock';
import { Transactions } from './database/transaction';
import { EventBus } from './events/event-bus';
import { HANDLER_ORDER, TriageEventBus } from './events/triage-events';
import type { Tracing } from './observability/tracing';
import { traceRuleEvaluation } from './observability/tracing.rules';
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
  /** The one event bus: who publishes what, and in which phase, is in events/triage-events.ts; every subscription is below. */
  events: TriageEventBus;
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

export function createServices(
  config: AppConfig,
  ds: DataSource,
  clock: Clock,
  log: Logger,
  rulePack: RulePackOptions = {},
  /** Null when tracing is off: the rule evaluations get no spans. */
  tracing: Tracing | null = null,
): Services {
  const tx = new Transactions(ds);
  const events: TriageEventBus = new EventBus(tx, log);
  const reads = new ReadDb(ds, log, events);
  const ruleSets = new RuleSetService(ds, clock, config.rulesDir, log, rulePack, events);
  const incidentReader = new IncidentReader(ds, config.maxPageSize, reads);
  const refundReader = new RefundReader(ds, config.maxPageSize, reads);
  const webhooks = createWebhookServices(config, ds, tx, clock, log, events);
  const incidentRollups = new IncidentRollupStore();
  const incidents = new IncidentService(ds, tx, ruleSets, incidentReader, clock, events);
  const settlement = new ActionSettlement(incidents.actions);
  const remedyReader = new RemedyReader(ds);
  const refunds = new RefundService(ds, tx, ruleSets, refundReader, clock, events);
  const remedies = new RemedyService(ds, tx, ruleSets, remedyReader, clock, settlement, webhooks.outbox, events);
  const people = createPeopleServices(config, ds, tx, clock, log, ruleSets);
  // The webhooks' poller also delivers people's notifications.
  webhooks.worker.poller.queues.push(people.dispatcher);
  const escalation = createEscalationServices(config, ds, reads, tx, clock, log, ruleSets, incidentReader, webhooks.outbox, events);
  const drills = createDrillServices(ds, ruleSets, incidents, clock, log, escalation.scheduler);
  const reports = createReportServices(ds, tx, reads, ruleSets, clock, incidentReader, refundReader);
  const metrics = new Metrics(ds, () => (ruleSets.isLoaded() ? ruleSets.current() : null), reads);
  registerCalendarMetrics(metrics.registry, () => (ruleSets.isLoaded() ? ruleSets.current().engine.calendar : null), clock);
  const ruleAdmin = createRuleAdminServices(config, ds, reads, clock, log, ruleSets);
  const apiKeys = new ApiKeyService(ds, clock);
  apiKeys.resolveStaff = (headers, token, keyActor) => people.identity.resolve(headers, token, keyActor);

  // Every subscription to the event bus, by event. In a write's transaction, the webhook outbox
  // first (an event locks the incident row before the rollup rows: one lock order for every
  // writer), the rollups last (their rows are the hottest).
  const remedySteps = new RemedyRefundListener(remedies);
  const refundRollups = new RefundRollupStore();
  events.inTransaction('incidentReported', HANDLER_ORDER.webhookOutbox, (em, e) => webhooks.events.incidentReported(em, e.view));
  events.inTransaction('incidentReported', HANDLER_ORDER.rollups, (em, e) => incidentRollups.incidentReported(em, e.view));
  events.afterCommit('incidentReported', ({ view, decision }) => {
    const { id: incidentId, customerId, reportedAt } = view.entity;
    ruleAdmin.shadow.observe({ incidentId, customerId, reportedAt, decision }); // returns at once
    metrics.decisions.inc({ severity: decision.severity, category: decision.facts?.category ?? 'unknown' });
    if (!decision.fallback) return;
    const { failure, facts, ruleSetVersion } = decision;
    metrics.decisionFallbacks.inc();
    log.error(
      { incidentId, rule: failure?.rule, file: failure?.file, error: failure?.message, ruleSetVersion, input: facts },
      "the rules failed on a report: stored with the pack's fallback decision",
    );
  });
  events.inTransaction('incidentStatusChanged', HANDLER_ORDER.webhookOutbox, (em, e) => webhooks.events.statusChanged(em, e.incident, e));
  events.inTransaction('incidentAmended', HANDLER_ORDER.webhookOutbox, (em, e) => webhooks.events.incidentAmended(em, e.incident, e.amendment));
  events.inTransaction('incidentChanged', HANDLER_ORDER.rollups, (em, e) => incidentRollups.incidentChanged(em, e.before, e.after));
  events.inTransaction('breachRecorded', HANDLER_ORDER.rollups, (em, e) => incidentRollups.breachRecorded(em, e.incidentId));
  // A refund write settles the incident's actions it fulfils (REFUND_REQUEST, REFUND) and a
  // request does the REFUND_REQUESTED step of the incident's remedies (退货, 赔偿), in its transaction.
  events.inTransaction('refundWritten', HANDLER_ORDER.webhookOutbox, (em, e) => webhooks.events.refundWritten(em, e.before, e.after));
  events.inTransaction('refundWritten', HANDLER_ORDER.actionSettlement, (em, e) => settlement.refundWritten(em, e.before, e.after));
  events.inTransaction('refundWritten', HANDLER_ORDER.remedySteps, (em, e) => remedySteps.refundWritten(em, e.before, e.after));
  events.inTransaction('refundWritten', HANDLER_ORDER.rollups, (em, e) => refundRollups.refundWritten(em, e.before, e.after));
  // People are told in the transaction of what they are told about; the webhook worker's poll delivers it.
  events.inTransaction('outboxEventAdded', HANDLER_ORDER.notifications, (em, e) => people.notifications.onOutboxEvent(em, e));
  events.afterCommit('remedyTransitioned', ({ transition, kind }) => metrics.remedyTransitions.inc({ kind, transition }));
  events.on('ruleSetReloaded', ({ active, loadedBy }) => webhooks.events.rulesReloaded(active, loadedBy)); // awaited by reload()
  events.on('ruleSetActivated', (active) => ruleAdmin.shadow.activated(active));
  events.on('decisionEvaluated', ({ decision, started, ended }) => {
    if (decision) metrics.ruleEvaluation.observe((ended - started) / 1000);
  });
  events.on('databaseRead', (target) => metrics.readReplica.inc({ target }));
  events.on('escalationTicked', (r) => {
    metrics.slaEvents.inc({ event: 'warning' }, r.warnings);
    metrics.slaEvents.inc({ event: 'breach' }, r.breaches);
    metrics.slaEvents.inc({ event: 'escalation' }, r.escalations);
    metrics.slaEvents.inc({ event: 'settled' }, r.settled);
  });
  events.on('webhookAttempted', (outcome) => metrics.webhookAttempts.inc({ outcome }));
  if (tracing) traceRuleEvaluation(tracing, events);
  return {
    config,
    clock,
    ds,
    tx,
    events,
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
