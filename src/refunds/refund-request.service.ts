import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Actor, maySee, personOf } from '../auth/actor';
import type { Clock } from '../common/clock';
import { parseId } from '../common/cursor';
import { badInput, notFound } from '../common/errors';
import { isUniqueViolation } from '../database/errors';
import { rawTable } from '../database/raw-table';
import type { Transactions } from '../database/transaction';
import { checkIdempotencyKey, idempotencyHash, IdempotencyStore, KeyRef } from '../idempotency/idempotency.store';
import { IncidentEntity } from '../incidents/incident.entity';
import { fenToNumber, formatFen } from '../money/money';
import { FACTS } from '../rules/facts';
import type { RuleEngine } from '../rules/rule-engine';
import type { TriageEventBus } from '../events/triage-events';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { RefundEntity } from './refund.entity';
import type { RequestRefundInput } from './refund.inputs';
import type { RefundReader, RefundView } from './refund.reader';
import { freshSteps, INITIAL_STATUS } from './refund.state-machine';
import { insertRefundSteps, recordRefundTransition } from './refund-steps';
import { normalizeRefundForm } from './refund.validation';

/**
 * requestRefund: a new refund of an incident. Checks the form, keeps the incident's live refunds
 * within its amount, freezes the approval chain the rules give, and starts the first step; with
 * an Idempotency key, a retry answers the first refund. The changes of a refund once requested
 * (decide, resubmit, cancel) are RefundService's.
 */
export class RefundRequests {
  private readonly idempotency: IdempotencyStore;

  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly rules: RuleSetService,
    private readonly reader: RefundReader,
    private readonly clock: Clock,
    /** refundWritten in the request's transaction; refundChainEvaluated after each chain decision. */
    private readonly events: TriageEventBus,
  ) {
    this.idempotency = new IdempotencyStore(ds, clock);
  }

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
    // The answer is the refund as the transaction left it (read once, for its handlers too), not read again after the commit.
    return this.tx.run(async (em) => {
      // The incident locked and read first (MySQL: FOR UPDATE), so concurrent requests see each other's refunds.
      const incident = (await rawTable(this.ds, IncidentEntity).findOne(em, { id: found.id }, { forUpdate: true }))!;
      // A duplicate that waited for the lock sees the first's key now, before any check of its own.
      const done = once ? await this.idempotency.find(once.ref, once.field, em) : null;
      if (done?.resourceId) return (await this.reader.byId(Number(done.resourceId), em))!;
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
      await insertRefundSteps(em, this.rules, refundId, steps, now);
      await recordRefundTransition(em, refundId, now, actor, {
        kind: 'REQUESTED',
        fromStatus: null,
        toStatus: INITIAL_STATUS,
        step: chain[0],
        decision: null,
        comment: null,
        attempt: 1,
      });
      // As written, read once for every handler (none of them changes the refund).
      const after = (await this.reader.byId(refundId, em))!;
      await this.events.publish(em, 'refundWritten', { before: null, after });
      if (once) await this.idempotency.record(em, once.ref, String(refundId));
      return after;
    });
  }

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
    const started = performance.now();
    let chain: string[];
    try {
      chain = await engine.refundChainFor(input, { repeatIncidents30d: async () => stored });
    } catch (error) {
      this.events.emit('refundChainEvaluated', { version: engine.version, category: incident.category, steps: null, error, started, ended: performance.now() });
      throw error;
    }
    this.events.emit('refundChainEvaluated', {
      version: engine.version,
      category: incident.category,
      steps: chain.length,
      error: null,
      started,
      ended: performance.now(),
    });
    if (!chain.length) throw badInput('input.incidentId', `the rules give no approval chain for a refund of a ${incident.category} incident`);
    const unknown = chain.filter((s) => !engine.pack.catalog.refundSteps[s]);
    if (unknown.length) throw new Error(`rule pack ${engine.version} gives refund steps missing from its catalog: ${unknown.join(', ')}`);
    return chain;
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
}
