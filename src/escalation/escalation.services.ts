import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config';
import type { Clock } from '../common/clock';
import type { ReadDb } from '../database/read-db';
import type { Transactions } from '../database/transaction';
import type { IncidentReader } from '../incidents/incident.reader';
import type { RuleSetService } from '../rulesets/rule-set.service';
import type { WebhookOutbox } from '../webhooks/webhook-outbox';
import type { TriageEventBus } from '../events/triage-events';
import { ActionComplianceService } from './action-compliance.service';
import { BreachReader } from './breach.reader';
import { EscalationScheduler, EscalationTickResult } from './escalation.scheduler';
import { IncidentClockService } from './incident-clock.service';

/** Deadlines that act: clocks, the scheduler, breaches, action compliance. */
export interface EscalationServices {
  clocks: IncidentClockService;
  scheduler: EscalationScheduler;
  breaches: BreachReader;
  compliance: ActionComplianceService;
  /** One scheduler pass now (tests, and `ESCALATION_INTERVAL_MS=0` deployments that drive it). */
  tick(): Promise<EscalationTickResult>;
}

export function createEscalationServices(
  config: AppConfig,
  ds: DataSource,
  reads: ReadDb,
  tx: Transactions,
  clock: Clock,
  log: Logger,
  ruleSets: RuleSetService,
  incidentReader: IncidentReader,
  outbox: WebhookOutbox,
  events: TriageEventBus,
): EscalationServices {
  const scheduler = new EscalationScheduler(
    ds,
    tx,
    ruleSets,
    outbox,
    clock,
    log,
    config.escalation.intervalMs,
    config.escalation.lookbackHours * 3_600_000,
    undefined,
    events,
  );
  return {
    clocks: new IncidentClockService(ds, tx, ruleSets, incidentReader, clock, events),
    scheduler,
    breaches: new BreachReader(ds, config.maxPageSize, reads),
    compliance: new ActionComplianceService(ds, reads, ruleSets, clock),
    tick: () => scheduler.tick(),
  };
}
