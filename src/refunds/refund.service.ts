import type { DataSource, EntityManager } from 'typeorm';
import { Actor, personOf } from '../auth/actor';
import type { Clock } from '../common/clock';
import { parseId } from '../common/cursor';
import { expectVersion, lockIncidentRow, updateVersioned } from '../database/locks';
import { rawTable } from '../database/raw-table';
import type { Transactions } from '../database/transaction';
import { LIMITS, text } from '../common/text-input';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { RefundEntity } from './refund.entity';
import { RefundStepEntity } from './refund-step.entity';
import { insertRefundSteps, recordRefundTransition, RefundTransition, stepDueAt, stepState } from './refund-steps';
import { RefundRequests } from './refund-request.service';
import type { TriageEventBus } from '../events/triage-events';
import type { DecideRefundStepInput, RequestRefundInput } from './refund.inputs';
import type { RefundReader, RefundView } from './refund.reader';
import { assertMove, assertRefundWorkflow, freshSteps, outcomeOf, refusal, RefundStatus } from './refund.state-machine';
import { REFUND_LIMITS } from './refund.validation';

/** What a change does once the version gate let it through. */
interface Plan {
  set: Partial<RefundEntity>;
  transition: RefundTransition;
  write?: (em: EntityManager) => Promise<void>;
}

/**
 * The refund workflow (退款执行流程, the policy). Every write is one transaction, and every
 * change of a refund goes through one gate: `UPDATE … WHERE id = ? AND version = ?`, so of
 * two concurrent decisions on the same step exactly one moves the refund (the other gets
 * CONFLICT) and a refund is paid once, whatever is retried.
 */
