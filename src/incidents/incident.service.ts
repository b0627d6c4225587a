import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { hasAnyRole, isBoundDelegate } from '../auth/actor';
import type { Clock } from '../common/clock';
import { AppError, badInput, conflict, forbidden } from '../common/errors';
import { isUniqueViolation } from '../database/errors';
import { expectVersion, updateVersioned } from '../database/locks';
import { RawInsert } from '../database/raw-insert';
import type { Transactions } from '../database/transaction';
import type { RuleSetService } from '../rulesets/rule-set.service';
import type { Decision } from '../rules/types';
import type { RuleEngine } from '../rules/rule-engine';
import { RulesFailedError } from '../rules/rule-pack.errors';
import { IncidentEntity } from './incident.entity';
import { IncidentActionEntity, openActionRow } from './incident-action.entity';
import type { ReportIncidentInput } from './incident.inputs';
import { assertIncidentWorkflow, INCIDENT_TRANSITIONS, IncidentStatus, toStoredDecision } from './incident.types';
import { LIMITS, text } from '../common/text-input';
import { decisionInputOf, normalizeReport, NormalizedReport } from './incident.validation';
import type { IncidentReader, IncidentView } from './incident.reader';
import { RepeatIncidentsFact } from './repeat-incidents.fact';
import type { TriageEventBus } from '../events/triage-events';
import { businessPeriods } from './business-periods';
import { ActionLifecycle, Completion } from './action-lifecycle';
import { IncidentAmendService } from './incident-amend.service';
import { type IncidentHistoryKind, writeHistory } from '../history/history.writer';
import { sha256 } from '../common/sha256';

/**
 * Reporting and changing incidents. Every write is one transaction: the incident, its actions
 * and its history entry are stored together or not at all.
 */
