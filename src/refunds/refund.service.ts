import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Actor, personOf } from '../auth/actor';
import type { Clock } from '../common/clock';
import { parseId } from '../common/cursor';
import { badInput, conflict, notFound } from '../common/errors';
import { lockIncidentRow } from '../database/raw-values';
import type { Transactions } from '../database/transaction';
import { IncidentEntity } from '../incidents/incident.entity';
import { maySee } from '../incidents/incident.reader';
import { LIMITS, text } from '../incidents/incident.validation';
import { fenToNumber, formatFen } from '../money/money';
import { FACTS } from '../rules/facts';
import type { RuleEngine } from '../rules/rule-engine';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { RefundEntity } from './refund.entity';
import { RefundStepEntity } from './refund-step.entity';
import { RefundTransitionEntity } from './refund-transition.entity';
import type { DecideRefundStepInput, RequestRefundInput } from './refund.inputs';
import type { RefundReader, RefundView } from './refund.reader';
import { assertMove, assertRefundWorkflow, freshSteps, INITIAL_STATUS, outcomeOf, refusal, RefundStatus, StepState, StepStatus } from './refund.state-machine';
import { normalizeRefundForm, REFUND_LIMITS } from './refund.validation';
import { checkIdempotencyKey, idempotencyHash, IdempotencyStore, KeyRef } from '../idempotency/idempotency.store';
import { isUniqueViolation } from '../database/errors';

type Transition = Pick<RefundTransitionEntity, 'kind' | 'fromStatus' | 'toStatus' | 'step' | 'decision' | 'comment' | 'attempt'>;

/**
 * Told of every refund write inside its transaction, after the refund's rows are written
 * (the reports' rollup). `before` is the refund as the write found it, null for a new one.
 */
export interface RefundWriteListener {
  refundWritten(em: EntityManager, before: RefundView | null, refundId: number): Promise<void>;
}

