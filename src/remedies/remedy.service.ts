import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { parseId } from '../common/cursor';
import { badInput, conflict, notFound } from '../common/errors';
import { expectVersion, lockIncidentRow, updateVersioned } from '../database/locks';
import { rawTable } from '../database/raw-table';
import type { Transactions } from '../database/transaction';
import type { ActionSettlement } from '../incidents/action-settlement';
import { IncidentEntity } from '../incidents/incident.entity';
import { maySee } from '../auth/actor';
import { LIMITS, text } from '../common/text-input';
import { RefundEntity } from '../refunds/refund.entity';
import type { RuleSetService } from '../rulesets/rule-set.service';
import type { Duration } from '../rules/types';
import type { TriageEventBus } from '../events/triage-events';
import type { WebhookOutbox } from '../webhooks/webhook-outbox';
import { RemedyEntity } from './remedy.entity';
import type { AdvanceRemedyInput, StartRemedyInput } from './remedy.inputs';
import type { RemedyReader, RemedyView } from './remedy.reader';
import { RemedyStepEntity } from './remedy-step.entity';
import { RemedyTransitionEntity } from './remedy-transition.entity';
import {
  advanceOutcome,
  advanceRefusal,
  assertRemedyMove,
  assertRemedyWorkflow,
  freshRemedySteps,
  RemedyStatus,
  RemedyStepStatus,
} from './remedy.state-machine';
import { type RemedyHistoryKind, writeHistory } from '../history/history.writer';

/** The step a refund request of the incident does (RETURN, COMPENSATE): done by `requestRefund`, not by hand alone. */
export const REFUND_REQUESTED_STEP = 'REFUND_REQUESTED';

type Transition = Pick<RemedyTransitionEntity, 'fromStatus' | 'toStatus' | 'step' | 'note'> & { kind: RemedyHistoryKind };

