import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { badInput, conflict } from '../common/errors';
import { expectVersion, updateVersioned } from '../database/locks';
import { RawInsert } from '../database/raw-insert';
import { rawExec } from '../database/raw-sql';
import { rawTable } from '../database/raw-table';
import type { Transactions } from '../database/transaction';
import { IncidentClockEntity } from '../escalation/incident-clock.entity';
import { modeOf, shiftBy } from '../escalation/sla-clock';
import { formatFen } from '../money/money';
import type { RuleSetService } from '../rulesets/rule-set.service';
import type { RuleEngine } from '../rules/rule-engine';
import type { Decision } from '../rules/types';
import { IncidentActionEntity, openActionRow } from './incident-action.entity';
import { IncidentDecisionEntity } from './incident-decision.entity';
import { IncidentEntity } from './incident.entity';
import { IncidentEventEntity } from './incident-event.entity';
import type { AmendIncidentInput } from './incident-lifecycle.objects';
import { factsOfReport } from './incident.mapper';
import type { IncidentReader, IncidentView } from './incident.reader';
import { REFUNDS_COMMITTED_SQL } from './incident.statements';
import { toStoredDecision } from './incident.types';
import { LIMITS, text } from '../common/text-input';
import { checkFact, factsOf, NormalizedReport } from './incident.validation';
import { FactDeclaration, FACTS } from '../rules/facts';
import type { TriageEventBus } from '../events/triage-events';
import { planActions } from './amendment-plan';
import type { RepeatIncidentsFact } from './repeat-incidents.fact';
import { writeHistory } from '../history/history.writer';

/** The report as stored with the incident: amounts as fen strings, with the computed fact. */
type StoredReport = Omit<NormalizedReport, 'amountFen'> & { amountFen: string | null; repeatIncidents30d?: number };

/** What an amendment changed, for the history entry, the incident.amended event and the incidentAmended event's handlers. */
export interface Amendment {
  at: Date;
  actor: string;
  note: string;
  /** fact → [before, after] (amounts as yuan strings). */
  changed: Record<string, [unknown, unknown]>;
  fromSeverity: string;
  fromOwnerDepartment: string;
  fromNotifyDepartments: string[];
  added: Array<{ code: string; dueAt: Date | null }>;
  reopened: Array<{ code: string; dueAt: Date | null }>;
  withdrawn: string[];
  /** The decision's number in Incident.decisions (1 = at the report). */
  seq: number;
}

/**
 * amendIncident (the policy, "actions over the incident's life"): new or corrected facts on an
 * incident that is not CLOSED are decided again by the active pack, on the merged facts, with
 * the repeat count as of the original report. The new decision's severity, owner and notify set
 * become the incident's; its actions are planned by `planActions`; the acknowledge and resolve
 * deadlines are counted again from the report for the new severity, moved by the time the
 * incident's clock was paused. All in one transaction that holds the incident row (MySQL) from
 * its first read: of two concurrent amendments the second reads the first's result, so an
 * `expectedVersion` both gave is CONFLICT for the second, and nothing is lost either way.
 * An amendment that changes no fact is a no-op answered with the incident as it is — a retry
 * after a lost answer — whatever version it expected: no history entry, no event.
 */
