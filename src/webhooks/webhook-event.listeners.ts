import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock';
import type { Transactions } from '../database/transaction';
import type { IncidentEntity } from '../incidents/incident.entity';
import type { IncidentView } from '../incidents/incident.reader';
import type { Amendment } from '../incidents/incident-amend.service';
import { formatFen } from '../money/money';
import type { RefundView } from '../refunds/refund.reader';
import type { ActiveRuleSet } from '../rulesets/rule-set.service';
import type { WebhookOutbox } from './webhook-outbox';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * Turns incident, refund and rule-pack changes into outbox events, in the transaction of the
 * change: handlers of the bus's events, subscribed first in each write (services.ts). Payloads
 * carry ids, codes and times, never the customer's phone.
 */
export class WebhookEventListeners {
  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async incidentReported(em: EntityManager, view: IncidentView): Promise<void> {
    const e = view.entity;
    await this.outbox.add(
      em,
      {
        type: 'incident.reported',
        incidentId: e.id,
        source: e.source,
        at: e.reportedAt,
        data: {
          incidentId: String(e.id),
          source: e.source,
          externalRef: e.externalRef,
          category: e.category,
          subtype: e.subtype,
          status: e.status,
          severity: e.severity,
          ownerDepartment: e.ownerDepartment,
          notifyDepartments: e.decision.notifyDepartments,
          policeReportRequired: e.policeReportRequired,
          amount: e.amountFen === null ? null : formatFen(e.amountFen),
          reportedAt: iso(e.reportedAt),
          acknowledgeBy: iso(e.acknowledgeBy),
          resolveBy: iso(e.resolveBy),
          drill: e.drill,
          ruleSetVersion: e.ruleSetVersion,
          actions: view.actions.map((a) => ({ code: a.code, dueAt: iso(a.dueAt) })),
        },
      },
      { incidentLocked: true },
    ); // just inserted: no other transaction can see it yet
    if (e.decision.fallback) {
      // The rules failed on it and the pack's fallback decided: ops must look at the pack.
      await this.outbox.add(
        em,
        {
          type: 'incident.decision_failed',
          incidentId: e.id,
          source: e.source,
          at: e.reportedAt,
          data: {
            incidentId: String(e.id),
            source: e.source,
            externalRef: e.externalRef,
            category: e.category,
            subtype: e.subtype,
            ruleSetVersion: e.ruleSetVersion,
            rule: e.decision.failure?.rule ?? null,
            file: e.decision.failure?.file ?? null,
            error: e.decision.failure?.message ?? null,
            severity: e.severity,
            ownerDepartment: e.ownerDepartment,
            notifyDepartments: e.decision.notifyDepartments,
            reportedAt: iso(e.reportedAt),
            drill: e.drill,
          },
        },
        { incidentLocked: true },
      );
    }
  }

  async statusChanged(
    em: EntityManager,
    incident: IncidentEntity,
    c: { from: string; to: string; at: Date; note: string | null; actor: string },
  ): Promise<void> {
    await this.outbox.add(
      em,
      {
        type: 'incident.status_changed',
        incidentId: incident.id,
        source: incident.source,
        at: c.at,
        data: {
          incidentId: String(incident.id),
          source: incident.source,
          externalRef: incident.externalRef,
          fromStatus: c.from,
          toStatus: c.to,
          version: incident.version + 1,
          note: c.note,
          actor: c.actor,
          changedAt: iso(c.at),
          drill: incident.drill,
        },
      },
      { incidentLocked: true },
    ); // a status change holds the incident row from its first read (IncidentService)
  }