/** What a change does once the version gate let it through. */
interface Plan {
  set: Partial<RefundEntity>;
  transition: Transition;
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
    private readonly listeners: readonly RefundWriteListener[] = [],
  ) {
    assertRefundWorkflow();
    this.idempotency = new IdempotencyStore(ds, clock);
  }

  private readonly idempotency: IdempotencyStore;

  /**
   * `request` with `input.idempotencyKey`: a retry with the same key and input answers the
   * refund the first made (as it is now), another input under the key is CONFLICT. The key is
   * stored in the refund's own transaction, so it exists exactly when the refund does; of
   * concurrent duplicates the unique index lets one through and the others answer its refund.
   */
  private async requestOnce(actor: Actor, input: RequestRefundInput, key: string): Promise<RefundView> {
    const { idempotencyKey: _key, ...asked } = input;
    const ref: KeyRef = { scope: `key:${actor.keyId}`, kind: 'requestRefund', key, requestHash: idempotencyHash(asked) };
    const field = 'input.idempotencyKey';
    const replay = async () => {
      const found = await this.idempotency.find(ref, field);
      return found?.resourceId ? this.reader.byId(Number(found.resourceId)) : null;
    };
    const first = await replay();
    if (first) return first;
    try {
      const made = await this.request(actor, asked, { ref, field });
      await this.idempotency.prune();
      return made;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const winner = await replay(); // a concurrent duplicate committed first
      if (!winner) throw e;
      return winner;
    }
  }

  /**
   * Records a request: checks the form, keeps the incident's live refunds within its amount,
   * freezes the approval chain the rules give, and starts the first step.
   */
  async request(actor: Actor, input: RequestRefundInput, once?: { ref: KeyRef; field: string }): Promise<RefundView> {
    if (input.idempotencyKey != null && !once) return this.requestOnce(actor, input, checkIdempotencyKey('input.idempotencyKey', input.idempotencyKey));
    const { engine } = this.rules.current();
    const catalog = engine.pack.catalog;
    const form = normalizeRefundForm(input, catalog, this.clock.now());
    const incidentId = parseId(String(input.incidentId));
    const found = incidentId === null ? null : await this.ds.manager.findOneBy(IncidentEntity, { id: incidentId });
    if (!found || !maySee(actor, found)) throw notFound(`incident ${input.incidentId}`);
    if (found.amountFen === null) {
      throw badInput(
        'input.incidentId',
        `incident ${found.id} was reported without an amount, so nothing can be refunded against it; the amount charged must be on the report`,
      );
    }
    const id = await this.tx.run(async (em) => {
      // Lock the incident first (MySQL), so concurrent requests see each other's refunds.
      const incident = await this.lockIncident(em, found.id);
      // A duplicate that waited for the lock sees the first's key now, before any check of its own.
      const done = once ? await this.idempotency.find(once.ref, once.field, em) : null;
      if (done?.resourceId) return Number(done.resourceId);
      const committed = await this.liveRefundsFen(em, incident.id);
      if (committed + form.amountFen > incident.amountFen!) {
        const available = incident.amountFen! - committed;
        throw badInput(
          'input.amount',
          `refunds of incident ${incident.id} would reach ${formatFen(committed + form.amountFen)}, above its amount ${formatFen(incident.amountFen!)}; at most ${formatFen(available > 0n ? available : 0n)} is left`,
          {
            available: formatFen(available > 0n ? available : 0n),
          },
        );
      }
      // The rules see what the incident's live refunds come to with this one: a refund split in
      // two cannot slip under an approval threshold (amount > 50000: PRESIDENT_APPROVAL).
      const chain = await this.chainFor(engine, incident, committed + form.amountFen);
      const now = this.clock.now();
      const row: Omit<RefundEntity, 'id'> = {
        refundNo: `tmp-${crypto.randomUUID()}`,
        incidentId: incident.id,
        source: incident.source,
        amountFen: form.amountFen,
        method: form.method,
        status: INITIAL_STATUS,
        currentStep: chain[0],
        chain,
        attempt: 1,
        orderNo: form.orderNo ?? incident.orderNo,
        purchasedAt: form.purchasedAt,
        bank: form.bank,
        phone: form.phone ?? incident.customerPhone,
        faultDescription: form.faultDescription,
        customerOpinion: form.customerOpinion,
        requestedBy: actor.name,
        requesterPerson: personOf(actor),
        requestedAt: now,
        businessMonth: engine.calendar.localMonth(now),
        businessDay: engine.calendar.localDate(now),
        paidAt: null,
        completedAt: null,
        returnedAt: null,
        returnReason: null,
        cancelledAt: null,
        cancelReason: null,
        drill: incident.drill,
        category: incident.category,
        ownerDepartment: incident.ownerDepartment,
        ruleSetVersion: engine.version,
        version: 1,
        updatedAt: now,
      };
      const result = await em.insert(RefundEntity, row as QueryDeepPartialEntity<RefundEntity>);
      const refundId = Number(result.identifiers[0].id);
      // The id makes the number unique whatever runs concurrently; the date makes it readable.
      const businessDate = DateTime.fromJSDate(now).setZone(catalog.calendar.timeZone).toFormat('yyyyMMdd');
      await em.update(RefundEntity, { id: refundId }, { refundNo: `RF${businessDate}${String(refundId).padStart(6, '0')}` });
      const steps = freshSteps(
        chain,
        (step) => {
          const s = catalog.refundSteps[step];
          return { role: s.role, approval: s.approval, canReturn: s.canReturn };
        },
        1,
      );
      await this.insertSteps(em, refundId, steps, now);
      await this.record(em, refundId, now, actor, {
        kind: 'REQUESTED',
        fromStatus: null,
        toStatus: INITIAL_STATUS,
        step: chain[0],
        decision: null,
        comment: null,
        attempt: 1,
      });
      for (const l of this.listeners) await l.refundWritten(em, null, refundId);
      if (once) await this.idempotency.record(em, once.ref, String(refundId));
      return refundId;
    });
    return (await this.reader.byId(id))!;
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
          await em.update(
            RefundStepEntity,
            { refundId: e.id, attempt: e.attempt, position: out.decided },
            {
              status: out.decidedStatus,
              actor: actor.name,
              signer: personOf(actor),
              comment: simulated ? `SIMULATED${comment ? `: ${comment}` : ''}`.slice(0, 2000) : comment,
              decidedAt: now,
            },
          );
          if (out.next !== null) {
            const next = view.steps.find((s) => s.attempt === e.attempt && s.position === out.next)!;
            const attempt = view.steps.filter((s) => s.attempt === e.attempt);
            await em.update(RefundStepEntity, { id: next.id }, { status: 'PENDING', pendingSince: now, dueAt: this.dueAt(next.step, now, attempt) });
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
        write: (em) => this.insertSteps(em, e.id, steps, now),
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
          await em.update(RefundStepEntity, { refundId: e.id, attempt: e.attempt, status: 'PENDING' }, { status: 'WAITING', dueAt: null });
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
    const owner = n === null ? null : await this.ds.manager.findOne(RefundEntity, { where: { id: n }, select: { id: true, incidentId: true } });
    const refundId = await this.tx.run(async (em) => {
      // The refund's incident row first (the one lock order: a request of another refund of
      // the incident, its events and the rollup come after it), then read the refund.
      if (owner) await lockIncidentRow(em, owner.incidentId);
      const view = await this.reader.viewFor(em, actor, id);
      const e = view.entity;
      if (expectedVersion != null && expectedVersion !== e.version) {
        throw conflict(`refund ${id} is at version ${e.version}, not ${expectedVersion}`, { field: versionField, currentVersion: e.version });
      }
      const now = this.clock.now();
      const p = plan(view, now);
      const res = await em
        .createQueryBuilder()
        .update(RefundEntity)
        .set({ ...p.set, version: e.version + 1, updatedAt: now } as QueryDeepPartialEntity<RefundEntity>)
        .where('id = :id AND version = :version', { id: e.id, version: e.version })
        .execute();
      if (res.affected === 0) throw conflict(`refund ${id} was changed concurrently; read it again`, { field: versionField });
      await p.write?.(em);
      await this.record(em, e.id, now, actor, p.transition);
      for (const l of this.listeners) await l.refundWritten(em, view, e.id);
      return e.id;
    });
    return (await this.reader.byId(refundId))!;
  }

  /** Runs each refund chain decision when tracing is on (the `rules.refund_chain` span); unset, they run bare. */
  traceRefundChain?: (version: string, category: string, decide: () => Promise<string[]>) => Promise<string[]>;

  /**
   * The chain the rules give for this incident's facts with `amountFen` as the amount (the
   * incident's live refunds, this one included), checked against the catalog.
   */
  private async chainFor(engine: RuleEngine, incident: IncidentEntity, amountFen: bigint): Promise<string[]> {
    const input: Parameters<RuleEngine['refundChainFor']>[0] = {
      ...FACTS.ofStoredReport(incident.report),
      category: incident.category,
      subtype: incident.subtype,
      amount: fenToNumber(amountFen),
      customerId: incident.customerId,
      reportedAt: incident.reportedAt,
    };
    // The computed fact as the rules saw it when the incident was reported, not as it is today.
    const stored = Number((incident.report as Record<string, unknown>).repeatIncidents30d ?? 0);
    const decide = () => engine.refundChainFor(input, { repeatIncidents30d: async () => stored });
    const chain = await (this.traceRefundChain ? this.traceRefundChain(engine.version, incident.category, decide) : decide());
    if (!chain.length) throw badInput('input.incidentId', `the rules give no approval chain for a refund of a ${incident.category} incident`);
    const unknown = chain.filter((s) => !engine.pack.catalog.refundSteps[s]);
    if (unknown.length) throw new Error(`rule pack ${engine.version} gives refund steps missing from its catalog: ${unknown.join(', ')}`);
    return chain;
  }

  /** The incident row, locked for the rest of the transaction on MySQL (SQLite transactions are serial anyway), then read. */
  private async lockIncident(em: EntityManager, id: number): Promise<IncidentEntity> {
    await lockIncidentRow(em, id);
    return (await em.findOneBy(IncidentEntity, { id }))!;
  }

  /** The sum of the incident's refunds that are not cancelled, in fen. */
  private async liveRefundsFen(em: EntityManager, incidentId: number): Promise<bigint> {
    const row = await em
      .createQueryBuilder(RefundEntity, 'r')
      .select('COALESCE(SUM(r.amount_fen), 0)', 'total')
      .where('r.incident_id = :incidentId AND r.status <> :cancelled', { incidentId, cancelled: 'CANCELLED' })
      .getRawOne<{ total: string | number }>();
    return BigInt(String(row?.total ?? 0).split('.')[0]);
  }

  /**
   * Due time of a step that becomes pending at `now`: its catalog time limit on the business
   * calendar, counted from now or, for a step with `dueFrom`, from when that step of the same
   * attempt became pending (one deadline for the whole phase).
   */
  private dueAt(step: string, now: Date, attempt: ReadonlyArray<{ step: string; pendingSince: Date | null }> = []): Date | null {
    const { engine } = this.rules.current();
    const def = engine.pack.catalog.refundSteps[step];
    if (!def?.due) return null;
    const phaseStart = def.dueFrom ? attempt.find((s) => s.step === def.dueFrom)?.pendingSince : null;
    return engine.calendar.addDuration(phaseStart ?? now, def.due);
  }

  private async insertSteps(em: EntityManager, refundId: number, steps: StepState[], now: Date): Promise<void> {
    await em.insert(
      RefundStepEntity,
      steps.map((s) => ({
        refundId,
        attempt: s.attempt,
        position: s.position,
        step: s.step,
        role: s.role,
        approval: s.approval,
        canReturn: s.canReturn,
        status: s.status,
        actor: null,
        signer: null,
        comment: null,
        decidedAt: null,
        pendingSince: s.status === 'PENDING' ? now : null,
        dueAt: s.status === 'PENDING' ? this.dueAt(s.step, now) : null,
      })) as QueryDeepPartialEntity<RefundStepEntity>[],
    );
  }

  private async record(em: EntityManager, refundId: number, at: Date, actor: Actor, t: Transition): Promise<void> {
    await em.insert(RefundTransitionEntity, { refundId, at, actor: actor.name, ...t } as QueryDeepPartialEntity<RefundTransitionEntity>);
  }
}

function stepState(s: RefundStepEntity): StepState {
  return {
    attempt: s.attempt,
    position: s.position,
    step: s.step,
    role: s.role,
    approval: s.approval,
    canReturn: s.canReturn,
    status: s.status as StepStatus,
    actor: s.actor,
    signer: s.signer,
  };
}
