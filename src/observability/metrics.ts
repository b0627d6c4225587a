import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { primaryPoolConnections } from '../database/driver-internals';
import { rawParams } from '../database/raw-params';
import * as M from './metrics.statements';
import type { ReadDb } from '../database/read-db';

const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Prometheus metrics (prom-client), one registry per app so tests can run several apps in one
 * process. Counters move on the hot path; database-backed gauges are read on scrape.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'triage_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'triage_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['route'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly operations = new Counter({
    name: 'triage_graphql_operations_total',
    help: 'GraphQL operations by name, type and outcome (OK or the first error code)',
    labelNames: ['operation', 'type', 'outcome'],
    registers: [this.registry],
  });
  readonly operationDuration = new Histogram({
    name: 'triage_graphql_operation_duration_seconds',
    help: 'GraphQL operation duration by name and outcome',
    labelNames: ['operation', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly decisions = new Counter({
    name: 'triage_decisions_total',
    help: 'Decisions stored, by severity and category',
    labelNames: ['severity', 'category'],
    registers: [this.registry],
  });
  readonly decisionFallbacks = new Counter({
    name: 'triage_decision_fallbacks_total',
    help: "Reports the rules failed on, stored with the rule pack's fallback decision",
    registers: [this.registry],
  });
  readonly ruleEvaluation = new Histogram({
    name: 'triage_rule_evaluation_seconds',
    help: 'Time to decide one incident with the rule pack (dynamic facts included)',
    buckets: [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
    registers: [this.registry],
  });
  readonly readReplica = new Counter({
    name: 'triage_db_queries_total',
    help: 'Read-only work (reports, aggregates, backtests, list pages, these row counts) by the database that answered it: replica, or primary (no replicas, or a replica unreachable)',
    labelNames: ['target'],
    registers: [this.registry],
  });

  readonly slaEvents = new Counter({
    name: 'triage_sla_events_total',
    help: 'What the escalation scheduler of this process did: warnings sent, deadlines breached, breaches escalated a level, breaches settled',
    labelNames: ['event'],
    registers: [this.registry],
  });
  readonly remedyTransitions = new Counter({
    name: 'triage_remedy_transitions_total',
    help: 'Remedy moves made by this process, by remedy kind and transition (STARTED, ADVANCED, COMPLETED, CANCELLED)',
    labelNames: ['kind', 'transition'],
    registers: [this.registry],
  });
  readonly webhookAttempts = new Counter({
    name: 'triage_webhook_attempts_total',
    help: 'Webhook delivery attempts of this process by outcome (delivered, failed: retried later, dead: given up after 24 h, released: handed back on shutdown)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  /** The text a scrape gets: this registry's, or in a WORKERS=n worker every worker's (metrics.cluster.ts). */
  exposition: () => Promise<string> = () => this.registry.metrics();

  /** `reads`: the row counts read on scrape may trail the primary by the replication lag (read-db.ts). */
  constructor(ds: DataSource, activePack: () => { version: string; checksum: string } | null, reads: ReadDb) {
    collectDefaultMetrics({ register: this.registry, prefix: 'triage_' });
    new Gauge({
      name: 'triage_rule_pack_info',
      help: 'The active rule pack, labelled with its version and checksum; the value is the number of processes running it (1, or each worker of WORKERS=n)',
      labelNames: ['version', 'checksum'],
      registers: [this.registry],
      collect() {
        this.reset();
        const pack = activePack();
        if (pack) this.set({ version: pack.version, checksum: pack.checksum }, 1);
      },
    });
    new Gauge({
      name: 'triage_db_pool_connections',
      help: 'Database pool connections of the primary by state (MySQL)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const p = primaryPoolConnections(ds);
        if (!p) return;
        this.set({ state: 'open' }, p.open);
        this.set({ state: 'idle' }, p.idle);
        this.set({ state: 'waiting' }, p.waiting);
      },
    });
    // Row counts read from the database on scrape: the same in every worker, so under
    // WORKERS=n the aggregate takes one worker's ('first') instead of summing them.
    const rowCount = (name: string, help: string, sql: string, params: () => unknown[]) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        aggregator: 'first',
        async collect() {
          const rows = await reads.query<{ n: number | string }>(sql, rawParams(ds, params())).catch(() => []);
          this.set(Number(rows[0]?.n ?? 0));
        },
      });
    const byStatus = (name: string, help: string, sql: string, params: unknown[], statuses: readonly string[] = []) =>
      new Gauge({
        name,
        help,
        labelNames: ['status'],
        registers: [this.registry],
        aggregator: 'first',
        async collect() {
          const rows = await reads.query<{ status: string; n: number | string }>(sql, rawParams(ds, params)).catch(() => []);
          this.reset();
          for (const status of statuses) this.set({ status }, 0);
          for (const r of rows) this.set({ status: r.status }, Number(r.n));
        },
      });
    byStatus('triage_refunds', 'Refunds by status (drills excluded)', M.REFUNDS_BY_STATUS, [false]);
    byStatus(
      'triage_webhook_deliveries',
      'Webhook deliveries by status (all instances: read from the database)',
      M.DELIVERIES_BY_STATUS,
      [],
      ['PENDING', 'DELIVERING', 'DELIVERED', 'DEAD'],
    );
    rowCount('triage_refund_steps_overdue', 'Refund steps pending past their due time', M.REFUND_STEPS_OVERDUE, () => [new Date(), false]);
    byStatus(
      'triage_remedies',
      'After-sales remedies (货物售后) by status (drills excluded)',
      M.REMEDIES_BY_STATUS,
      [false],
      ['IN_PROGRESS', 'COMPLETED', 'CANCELLED'],
    );
    rowCount('triage_remedy_steps_overdue', 'Remedy steps pending past their due time (drills excluded)', M.REMEDY_STEPS_OVERDUE, () => [new Date(), false]);
    rowCount('triage_webhook_outbox_backlog', 'Webhook events not yet fanned out to their subscriptions', M.OUTBOX_BACKLOG, () => [false]);
    rowCount('triage_sla_breaches_open', 'Breached deadlines not settled yet (drills excluded)', M.BREACHES_OPEN, () => [false]);
    rowCount('triage_incident_actions_overdue', 'Required actions not done past their due time (drills excluded)', M.ACTIONS_OVERDUE, () => [
      false,
      new Date(),
      false,
    ]);
  }
}