  /** incident.amended: the old and new severity, who is told now, the actions added and withdrawn. */
  async incidentAmended(em: EntityManager, incident: IncidentEntity, a: Amendment): Promise<void> {
    const notify = incident.decision.notifyDepartments;
    await this.outbox.add(
      em,
      {
        type: 'incident.amended',
        incidentId: incident.id,
        source: incident.source,
        at: a.at,
        data: {
          incidentId: String(incident.id),
          source: incident.source,
          externalRef: incident.externalRef,
          version: incident.version,
          fromSeverity: a.fromSeverity,
          toSeverity: incident.severity,
          fromOwnerDepartment: a.fromOwnerDepartment,
          ownerDepartment: incident.ownerDepartment,
          notifyDepartments: notify,
          newlyNotified: notify.filter((d) => !a.fromNotifyDepartments.includes(d) && d !== a.fromOwnerDepartment),
          changed: a.changed,
          actionsAdded: [...a.added, ...a.reopened].map((x) => ({ code: x.code, dueAt: iso(x.dueAt) })),
          actionsWithdrawn: a.withdrawn,
          policeReportRequired: incident.policeReportRequired,
          acknowledgeBy: iso(incident.acknowledgeBy),
          resolveBy: iso(incident.resolveBy),
          note: a.note,
          actor: a.actor,
          amendedAt: iso(a.at),
          decision: a.seq,
          ruleSetVersion: incident.ruleSetVersion,
          drill: incident.drill,
        },
      },
      { incidentLocked: true },
    ); // the amendment holds the incident row from its first read
  }

  /** refund.step_decided for each step this write decided; refund.paid when it paid the refund. */
  async refundWritten(em: EntityManager, before: RefundView | null, after: RefundView): Promise<void> {
    if (!before) return; // a new request: no event of the list
    const r = after.entity;
    const base = { refundId: String(r.id), refundNo: r.refundNo, incidentId: String(r.incidentId), source: r.source, drill: r.drill };
    const was = new Map(before.steps.map((s) => [s.id, s.status]));
    for (const s of after.steps) {
      if (was.get(s.id) !== 'PENDING' || (s.status !== 'APPROVED' && s.status !== 'RETURNED')) continue;
      await this.outbox.add(
        em,
        {
          type: 'refund.step_decided',
          incidentId: r.incidentId,
          source: r.source,
          at: s.decidedAt ?? r.updatedAt,
          // Object.assign, not a leading spread: V8 (Node 20) adds each key written after one slowly (microseconds each).
          data: Object.assign({}, base, {
            step: s.step,
            attempt: s.attempt,
            decision: s.status === 'APPROVED' ? 'APPROVE' : 'RETURN',
            actor: s.actor,
            comment: s.comment,
            decidedAt: iso(s.decidedAt),
            dueAt: iso(s.dueAt),
            late: !!s.decidedAt && !!s.dueAt && s.decidedAt > s.dueAt,
            refundStatus: r.status,
            currentStep: r.currentStep,
          }),
        },
        { incidentLocked: true }, // a refund write holds its incident's row from its first statement (the one lock order)
      );
    }
    // A drill's simulated payout (the pack's simulatedInDrills) never tells the money side it paid.
    if (!before.entity.paidAt && r.paidAt && !r.drill) {
      await this.outbox.add(
        em,
        {
          type: 'refund.paid',
          incidentId: r.incidentId,
          source: r.source,
          at: r.paidAt,
          data: Object.assign({}, base, { amount: formatFen(r.amountFen), method: r.method, paidAt: iso(r.paidAt) }),
        },
        { incidentLocked: true },
      );
    }
  }

  /** rules.reloaded, in a transaction of its own right after the pack became active. */
  async rulesReloaded(active: ActiveRuleSet, loadedBy: string): Promise<void> {
    try {
      await this.tx.run((em) =>
        this.outbox.add(em, {
          type: 'rules.reloaded',
          incidentId: null,
          source: null,
          at: this.clock.now(),
          data: {
            version: active.version,
            checksum: active.checksum,
            label: active.label,
            ruleCount: active.ruleCount,
            loadedBy,
            loadedAt: iso(active.loadedAt),
          },
        }),
      );
    } catch (e) {
      // The pack is active already; a reload must not fail because its event could not be written.
      this.log.error({ err: e }, 'webhooks: could not write rules.reloaded');
    }
  }
}