export class IncidentService {
  private readonly repeatFact: RepeatIncidentsFact;
  private readonly incidentRows: RawInsert<IncidentEntity>;
  private readonly actionRows: RawInsert<IncidentActionEntity>;
  /** Completing, waiving and settling actions; the closing guard. */
  readonly actions: ActionLifecycle;
  /** amendIncident: the facts decided again. */
  readonly amendments: IncidentAmendService;

  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly rules: RuleSetService,
    private readonly reader: IncidentReader,
    private readonly clock: Clock,
    /** incidentReported, incidentStatusChanged, incidentChanged in each write's transaction; decisionEvaluated. */
    private readonly events: TriageEventBus,
  ) {
    assertIncidentWorkflow();
    this.repeatFact = new RepeatIncidentsFact(ds);
    this.incidentRows = new RawInsert(ds, IncidentEntity);
    this.actionRows = new RawInsert(ds, IncidentActionEntity);
    this.actions = new ActionLifecycle(rules);
    this.amendments = new IncidentAmendService(ds, tx, rules, reader, clock, this.repeatFact, events);
  }

  /** Decides without storing anything (dry run). */
  async evaluate(input: ReportIncidentInput): Promise<Decision> {
    const { engine } = this.rules.current();
    const report = normalizeReport(input, engine.pack.catalog);
    return this.decide(report, this.clock.now());
  }

  /**
   * Stores a report with its decision. Idempotent on (source, externalRef): a replay of the same
   * input returns the first incident with created=false; another input under the same key is a
   * CONFLICT. Concurrent duplicates are settled by the unique index.
   */
  async report(actor: Actor, input: ReportIncidentInput): Promise<{ incident: IncidentView; created: boolean }> {
    assertOwnSource(actor, input.source, 'input.source');
    const { engine } = this.rules.current();
    const report = normalizeReport(input, engine.pack.catalog);
    const inputHash = hashReport(report);
    const reportedAt = this.clock.now();
    const decision = await this.decide(report, reportedAt).catch((e: unknown) => this.fallback(e, engine, report, reportedAt));
    const repeats = await this.repeatsOf(report, reportedAt, decision);
    try {
      // The answer is what this transaction stored, as stored: no second read of it.
      // Its after-commit handlers (the shadow pack, the decision metrics) have run when it returns.
      const incident = await this.tx.runRaw((em) => this.insert(em, actor, report, inputHash, reportedAt, decision, repeats));
      return { incident, created: true };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const existing = await this.reader.byExternalRef(report.source, report.externalRef);
      if (!existing) throw e;
      if (existing.entity.inputHash !== inputHash) {
        throw conflict(`externalRef ${report.externalRef} of source ${report.source} was already reported with a different input`, {
          field: 'input.externalRef',
          incidentId: String(existing.entity.id),
        });
      }
      return { incident: existing, created: false };
    }
  }

  async setStatus(
    actor: Actor,
    id: string,
    status: IncidentStatus,
    expectedVersion: number | null | undefined,
    note: string | null | undefined,
  ): Promise<IncidentView> {
    const checkedNote = text('note', note, LIMITS.note);
    return this.change(actor, id, expectedVersion, async (em, incident, now) => {
      const from = incident.status as IncidentStatus;
      if (!INCIDENT_TRANSITIONS[from].includes(status)) {
        throw conflict(
          `an incident cannot go from ${from} to ${status}; from ${from} it may go to ${INCIDENT_TRANSITIONS[from].join(', ') || 'nowhere (final)'}`,
          { field: 'status' },
        );
      }
      const set: Partial<IncidentEntity> = { status };
      if (status === 'ACKNOWLEDGED') set.acknowledgedAt = now;
      if (status === 'RESOLVED') set.resolvedAt = now;
      if (status === 'OPEN') set.resolvedAt = null;
      await this.actions.beforeStatusChange(em, incident, status, now);
      await this.event(em, incident.id, now, actor, 'STATUS_CHANGED', { fromStatus: from, toStatus: status, note: checkedNote });
      await this.events.publish(em, 'incidentStatusChanged', { incident, from, to: status, at: now, note: checkedNote, actor: actor.name });
      return set;
    });
  }

  /**
   * Marks a required action done, at `doneAt` when given (see ActionLifecycle.complete); `evidence`
   * must hold what the catalog requires of it (POLICE_REPORT: receiptNo).
   */
  async completeAction(
    actor: Actor,
    incidentId: string,
    code: string,
    note: string | null | undefined,
    evidence?: unknown,
    doneAt?: Date | null,
  ): Promise<IncidentView> {
    const c: Completion = { note: text('note', note, LIMITS.note), evidence, doneAt };
    return this.change(actor, incidentId, undefined, (em, incident, now) => this.actions.complete(em, actor, incident, code, c, now));
  }

  /** Waives a required action with the reason: settled, it never breaches and does not hold up closing. */
  async waiveAction(actor: Actor, incidentId: string, code: string, reason: string): Promise<IncidentView> {
    const why = text('reason', reason, LIMITS.note, true)!;
    return this.change(actor, incidentId, undefined, (em, incident, now) => this.actions.waive(em, actor, incident, code, why, now));
  }

  async recordSatisfaction(actor: Actor, incidentId: string, score: number, comment: string | null | undefined): Promise<IncidentView> {
    if (!Number.isInteger(score) || score < 1 || score > 5) throw badInput('score', 'must be a whole number from 1 to 5');
    const checkedComment = text('comment', comment, LIMITS.note);
    return this.change(actor, incidentId, undefined, async (em, incident, now) => {
      await this.event(em, incident.id, now, actor, 'SATISFACTION_RECORDED', { note: checkedComment, detail: { score } });
      await this.actions.settleBy(em, incident, 'SATISFACTION_RECORDED', { score: String(score) }, actor.name, now);
      return { satisfactionScore: score, satisfactionComment: checkedComment };
    });
  }

  /**
   * The shape of every change: lock and read the incident in the transaction, check visibility
   * and the expected version, apply, then bump the version only if nobody else did meanwhile.
   * `apply` returns the columns to set, or null for "nothing changed". The answer is the
   * incident as this transaction left it — its row as written, its actions read last in it —
   * not read again after the commit.
   */
  private async change(
    actor: Actor,
    id: string,
    expectedVersion: number | null | undefined,
    apply: (em: EntityManager, incident: IncidentEntity, now: Date) => Promise<Partial<IncidentEntity> | null>,
  ): Promise<IncidentView> {
    return this.tx.run(async (em) => {
      // The incident row locked and read first (the one lock order): what is read is current.
      const incident = await this.reader.entityFor(em, actor, id);
      expectVersion('incident', incident, expectedVersion, 'expectedVersion');
      const now = this.clock.now();
      const set = await apply(em, incident, now);
      if (set === null) return this.reader.viewOf(em, incident);
      const written = await updateVersioned(em, IncidentEntity, 'incident', incident, set, now, 'expectedVersion');
      const after = Object.assign(new IncidentEntity(), incident, written);
      await this.events.publish(em, 'incidentChanged', { before: incident, after });
      return this.reader.viewOf(em, after);
    });
  }

  /** Decides with the active pack, dynamic facts included; tells decisionEvaluated how it went and how long it took. */
  private async decide(report: NormalizedReport, reportedAt: Date): Promise<Decision> {
    const { engine } = this.rules.current();
    const started = performance.now();
    let decision: Decision;
    try {
      decision = await engine.decide(decisionInputOf(report, reportedAt), { now: reportedAt, dynamicFacts: this.repeatFact });
    } catch (error) {
      this.events.emit('decisionEvaluated', { decision: null, error, started, ended: performance.now() });
      throw error;
    }
    this.events.emit('decisionEvaluated', { decision, error: null, started, ended: performance.now() });
    return decision;
  }

  /**
   * A report is never lost to the rules: when they fail on it (RULES_FAILED), it is stored with
   * the pack's fallback decision (`Decision.fallback`). Any other error passes.
   */
  private fallback(e: unknown, engine: RuleEngine, report: NormalizedReport, reportedAt: Date): Decision {
    if (!(e instanceof RulesFailedError)) throw e;
    return engine.fallbackDecision(decisionInputOf(report, reportedAt), e);
  }

  /**
   * The customer's earlier non-drill incidents in the 30 days before (the statistics' repeat
   * customers): as the rules read it, else counted here when no rule of the category reads it.
   */
  private async repeatsOf(report: NormalizedReport, reportedAt: Date, d: Decision): Promise<number> {
    const customerId = report.customer?.id;
    if (!customerId) return 0;
    if (this.rules.current().engine.readsRepeats(report.category)) return d.facts?.repeatIncidents30d ?? 0;
    return this.repeatFact.repeatIncidents30d(customerId, reportedAt);
  }

  /**
   * The incident, its actions and its REPORTED event: three statements (the actions in one),
   * in the caller's transaction, raw only (and so incidentReported's in-transaction handlers: Transactions.runRaw).
   * Returns the view a read after commit would give.
   */
  private async insert(
    em: EntityManager,
    actor: Actor,
    r: NormalizedReport,
    inputHash: string,
    reportedAt: Date,
    d: Decision,
    repeats: number,
  ): Promise<IncidentView> {
    const periods = businessPeriods(this.rules.current().engine.calendar, reportedAt);
    // Every key written out, none spread in: V8 (Node 20) adds each key after a leading spread
    // one slow step at a time, 50 µs for this row (a tenth of a report's CPU), 0.2 µs written out.
    // The order is the spread's: the periods first.
    const row: Omit<IncidentEntity, 'id'> = {
      businessMonth: periods.businessMonth,
      businessWeek: periods.businessWeek,
      businessDay: periods.businessDay,
      channel: r.channel,
      repeatIncidents30d: repeats,
      source: r.source,
      externalRef: r.externalRef,
      inputHash,
      category: r.category,
      subtype: r.subtype,
      status: 'OPEN',
      severity: d.severity,
      ownerDepartment: d.ownerDepartment,
      policeReportRequired: d.policeReportRequired,
      amountFen: r.amountFen,
      report: reportJson(r, d),
      customerId: r.customer?.id ?? null,
      customerPhone: r.customer?.phone ?? null,
      orderNo: r.orderNo,
      occurredAt: r.occurredAt ? new Date(r.occurredAt) : null,
      reportedAt,
      acknowledgeBy: d.acknowledgeBy,
      resolveBy: d.resolveBy,
      acknowledgedAt: null,
      resolvedAt: null,
      drill: r.drill,
      ruleSetVersion: d.ruleSetVersion,
      decision: toStoredDecision(d),
      amendedAt: null,
      satisfactionScore: null,
      satisfactionComment: null,
      version: 1,
      updatedAt: reportedAt,
    };
    const [id] = await this.incidentRows.run(em, [row]);
    const actionRows = d.actions.map((a, position) => openActionRow(id, a.code, position, a.dueAt, a.retainUntil));
    const actionIds = await this.actionRows.run(em, actionRows);
    await this.event(em, id, reportedAt, actor, 'REPORTED', { toStatus: 'OPEN', detail: { severity: d.severity, ruleSetVersion: d.ruleSetVersion } });
    const view: IncidentView = {
      entity: Object.assign(new IncidentEntity(), row, { id }),
      actions: actionRows.map((a, i) => Object.assign(new IncidentActionEntity(), a, { id: actionIds[i] })),
    };
    await this.events.publish(em, 'incidentReported', { view, decision: d });
    return view;
  }

  /** An entry of the incident's history (the one history writer). */
  private event(
    em: EntityManager,
    incidentId: number,
    at: Date,
    actor: Actor,
    kind: IncidentHistoryKind,
    e: { fromStatus?: string; toStatus?: string; note?: string | null; detail?: Record<string, unknown> },
  ): Promise<void> {
    return writeHistory(em, { entity: 'INCIDENT', subjectId: incidentId, at, actor: actor.name, kind, ...e });
  }
}

/** An INTEGRATION key reports only for its own source (staff roles may report for any). */
export function assertOwnSource(actor: Actor, source: string, field: string) {
  if (hasAnyRole(actor, ['ADMIN', 'AGENT', 'CS_LEAD']) && !isBoundDelegate(actor)) return;
  if (actor.source !== null && actor.source !== source) {
    throw new AppError('FORBIDDEN', `this key is bound to source ${actor.source}, not ${source}`, { field });
  }
  if (actor.source === null) throw forbidden();
}

/** The stored report: what was received, plus the computed fact as the rules saw it. */
function reportJson(r: NormalizedReport, d: Decision): Record<string, unknown> {
  return Object.assign({} as Record<string, unknown>, r, {
    amountFen: r.amountFen === null ? null : r.amountFen.toString(),
    repeatIncidents30d: d.facts?.repeatIncidents30d ?? 0,
  });
}

/** sha256 of the checked report, with keys in a fixed order and amounts in fen. */
export function hashReport(r: NormalizedReport): string {
  // amountFen is the report's only bigint: the same text as a replacer turning bigints into strings, without one.
  const canonical = JSON.stringify({ ...r, amountFen: r.amountFen === null ? null : r.amountFen.toString() });
  return sha256(canonical);
}