export class RefundService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly rules: RuleSetService,
    private readonly reader: RefundReader,
    private readonly clock: Clock,
    /** refundWritten in each write's transaction, after the refund's rows; refundChainEvaluated. */
    private readonly events: TriageEventBus,
  ) {
    assertRefundWorkflow();
    this.requests = new RefundRequests(ds, tx, rules, reader, clock, events);
  }

  /** requestRefund: a new refund of an incident (refund-request.service.ts). */
  private readonly requests: RefundRequests;

  /** Records a request (RefundRequests.request). */
  request(actor: Actor, input: RequestRefundInput): Promise<RefundView> {
    return this.requests.request(actor, input);
  }

  /** Decides the current step: APPROVE advances (PAYOUT pays, the last step completes); RETURN sends it back. */
  async decide(actor: Actor, input: DecideRefundStepInput): Promise<RefundView> {
    const step = text('input.step', input.step, LIMITS.code, true)!;
    const comment = text('input.comment', input.comment, LIMITS.note);
    const req = { step, decision: input.decision, comment };
    return this.change(actor, String(input.refundId), input.expectedVersion, 'input.expectedVersion', (view, now) => {
      const e = view.entity;
      const status = e.status as RefundStatus;
      const all = view.steps.map(stepState);
      const refused = refusal(
        { status, currentStep: e.currentStep, attempt: e.attempt, requestedBy: e.requestedBy, requesterPerson: e.requesterPerson },
        all,
        actor,
        req,
      );
      if (refused) throw refused;
      const out = outcomeOf(
        status,
        all.filter((s) => s.attempt === e.attempt),
        req,
      );
      assertMove(status, out.toStatus, 'decide on', true);
      const set: Partial<RefundEntity> = { status: out.toStatus, currentStep: out.currentStep };
      if (out.paid) set.paidAt = now;
      if (out.completed) set.completedAt = now;
      if (out.decidedStatus === 'RETURNED') Object.assign(set, { returnedAt: now, returnReason: comment });
      // A drill moves no money: a step the pack marks simulatedInDrills (PAYOUT) records SIMULATED.
      const simulated = e.drill && !!this.rules.current().engine.pack.catalog.refundSteps[step]?.simulatedInDrills && out.decidedStatus === 'APPROVED';
      const kind = out.decidedStatus === 'RETURNED' ? 'RETURNED' : simulated ? 'SIMULATED' : out.completed ? 'COMPLETED' : out.paid ? 'PAID' : 'APPROVED';
      return {
        set,
        transition: { kind, fromStatus: status, toStatus: out.toStatus, step, decision: req.decision, comment, attempt: e.attempt },
        write: async (em) => {
          const steps = rawTable(this.ds, RefundStepEntity);
          await steps.update(
            em,
            {
              status: out.decidedStatus,
              actor: actor.name,
              signer: personOf(actor),
              comment: simulated ? `SIMULATED${comment ? `: ${comment}` : ''}`.slice(0, 2000) : comment,
              decidedAt: now,
            },
            { refundId: e.id, attempt: e.attempt, position: out.decided },
          );
          if (out.next !== null) {
            const next = view.steps.find((s) => s.attempt === e.attempt && s.position === out.next)!;
            const attempt = view.steps.filter((s) => s.attempt === e.attempt);
            await steps.update(em, { status: 'PENDING', pendingSince: now, dueAt: stepDueAt(this.rules, next.step, now, attempt) }, { id: next.id });
          }
        },
      };
    });
  }

  /** A returned request goes round again: a new attempt with fresh steps; earlier ones stay. */
  async resubmit(actor: Actor, refundId: string, comment: string | null | undefined): Promise<RefundView> {
    const checked = text('comment', comment, REFUND_LIMITS.reason);
    return this.change(actor, refundId, null, 'refundId', (view, now) => {
      const e = view.entity;
      const status = e.status as RefundStatus;
      assertMove(status, 'IN_APPROVAL', 'resubmit'); // only RETURNED may go back to IN_APPROVAL
      const attempt = e.attempt + 1;
      // Roles and signing rules stay as frozen on the first attempt.
      const frozen = new Map(view.steps.filter((s) => s.attempt === 1).map((s) => [s.step, s]));
      const steps = freshSteps(e.chain, (step) => frozen.get(step)!, attempt);
      return {
        set: { status: 'IN_APPROVAL', attempt, currentStep: e.chain[0] },
        transition: { kind: 'RESUBMITTED', fromStatus: status, toStatus: 'IN_APPROVAL', step: e.chain[0], decision: null, comment: checked, attempt },
        write: (em) => insertRefundSteps(em, this.rules, e.id, steps, now),
      };
    });
  }

  /** Ends a refund with a reason; not once the money has been paid. */
  async cancel(actor: Actor, refundId: string, reason: string): Promise<RefundView> {
    const checked = text('reason', reason, REFUND_LIMITS.reason, true)!;
    return this.change(actor, refundId, null, 'refundId', (view, now) => {
      const e = view.entity;
      const status = e.status as RefundStatus;
      assertMove(status, 'CANCELLED', 'cancel');
      return {
        set: { status: 'CANCELLED', currentStep: null, cancelledAt: now, cancelReason: checked },
        transition: { kind: 'CANCELLED', fromStatus: status, toStatus: 'CANCELLED', step: e.currentStep, decision: null, comment: checked, attempt: e.attempt },
        // The step it waited at will never be decided: no longer pending, no longer due (the
        // CANCELLED transition keeps which step it was). Its pendingSince stays: the refund did
        // reach that step (the shift handover's "submitted to finance" reads it).
        write: async (em) => {
          await rawTable(this.ds, RefundStepEntity).update(em, { status: 'WAITING', dueAt: null }, { refundId: e.id, attempt: e.attempt, status: 'PENDING' });
        },
      };
    });
  }

  /**
   * The shape of every change: lock its incident, read the refund in the transaction, check visibility and the
   * expected version, plan, then move it only if nobody else did meanwhile; the plan's other
   * writes and the history row follow the gate.
   */
  private async change(
    actor: Actor,
    id: string,
    expectedVersion: number | null | undefined,
    versionField: string,
    plan: (view: RefundView, now: Date) => Plan,
  ): Promise<RefundView> {
    // A refund's incident never changes: looked up before the transaction, so that its first
    // statement is the lock and every read after it sees what committed before (MySQL takes a
    // transaction's snapshot at its first plain read).
    const n = parseId(id);
    // The whole row, by the statement the reader reads refunds with (one prepared statement, not two).
    const owner = n === null ? null : await rawTable(this.ds, RefundEntity).findOne(this.ds.manager, { id: n });
    // The answer is the refund as this transaction left it: read once after its writes (every
    // refundWritten handler is given it; none changes the refund), not again after the commit.
    return this.tx.run(async (em) => {
      // The refund's incident row first (the one lock order: a request of another refund of
      // the incident, its events and the rollup come after it), then read the refund.
      await lockIncidentRow(em, owner?.incidentId ?? null);
      const view = await this.reader.viewFor(em, actor, id);
      const e = view.entity;
      expectVersion('refund', e, expectedVersion, versionField);
      const now = this.clock.now();
      const p = plan(view, now);
      await updateVersioned(em, RefundEntity, 'refund', e, p.set, now, versionField);
      await p.write?.(em);
      await recordRefundTransition(em, e.id, now, actor, p.transition);
      const after = (await this.reader.byId(e.id, em))!;
      await this.events.publish(em, 'refundWritten', { before: view, after });
      return after;
    });
  }
}