export class IncidentAmendService {
  private readonly actionRows: RawInsert<IncidentActionEntity>;
  private readonly decisionRows: RawInsert<IncidentDecisionEntity>;

  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly rules: RuleSetService,
    private readonly reader: IncidentReader,
    private readonly clock: Clock,
    private readonly repeatFact: RepeatIncidentsFact,
    private readonly events: TriageEventBus,
  ) {
    this.actionRows = new RawInsert(ds, IncidentActionEntity);
    this.decisionRows = new RawInsert(ds, IncidentDecisionEntity);
  }

  async amend(actor: Actor, input: AmendIncidentInput): Promise<IncidentView> {
    const note = text('input.note', input.note, LIMITS.note, true)!;
    // What can be checked without the incident is checked before it is read.
    for (const d of FACTS.amendable) {
      if (d.input!.kind !== 'code' && d.input!.kind !== 'yuan')
        checkFact(d, `input.${d.name}`, (input as unknown as Record<string, unknown>)[d.name], null, null);
    }
    const { engine } = this.rules.current();
    // The answer is the incident as this transaction left it (its row as written, its actions read last), not read again after the commit.
    return this.tx.run(async (em) => {
      const incident = await this.reader.entityFor(em, actor, String(input.id)); // locked: the incident row first
      if (incident.status === 'CLOSED') throw conflict(`incident ${incident.id} is CLOSED: its facts can no longer be amended`, { field: 'input.id' });
      const before = incident.report as unknown as StoredReport;
      const after = merged(before, input, engine, incident.category);
      const changed = changes(before, after);
      if (!Object.keys(changed).length) return this.reader.viewOf(em, incident);
      expectVersion('incident', incident, input.expectedVersion, 'input.expectedVersion');
      const now = this.clock.now();
      await this.checkRefunds(em, incident, after.amountFen);
      const decision = await this.decide(em, engine, incident, after, now);
      const amended = await this.apply(
        em,
        actor,
        incident,
        after as unknown as Record<string, unknown>,
        decision,
        { at: now, actor: actor.name, note, changed },
        engine,
      );
      return this.reader.viewOf(em, amended);
    });
  }

  /** The incident's live refunds must still fit in a corrected amount. */
  private async checkRefunds(em: EntityManager, incident: IncidentEntity, amountFen: string | null): Promise<void> {
    const [row] = (await rawExec(em, REFUNDS_COMMITTED_SQL, [incident.id, 'CANCELLED'])) as Array<{ total: string | number }>;
    const committed = BigInt(String(row?.total ?? 0).split('.')[0]);
    if (committed > 0n && (amountFen === null || BigInt(amountFen) < committed)) {
      throw badInput('input.amount', `the incident's refunds come to ${formatFen(committed)}; its amount cannot be less`);
    }
  }

  private decide(em: EntityManager, engine: RuleEngine, incident: IncidentEntity, r: StoredReport, now: Date): Promise<Decision> {
    // Object.assign, not a spread: V8 (Node 20) adds each key written after a leading spread slowly (microseconds each).
    const report = Object.assign({}, r, { amountFen: r.amountFen === null ? null : BigInt(r.amountFen) }) as NormalizedReport;
    // The repeat count as of the original report: an amendment corrects that incident, it is not a new one.
    // Read on the transaction's connection, which holds the incident row.
    const asOfReport = { repeatIncidents30d: (customerId: string) => this.repeatFact.repeatIncidents30d(customerId, incident.reportedAt, em) };
    return engine.decide(
      Object.assign({}, factsOf(report), { customerId: incident.customerId, reportedAt: now, occurredAt: incident.occurredAt ?? incident.reportedAt }),
      { now, dynamicFacts: asOfReport },
    );
  }

  private async apply(
    em: EntityManager,
    actor: Actor,
    incident: IncidentEntity,
    report: Record<string, unknown>,
    d: Decision,
    a: Pick<Amendment, 'at' | 'actor' | 'note' | 'changed'>,
    engine: RuleEngine,
  ): Promise<IncidentEntity> {
    const now = a.at;
    // Plain statements (RawTable, RawInsert) throughout: TypeORM's builders and hydration cost an amendment more CPU than its SQL.
    const actions = rawTable(this.ds, IncidentActionEntity);
    const stored = await actions.find(em, { incidentId: incident.id }, { order: { position: 'ASC' } });
    const plan = planActions(stored, d.actions);
    for (const k of plan.keep) if (k.moved) await actions.update(em, { dueAt: k.dueAt, retainUntil: k.retainUntil }, { id: k.id });
    for (const r of plan.reopen) {
      await actions.update(
        em,
        { status: 'OPEN', done: false, reason: null, doneAt: null, doneBy: null, dueAt: r.dueAt, retainUntil: r.retainUntil },
        { id: r.id },
      );
    }
    const reason = `no longer required after the amendment: ${a.note}`.slice(0, LIMITS.note);
    for (const w of plan.withdraw) await actions.update(em, { status: 'WITHDRAWN', done: true, reason, doneBy: actor.name }, { id: w.id });
    let position = stored.reduce((m, x) => Math.max(m, x.position), -1);
    await this.actionRows.run(
      em,
      plan.add.map((x) => openActionRow(incident.id, x.code, ++position, x.dueAt, x.retainUntil)),
    );

    const clocks = await this.deadlines(em, incident, d, engine);
    const decision: Decision = Object.assign({}, d, { acknowledgeBy: clocks.acknowledgeBy, resolveBy: clocks.resolveBy });
    const seq = await this.keepDecisions(em, incident, decision, a);
    const amendment: Amendment = {
      at: a.at,
      actor: a.actor,
      note: a.note,
      changed: a.changed,
      fromSeverity: incident.severity,
      fromOwnerDepartment: incident.ownerDepartment,
      fromNotifyDepartments: incident.decision.notifyDepartments,
      added: plan.add.map((x) => ({ code: x.code, dueAt: x.dueAt })),
      reopened: plan.reopen.map((x) => ({ code: x.code, dueAt: x.dueAt })),
      withdrawn: plan.withdraw.map((x) => x.code),
      seq,
    };
    await writeHistory(em, {
      entity: 'INCIDENT',
      subjectId: incident.id,
      at: now,
      actor: actor.name,
      kind: 'AMENDED',
      note: a.note,
      detail: {
        changed: a.changed,
        fromSeverity: incident.severity,
        toSeverity: d.severity,
        fromOwnerDepartment: incident.ownerDepartment,
        toOwnerDepartment: d.ownerDepartment,
        added: amendment.added.map((x) => x.code),
        reopened: amendment.reopened.map((x) => x.code),
        withdrawn: amendment.withdrawn,
        kept: plan.keep.map((x) => x.code),
        decision: seq,
        ruleSetVersion: d.ruleSetVersion,
      },
    });

    const amountFen = report.amountFen === null || report.amountFen === undefined ? null : BigInt(report.amountFen as string);
    const set: Partial<IncidentEntity> = {
      subtype: (report.subtype as string | null) ?? null,
      severity: d.severity,
      ownerDepartment: d.ownerDepartment,
      policeReportRequired: d.policeReportRequired,
      amountFen,
      report: Object.assign({}, report, { repeatIncidents30d: d.facts?.repeatIncidents30d ?? report.repeatIncidents30d ?? 0 }),
      acknowledgeBy: clocks.acknowledgeBy,
      resolveBy: clocks.resolveBy,
      ruleSetVersion: d.ruleSetVersion,
      decision: toStoredDecision(decision, { decidedAt: now }),
      amendedAt: now,
    };
    const written = await updateVersioned(em, IncidentEntity, 'incident', incident, set, now, 'input.expectedVersion');
    // After the row is written, so what its handlers read in this transaction is the amended incident.
    const amended = Object.assign(new IncidentEntity(), incident, written);
    await this.events.publish(em, 'incidentAmended', { incident: amended, amendment });
    await this.events.publish(em, 'incidentChanged', { before: incident, after: amended });
    return amended;
  }

  /**
   * The acknowledge and resolve deadlines for the new severity, counted from the report as if it
   * had been reported so, then moved by the time the incident's clock was paused (each in its
   * own mode). A deadline already met (acknowledged, resolved) stays as it was.
   */
  private async deadlines(
    em: EntityManager,
    incident: IncidentEntity,
    d: Decision,
    engine: RuleEngine,
  ): Promise<{ acknowledgeBy: Date | null; resolveBy: Date | null }> {
    const deadline = engine.pack.catalog.deadlines[d.severity];
    const clock = await rawTable(this.ds, IncidentClockEntity).findOne(em, { incidentId: incident.id });
    const paused = { wallMs: clock?.pausedMs ?? 0, workingMs: clock?.pausedWorkingMs ?? 0 };
    const derive = (span: typeof deadline.acknowledge | undefined) => {
      const due = span ? engine.calendar.addDuration(incident.reportedAt, span) : null;
      return due && shiftBy(engine.calendar, due, modeOf(span), paused);
    };
    const acknowledging = incident.status === 'OPEN' && !incident.acknowledgedAt;
    const resolving = incident.status === 'OPEN' || incident.status === 'ACKNOWLEDGED';
    return {
      acknowledgeBy: acknowledging ? derive(deadline?.acknowledge) : incident.acknowledgeBy,
      resolveBy: resolving ? derive(deadline?.resolve) : incident.resolveBy,
    };
  }

  /** Appends the new decision to the incident's decisions (the one at the report first, on the first amendment); its seq. */
  private async keepDecisions(em: EntityManager, incident: IncidentEntity, d: Decision, a: Pick<Amendment, 'at' | 'actor' | 'note'>): Promise<number> {
    const last = await rawTable(this.ds, IncidentDecisionEntity).findOne(em, { incidentId: incident.id }, { order: { seq: 'DESC' } });
    let seq = last?.seq ?? 0;
    if (!last) {
      const reported = await rawTable(this.ds, IncidentEventEntity).findOne(em, { incidentId: incident.id, kind: 'REPORTED' }, { order: { id: 'ASC' } });
      await this.decisionRows.run(em, [
        {
          incidentId: incident.id,
          seq: ++seq,
          decidedAt: incident.reportedAt,
          kind: 'REPORTED',
          actor: reported?.actor ?? incident.source,
          note: null,
          ruleSetVersion: incident.decision.ruleSetVersion,
          decision: Object.assign({}, incident.decision, { decidedAt: incident.reportedAt.toISOString(), facts: factsOfReport(incident.report) as never }),
        },
      ]);
    }
    await this.decisionRows.run(em, [
      {
        incidentId: incident.id,
        seq: ++seq,
        decidedAt: a.at,
        kind: 'AMENDED',
        actor: a.actor,
        note: a.note,
        ruleSetVersion: d.ruleSetVersion,
        decision: toStoredDecision(d, { decidedAt: a.at, facts: true }),
      },
    ]);
    return seq;
  }
}