/** What a change does once the version gate let it through. */
interface Plan {
  set: Partial<RemedyEntity>;
  transition: Transition;
  write?: (em: EntityManager) => Promise<void>;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * After-sales remedies (货物售后: 维修, 更换, 退货, 补发, 赔偿), run like refunds: each write is one
 * transaction behind the incident's row lock, and every change goes through one gate
 * (`UPDATE … WHERE id = ? AND version = ?`), so of two concurrent advances of one step exactly
 * one moves the remedy and the other gets CONFLICT. Every move writes history and a webhook event.
 */
export class RemedyService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly rules: RuleSetService,
    private readonly reader: RemedyReader,
    private readonly clock: Clock,
    private readonly settlement: ActionSettlement,
    private readonly outbox: WebhookOutbox,
    /** remedyTransitioned in each transition's transaction (the metrics count it once committed). */
    private readonly events: TriageEventBus,
  ) {
    assertRemedyWorkflow();
  }

  /** Starts a remedy of a kind the incident's decision allows; settles ARRANGE_REMEDY (REMEDY_STARTED). */
  async start(actor: Actor, input: StartRemedyInput): Promise<RemedyView> {
    const kind = text('input.kind', input.kind, LIMITS.code, true)!;
    const orderNo = text('input.orderNo', input.orderNo, LIMITS.orderNo);
    const items = text('input.items', input.items, LIMITS.note);
    const note = text('input.note', input.note, LIMITS.note);
    const { engine } = this.rules.current();
    const def = engine.pack.catalog.remedyKinds?.[kind];
    const incidentId = parseId(String(input.incidentId));
    const found = incidentId === null ? null : await this.ds.manager.findOneBy(IncidentEntity, { id: incidentId });
    if (!found || !maySee(actor, found)) throw notFound(`incident ${input.incidentId}`);
    // The answer is the remedy its started event read in the transaction, not read again after the commit.
    return this.tx.run(async (em) => {
      // The incident row locked and read first (the one lock order).
      const incident = (await rawTable(this.ds, IncidentEntity).findOne(em, { id: found.id }, { forUpdate: true }))!;
      const allowed = incident.decision.remedies ?? [];
      if (!allowed.includes(kind) || !def) {
        throw badInput('input.kind', `the rules allow ${allowed.length ? allowed.join(', ') : 'no remedy'} for incident ${incident.id}, not ${kind}`, {
          allowed,
        });
      }
      if (incident.status === 'RESOLVED' || incident.status === 'CLOSED') {
        throw conflict(`incident ${incident.id} is ${incident.status}: reopen it to start a remedy`, { field: 'input.incidentId', status: incident.status });
      }
      const now = this.clock.now();
      const steps = freshRemedySteps(def.steps.map((s) => ({ step: s.code, role: s.role, needsTracking: s.trackingNo === true, due: s.due })));
      const row: Omit<RemedyEntity, 'id'> = {
        incidentId: incident.id,
        source: incident.source,
        drill: incident.drill,
        kind,
        status: 'IN_PROGRESS',
        currentStep: steps[0].step,
        orderNo: orderNo ?? incident.orderNo,
        items,
        note,
        startedBy: actor.name,
        startedAt: now,
        completedAt: null,
        cancelledAt: null,
        cancelReason: null,
        ruleSetVersion: engine.version,
        version: 1,
        updatedAt: now,
      };
      const result = await em.insert(RemedyEntity, row as QueryDeepPartialEntity<RemedyEntity>);
      const remedyId = Number(result.identifiers[0].id);
      await em.insert(
        RemedyStepEntity,
        steps.map((s) => ({
          remedyId,
          position: s.position,
          step: s.step,
          role: s.role,
          due: s.due,
          needsTracking: s.needsTracking,
          status: s.status,
          actor: null,
          note: null,
          trackingNo: null,
          decidedAt: null,
          pendingSince: s.status === 'PENDING' ? now : null,
          dueAt: s.status === 'PENDING' ? this.dueAt(s.due, now) : null,
        })) as QueryDeepPartialEntity<RemedyStepEntity>[],
      );
      await this.record(em, remedyId, now, actor.name, { kind: 'STARTED', fromStatus: null, toStatus: 'IN_PROGRESS', step: steps[0].step, note });
      await this.settlement.settle(em, incident.id, 'REMEDY_STARTED', { remedyId: String(remedyId), kind }, actor.name, now);
      const started = await this.event(em, 'remedy.started', remedyId, now, { actor: actor.name });
      await this.events.publish(em, 'remedyTransitioned', { transition: 'STARTED', kind });
      return started;
    });
  }

  /** Does the current step: the step's role, `step` the current one, the tracking number where it needs one. */
  async advance(actor: Actor, input: AdvanceRemedyInput): Promise<RemedyView> {
    const step = text('input.step', input.step, LIMITS.code, true)!;
    const note = text('input.note', input.note, LIMITS.note);
    const trackingNo = text('input.trackingNo', input.trackingNo, LIMITS.orderNo);
    return this.change(actor, String(input.remedyId), input.expectedVersion, async (em, view, now) => {
      const e = view.entity;
      const states = view.steps.map((s) => ({
        position: s.position,
        step: s.step,
        role: s.role,
        needsTracking: s.needsTracking,
        status: s.status as RemedyStepStatus,
      }));
      const refused = advanceRefusal(e.status as RemedyStatus, e.currentStep, states, actor.roles, { step, trackingNo });
      if (refused) throw refused;
      let evidence = note;
      if (step === REFUND_REQUESTED_STEP) {
        // Done by requesting a refund of the incident; by hand only once one is requested.
        const refund = await this.liveRefundSince(em, e.incidentId, e.startedAt);
        if (!refund) throw badInput('input.step', `step ${step} is done by requesting a refund of incident ${e.incidentId} (requestRefund)`);
        evidence = note ?? refund.refundNo;
      }
      return this.advancePlan(view, now, actor.name, evidence, trackingNo);
    });
  }

  /** Cancels a remedy in progress, with the reason. */
  async cancel(actor: Actor, remedyId: string, reason: string): Promise<RemedyView> {
    const checked = text('reason', reason, LIMITS.note, true)!;
    if (!checked.trim()) throw badInput('reason', 'is required');
    return this.change(actor, remedyId, null, async (_em, view, now) => {
      const e = view.entity;
      assertRemedyMove(e.status as RemedyStatus, 'CANCELLED', 'cancel');
      return {
        set: { status: 'CANCELLED', currentStep: null, cancelledAt: now, cancelReason: checked },
        transition: { kind: 'CANCELLED', fromStatus: e.status, toStatus: 'CANCELLED', step: e.currentStep, note: checked },
        // The step it waited at will never be done: no longer pending, no longer due.
        write: async (em) => {
          await rawTable(this.ds, RemedyStepEntity).update(em, { status: 'WAITING', dueAt: null }, { remedyId: e.id, status: 'PENDING' });
        },
      };
    });
  }

  /**
   * A refund of the incident was requested (in the refund's transaction): every remedy of it
   * waiting at REFUND_REQUESTED moves on, the refund number as the step's note.
   */
  async refundRequested(em: EntityManager, incidentId: number, refundNo: string, actorName: string, at: Date): Promise<void> {
    const waiting = await rawTable(this.ds, RemedyEntity).find(
      em,
      { incidentId, status: 'IN_PROGRESS', currentStep: REFUND_REQUESTED_STEP },
      { order: { id: 'ASC' } },
    );
    for (const r of waiting) {
      const view = (await this.reader.byId(r.id, em))!;
      const p = this.advancePlan(view, at, actorName, refundNo, null);
      await this.apply(em, view, p, at, actorName);
    }
  }

  private advancePlan(view: RemedyView, now: Date, actorName: string, note: string | null, trackingNo: string | null): Plan {
    const e = view.entity;
    const states = view.steps.map((s) => ({
      position: s.position,
      step: s.step,
      role: s.role,
      needsTracking: s.needsTracking,
      status: s.status as RemedyStepStatus,
    }));
    const out = advanceOutcome(states);
    assertRemedyMove(e.status as RemedyStatus, out.toStatus, 'advance');
    const doneStep = view.steps.find((s) => s.position === out.done)!;
    const set: Partial<RemedyEntity> = { status: out.toStatus, currentStep: out.next?.step ?? null };
    if (out.toStatus === 'COMPLETED') set.completedAt = now;
    return {
      set,
      transition: { kind: out.toStatus === 'COMPLETED' ? 'COMPLETED' : 'ADVANCED', fromStatus: e.status, toStatus: out.toStatus, step: doneStep.step, note },
      write: async (em) => {
        const steps = rawTable(this.ds, RemedyStepEntity);
        await steps.update(em, { status: 'APPROVED', actor: actorName, note, trackingNo, decidedAt: now }, { id: doneStep.id });
        if (out.next) {
          const next = view.steps.find((s) => s.position === out.next!.position)!;
          await steps.update(em, { status: 'PENDING', pendingSince: now, dueAt: this.dueAt(next.due, now) }, { id: next.id });
        }
      },
    };
  }

  /**
   * Lock the incident, read the remedy, check the expected version, plan, then move it only if
   * nobody else did meanwhile. The answer is the remedy as this transaction left it (read once
   * after its writes, for its webhook event), not read again after the commit.
   */
  private async change(
    actor: Actor,
    id: string,
    expectedVersion: number | null | undefined,
    plan: (em: EntityManager, view: RemedyView, now: Date) => Promise<Plan>,
  ): Promise<RemedyView> {
    const n = parseId(id);
    // The whole row, by the statement the reader reads remedies with (one prepared statement, not two).
    const owner = n === null ? null : await rawTable(this.ds, RemedyEntity).findOne(this.ds.manager, { id: n });
    return this.tx.run(async (em) => {
      await lockIncidentRow(em, owner?.incidentId ?? null);
      const view = await this.reader.viewFor(em, actor, id);
      expectVersion('remedy', view.entity, expectedVersion, 'input.expectedVersion');
      const now = this.clock.now();
      const p = await plan(em, view, now);
      const after = await this.apply(em, view, p, now, actor.name);
      await this.events.publish(em, 'remedyTransitioned', { transition: p.transition.kind, kind: view.entity.kind });
      return after;
    });
  }

  /** Moves the remedy as planned, with its history row and webhook event; the remedy as it now is. */
  private async apply(em: EntityManager, view: RemedyView, p: Plan, now: Date, actorName: string): Promise<RemedyView> {
    const e = view.entity;
    await updateVersioned(em, RemedyEntity, 'remedy', e, p.set, now, 'input.expectedVersion');
    await p.write?.(em);
    await this.record(em, e.id, now, actorName, p.transition);
    const type = p.transition.kind === 'CANCELLED' ? 'remedy.cancelled' : p.transition.kind === 'COMPLETED' ? 'remedy.completed' : 'remedy.advanced';
    return this.event(em, type, e.id, now, { actor: actorName, step: p.transition.step, note: p.transition.note });
  }

  /** The first live refund of the incident requested since the remedy started, if any. */
  private async liveRefundSince(em: EntityManager, incidentId: number, since: Date): Promise<RefundEntity | null> {
    return em
      .createQueryBuilder(RefundEntity, 'r')
      .where('r.incident_id = :incidentId AND r.status <> :cancelled AND r.requested_at >= :since', { incidentId, cancelled: 'CANCELLED', since })
      .orderBy('r.id', 'ASC')
      .getOne();
  }

  private dueAt(span: Duration, from: Date): Date | null {
    return this.rules.current().engine.calendar.addDuration(from, span);
  }

  /** One row of the remedy's history (the one history writer). */
  private record(em: EntityManager, remedyId: number, at: Date, actorName: string, t: Transition): Promise<void> {
    return writeHistory(em, { entity: 'REMEDY', subjectId: remedyId, at, actor: actorName, ...t });
  }

  /** A remedy.* webhook event with the remedy as it now is, in the change's transaction; that remedy. */
  private async event(
    em: EntityManager,
    type: 'remedy.started' | 'remedy.advanced' | 'remedy.completed' | 'remedy.cancelled',
    remedyId: number,
    at: Date,
    extra: Record<string, unknown>,
  ): Promise<RemedyView> {
    const v = (await this.reader.byId(remedyId, em))!;
    const r = v.entity;
    await this.outbox.add(
      em,
      {
        type,
        incidentId: r.incidentId,
        source: r.source,
        at,
        data: {
          remedyId: String(r.id),
          incidentId: String(r.incidentId),
          source: r.source,
          drill: r.drill,
          kind: r.kind,
          status: r.status,
          currentStep: r.currentStep,
          orderNo: r.orderNo,
          ...extra,
          steps: v.steps.map((s) => ({
            step: s.step,
            status: s.status,
            actor: s.actor,
            trackingNo: s.trackingNo,
            decidedAt: iso(s.decidedAt),
            dueAt: iso(s.dueAt),
          })),
        },
      },
      { incidentLocked: true },
    );
    return v;
  }
}
