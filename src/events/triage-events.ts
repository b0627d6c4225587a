import type { ReadTarget } from '../database/read-db';
import type { EscalationTickResult } from '../escalation/escalation.scheduler';
import type { Amendment } from '../incidents/incident-amend.service';
import type { IncidentEntity } from '../incidents/incident.entity';
import type { IncidentView } from '../incidents/incident.reader';
import type { RefundView } from '../refunds/refund.reader';
import type { Decision } from '../rules/types';
import type { ActiveRuleSet } from '../rulesets/rule-set.service';
import type { DeliveryOutcome } from '../webhooks/webhook-delivery.worker';
import type { OutboxEvent } from '../webhooks/webhook-events';
import type { EventBus } from './event-bus';

/**
 * Events published inside the transaction of the write they describe (`EventBus.publish(em, …)`):
 * in-transaction handlers write with it, after-commit handlers hear of it once it committed.
 */
export interface TransactionEvents {
  /** A new incident with its actions, just inserted (raw path: Transactions.runRaw), with the decision as the pack made it. */
  incidentReported: { view: IncidentView; decision: Decision };
  /** A status change about to pass the incident's version gate (its row not written yet). */
  incidentStatusChanged: { incident: IncidentEntity; from: string; to: string; at: Date; note: string | null; actor: string };
  /**
   * The incident's row was just updated (status, deadlines, severity, owner, satisfaction…):
   * `before` as read in the transaction, `after` as written. Every write that changes an
   * incident's row publishes it, whoever makes the change.
   */
  incidentChanged: { before: IncidentEntity; after: IncidentEntity };
  /** An amendment, its row written; `incident` as it is now (new severity, decision, version). */
  incidentAmended: { incident: IncidentEntity; amendment: Amendment };
  /** A breach of one of the incident's deadlines, just recorded (the escalation scheduler). */
  breachRecorded: { incidentId: number };
  /**
   * Any refund write, its rows written: `before` as the write found it, null for a new request;
   * `after` as it now is (read once by the writer, after its writes; every handler reads it, none changes the refund).
   */
  refundWritten: { before: RefundView | null; after: RefundView };
  /** A remedy moved (STARTED, ADVANCED, …): `kind` is the remedy's kind (退货, 赔偿…). */
  remedyTransitioned: { transition: string; kind: string };
  /** An event just written to the webhook outbox. */
  outboxEventAdded: OutboxEvent;
}

/** Events that happen outside any transaction (`EventBus.emit`): timings, outcomes, pack swaps. */
export interface ProcessEvents {
  /**
   * One evaluation of the incident rules (reportIncident, evaluateIncident), dynamic facts
   * included; `started`/`ended` are `performance.now()` readings. `decision` is null when the
   * rules failed (`error`).
   */
  decisionEvaluated: { decision: Decision | null; error: unknown; started: number; ended: number };
  /** One refund approval chain computed by the rules; `steps` is null when it failed (`error`). */
  refundChainEvaluated: { version: string; category: string; steps: number | null; error: unknown; started: number; ended: number };
  /** A pack became active (start, reload, SIGHUP). */
  ruleSetActivated: ActiveRuleSet;
  /** A reload made a pack active (not at startup); handlers run before reload() returns. */
  ruleSetReloaded: { active: ActiveRuleSet; loadedBy: string };
  /** What one escalation pass did. */
  escalationTicked: EscalationTickResult;
  /** The outcome of one webhook delivery attempt. */
  webhookAttempted: DeliveryOutcome;
  /** One read through ReadDb, by where it ran. */
  databaseRead: ReadTarget;
}

/** Triage's bus: every subscription is wired in services.ts. */
export type TriageEventBus = EventBus<TransactionEvents, ProcessEvents>;

/**
 * The order of in-transaction handlers where it matters: lower first. The outbox first, since
 * an event locks the incident row before the rollups lock theirs (one lock order for every
 * writer); the rollups last, as their rows are the hottest.
 */
export const HANDLER_ORDER = {
  webhookOutbox: 100,
  actionSettlement: 200,
  remedySteps: 300,
  notifications: 400,
  rollups: 900,
} as const;