/** The stored report with the amended facts (facts.ts: `amendable`) laid over it (a fact left out, or null, stays), then the description. */
function merged(before: StoredReport, input: AmendIncidentInput, engine: RuleEngine, category: string): StoredReport {
  const catalog = engine.pack.catalog;
  const out = { ...before } as Record<string, unknown>;
  const given = input as unknown as Record<string, unknown>;
  for (const d of FACTS.amendable) {
    if (given[d.name] == null) continue;
    const checked = checkFact(d, `input.${d.name}`, given[d.name], catalog, category);
    out[storedKey(d)] = typeof checked === 'bigint' ? checked.toString() : checked;
  }
  if (input.description != null) out.description = text('input.description', input.description, LIMITS.description);
  return out as StoredReport;
}

/** Where the stored report keeps an amendable fact (amount: amountFen). */
const storedKey = (d: FactDeclaration) => d.stored ?? d.name;

/** The amendable facts, then the description, that differ, as [before, after] by fact name; amounts in yuan. */
function changes(before: StoredReport, after: StoredReport): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const yuan = (v: unknown) => (v === null || v === undefined ? null : formatFen(v as string));
  const b4 = before as unknown as Record<string, unknown>;
  const now = after as unknown as Record<string, unknown>;
  for (const [name, key, money] of [
    ...FACTS.amendable.map((d) => [d.name, storedKey(d), d.input?.kind === 'yuan'] as const),
    ['description', 'description', false] as const,
  ]) {
    const b = b4[key] ?? null;
    const a = now[key] ?? null;
    if (b === a) continue;
    out[name] = money ? [yuan(b), yuan(a)] : [b, a];
  }
  return out;
}
