import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock';
import { isUniqueViolation } from '../database/errors';
import { rawParams } from '../database/raw-params';
import { lockIncidentRow } from '../database/locks';
import { rawNumber } from '../database/raw-values';
import type { Transactions } from '../database/transaction';
import type { StoredDecision } from '../incidents/incident.types';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { RuleSetService } from '../rulesets/rule-set.service';
import type { Catalog, EscalationRung } from '../rules/types';
import type { WebhookOutbox } from '../webhooks/webhook-outbox';
import type { TriageEventBus } from '../events/triage-events';
import type { WebhookEventType } from '../webhooks/webhook-events';
import { BreachEntity } from './breach.entity';
import { clockMode } from './clock-mode';
import { historyEntry, SCHEDULER_ACTOR } from './escalation.events';
import { ladderOf, nextEscalationAt, rungAbove, warnAtOf } from './escalation-ladder';
import { shiftBy, warnTime } from './sla-clock';
import { SlaWarningEntity } from './sla-warning.entity';
import { ClockRow, clockRow, SubjectSpec, SUBJECTS, subjectSpec } from './sla-subjects';
import { dueEscalationsSql, dueWarnableSql, overdueSql, runningSql, settleableSql, warnableSql } from './escalation.statements';
import { Poller } from '../jobs/poller';

export interface EscalationTickResult {
  warnings: number;
  breaches: number;
  escalations: number;
  /** Breaches whose subject was done after all: no further escalation. */
  settled: number;
}

type EscalateOutcome = 'escalated' | 'settled' | 'none';

/**
 * The escalation scheduler, inside the service: every `intervalMs` it
 * 1. records each running clock past its due time as a breach, once (`sla.breached`),
 * 2. settles each breach whose subject got done (it stops climbing and no longer counts as open),
 *    then climbs the others one rung of the catalog's ladder when the rung is due (`incident.escalated`),
 * 3. warns once per clock when `warnAt` of its target has passed (`sla.warning`).
 *
 * A deadline missed longer than the lookback before the scheduler first sees it (a database
 * that had incidents before this feature, a long outage) is not breached: no flood of stale
 * escalations.
 *
 * Safe with several instances on one database: every mark is its own transaction that locks
 * the incident row (MySQL), re-reads the clock, and then either inserts under a unique key
 * (breach, warning: a second instance gets a duplicate-key error and moves on) or climbs with a
 * conditional `UPDATE … WHERE level = <the level read>` (of two instances exactly one changes
 * the row). On SQLite transactions run one at a time. History entries and outbox events are
 * written in the same transaction as the mark.
 */
export class EscalationScheduler {
  /** The poll loop (jobs/poller.ts) that runs the pass every intervalMs. */
  readonly poller: Poller;

  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly rules: RuleSetService,
    private readonly outbox: WebhookOutbox,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly intervalMs: number,
    /** Deadlines missed longer ago than this are history, not news: not breached (0: no limit). */
    private readonly lookbackMs: number,
    private readonly batch = 200,
    /** breachRecorded in each breach's transaction; escalationTicked after each pass. */
    private readonly events: TriageEventBus,
  ) {
    this.poller = new Poller({ name: 'escalation', intervalMs, log });
    this.poller.queues.push({ name: 'escalation', poll: () => this.timedPass() });
  }

  /**
   * Further work each pass does first, after the clocks' rows are prepared (drills inject their
   * due steps here): one poller for every timed thing. Each returns how much it did; a failure is
   * logged and the pass goes on.
   */
  readonly passSteps: Array<(now: Date) => Promise<number>> = [];

  /** Starts ticking every intervalMs (0: never; ticks are then run by hand, as the tests do). */
  start(): void {
    this.poller.start();
  }

  /** Stops ticking and waits for a tick under way. */
  async stop(): Promise<void> {
    await this.poller.stop();
  }

  /** One pass over every clock. Ticks of one instance run one after the other (the poller's exclusive runs). */
  tick(): Promise<EscalationTickResult> {
    return this.poller.runExclusive(() => this.passAndTell());
  }

  private async passAndTell(): Promise<EscalationTickResult> {
    const r = await this.pass();
    this.events.emit('escalationTicked', r);
    return r;
  }

  /** The poller's pass (already exclusive): logged, never thrown. */
  private async timedPass(): Promise<void> {
    try {
      const r = await this.passAndTell();
      if (r.breaches || r.escalations || r.warnings) this.log.info(r, 'escalation tick');
    } catch (e) {
      this.log.error({ err: e }, 'escalation tick failed');
    }
  }

  private async pass(): Promise<EscalationTickResult> {
    const now = this.clock.now();
    const { engine } = this.rules.current();
    const catalog = engine.pack.catalog;
    const calendar = engine.calendar;
    const ladder = ladderOf(catalog);
    const result: EscalationTickResult = { warnings: 0, breaches: 0, escalations: 0, settled: 0 };
    const oldest = new Date(this.lookbackMs > 0 ? now.getTime() - this.lookbackMs : 0);

    for (const spec of SUBJECTS) if (spec.prepare) await this.guard(() => spec.prepare!(this.ds, now, calendar));
    for (const step of this.passSteps) await this.guard(() => step(now));

    for (const spec of SUBJECTS.filter(breaches)) {
      const rows: Array<Record<string, unknown>> = await this.ds.query(overdueSql(spec, this.batch), rawParams(this.ds, [now, oldest]));
      for (const r of rows) {
        if (await this.guard(() => this.recordBreach(spec, clockRow(spec, r), now, ladder, calendar))) result.breaches++;
      }
    }

    for (const spec of SUBJECTS.filter(breaches)) {
      const done: Array<{ id: unknown; incident_id: unknown }> = await this.ds.query(settleableSql(spec, this.batch));
      for (const b of done) {
        if (await this.guard(() => this.settle(rawNumber(b.id), incidentIdOf(b.incident_id), now))) result.settled++;
      }
    }

    const due: Array<{ id: unknown; incident_id: unknown }> = await this.ds.query(dueEscalationsSql(this.batch), rawParams(this.ds, [now]));
    for (const b of due) {
      const outcome = await this.guard(() => this.escalate(rawNumber(b.id), incidentIdOf(b.incident_id), now, ladder, calendar, catalog));
      if (outcome === 'escalated') result.escalations++;
      if (outcome === 'settled') result.settled++;
    }

    const warnAt = warnAtOf(catalog);
    for (const spec of SUBJECTS.filter(breaches)) {
      const rows: Array<Record<string, unknown>> = await this.ds.query(warnableSql(spec, this.batch), rawParams(this.ds, [now]));
      for (const r of rows) {
        const c = clockRow(spec, r);
        const at = this.warnsAt(spec, c, catalog, calendar, warnAt);
        if (at && at.getTime() <= now.getTime() && (await this.guard(() => this.recordWarning(spec, c, now)))) result.warnings++;
      }
    }
    // Clocks that warn when their due time passes, instead of breaching.
    for (const spec of SUBJECTS.filter((s) => !breaches(s))) {
      const rows: Array<Record<string, unknown>> = await this.ds.query(dueWarnableSql(spec, this.batch), rawParams(this.ds, [now, oldest]));
      for (const r of rows) {
        if (await this.guard(() => this.recordWarning(spec, clockRow(spec, r), now))) result.warnings++;
      }
    }
    return result;
  }

  /** Runs one mark; a failure is logged and skipped so that one bad row does not stop the pass. */
  private async guard<T>(work: () => Promise<T>): Promise<T | false> {
    try {
      return await work();
    } catch (e) {
      if (isUniqueViolation(e)) return false; // another instance recorded it first
      this.log.error({ err: e }, 'escalation: a mark failed');
      return false;
    }
  }

  /** Re-reads the clock under the incident lock: still running, unpaused, and past (or before) due. */
  private async recheck(em: EntityManager, spec: SubjectSpec, subjectId: number): Promise<ClockRow | null> {
    const [row] = await em.query(runningSql(spec), rawParams(this.ds, [subjectId]));
    if (!row) return null;
    const c = clockRow(spec, row);
    return spec.pausable && c.pausedAt ? null : c;
  }

  private async recordBreach(
    spec: SubjectSpec,
    candidate: ClockRow,
    now: Date,
    ladder: readonly EscalationRung[],
    calendar: BusinessCalendar,
  ): Promise<boolean> {
    return this.tx.run(async (em) => {
      await lockIncidentRow(em, candidate.incidentId);
      const c = await this.recheck(em, spec, candidate.subjectId);
      if (!c || c.dueAt.getTime() > now.getTime()) return false;
      const row: Omit<BreachEntity, 'id'> = {
        subjectType: c.subjectType,
        subjectId: c.subjectId,
        kind: c.kind,
        incidentId: c.incidentId,
        refundId: c.refundId,
        code: c.code,
        dueAt: c.dueAt,
        detectedAt: now,
        level: 0,
        escalatedTo: null,
        escalatedAt: null,
        nextEscalationAt: nextEscalationAt(ladder, 0, now, calendar),
        settledAt: null,
      };
      const inserted = await em.insert(BreachEntity, row as QueryDeepPartialEntity<BreachEntity>);
      const breachId = Number(inserted.identifiers[0].id);
      const data = { ...subjectData(c), breachId: String(breachId), detectedAt: now.toISOString() };
      if (c.incidentId !== null) await historyEntry(em, c.incidentId, now, SCHEDULER_ACTOR, 'SLA_BREACHED', null, data);
      await this.event(em, 'sla.breached', c, now, data);
      if (c.incidentId !== null) await this.events.publish(em, 'breachRecorded', { incidentId: c.incidentId });
      return true;
    });
  }

  private async escalate(
    id: number,
    incidentId: number | null,
    now: Date,
    ladder: readonly EscalationRung[],
    calendar: BusinessCalendar,
    catalog: Catalog,
  ): Promise<EscalateOutcome> {
    return this.tx.run(async (em): Promise<EscalateOutcome> => {
      // The lock first, so that what is read next is what committed before it (MySQL).
      await lockIncidentRow(em, incidentId);
      const b = await em.findOneBy(BreachEntity, { id });
      if (!b || b.settledAt || !b.nextEscalationAt || b.nextEscalationAt.getTime() > now.getTime()) return 'none';
      const spec = subjectSpec(b.subjectType, b.kind);
      const [row] = spec ? await em.query(runningSql(spec), rawParams(this.ds, [b.subjectId])) : [];
      const gate = (set: Partial<BreachEntity>) =>
        em
          .createQueryBuilder()
          .update(BreachEntity)
          .set(set as QueryDeepPartialEntity<BreachEntity>)
          .where('id = :id AND level = :level AND settled_at IS NULL', { id, level: b.level })
          .execute();
      if (!spec || !row) {
        const res = await gate({ settledAt: now, nextEscalationAt: null });
        return res.affected ? 'settled' : 'none';
      }
      const c = clockRow(spec, row);
      if (spec.pausable && c.pausedAt) return 'none'; // waits for the customer: resumes after the pause
      const rung = rungAbove(ladder, b.level);
      if (!rung) {
        await gate({ nextEscalationAt: null });
        return 'none';
      }
      const res = await gate({
        level: rung.level,
        escalatedTo: rung.department,
        escalatedAt: now,
        nextEscalationAt: nextEscalationAt(ladder, rung.level, now, calendar),
      });
      if (!res.affected) return 'none'; // another instance climbed this rung
      const data = {
        ...subjectData(c),
        breachId: String(b.id),
        level: rung.level,
        escalatedTo: rung.department,
        escalatedToLabel: catalog.departments[rung.department] ?? null,
        breachedAt: b.detectedAt.toISOString(),
      };
      if (c.incidentId !== null) await historyEntry(em, c.incidentId, now, SCHEDULER_ACTOR, 'ESCALATED', null, data);
      await this.event(em, 'incident.escalated', c, now, data);
      return 'escalated';
    });
  }

  /** Settles one breach whose subject is done, unless it runs again or another instance did it. */
  private async settle(id: number, incidentId: number | null, now: Date): Promise<boolean> {
    return this.tx.run(async (em) => {
      await lockIncidentRow(em, incidentId);
      const b = await em.findOneBy(BreachEntity, { id });
      if (!b || b.settledAt) return false;
      const spec = subjectSpec(b.subjectType, b.kind);
      const [row] = spec ? await em.query(runningSql(spec), rawParams(this.ds, [b.subjectId])) : [];
      if (row) return false;
      const res = await em
        .createQueryBuilder()
        .update(BreachEntity)
        .set({ settledAt: now, nextEscalationAt: null } as QueryDeepPartialEntity<BreachEntity>)
        .where('id = :id AND settled_at IS NULL', { id })
        .execute();
      return !!res.affected;
    });
  }

  private async recordWarning(spec: SubjectSpec, candidate: ClockRow, now: Date): Promise<boolean> {
    return this.tx.run(async (em) => {
      await lockIncidentRow(em, candidate.incidentId);
      const c = await this.recheck(em, spec, candidate.subjectId);
      // A clock warns before its due time, or (onDue 'warn') once it has passed.
      if (!c || c.dueAt.getTime() <= now.getTime() === breaches(spec)) return false;
      const row: Omit<SlaWarningEntity, 'id'> = {
        subjectType: c.subjectType,
        subjectId: c.subjectId,
        kind: c.kind,
        incidentId: c.incidentId,
        dueAt: c.dueAt,
        warnedAt: now,
      };
      await em.insert(SlaWarningEntity, row as QueryDeepPartialEntity<SlaWarningEntity>);
      const data = { ...subjectData(c), warnedAt: now.toISOString() };
      if (c.incidentId !== null) await historyEntry(em, c.incidentId, now, SCHEDULER_ACTOR, 'SLA_WARNING', null, data);
      await this.event(em, 'sla.warning', c, now, data);
      return true;
    });
  }

  /** When a running clock warns; null when it cannot be computed (logged). */
  private warnsAt(spec: SubjectSpec, c: ClockRow, catalog: Catalog, calendar: BusinessCalendar, warnAt: number): Date | null {
    try {
      const decision = c.decision ? (JSON.parse(c.decision) as StoredDecision) : null;
      const mode = clockMode(catalog, calendar, { ...c, decision });
      // Time paused earlier moved the due time; the start moves with it, so the target stays whole.
      const start = spec.pausable ? shiftBy(calendar, c.startAt, mode, { wallMs: c.pausedMs, workingMs: c.pausedWorkingMs }) : c.startAt;
      return warnTime(calendar, start, c.dueAt, mode, warnAt);
    } catch (e) {
      this.log.warn({ err: e, subject: subjectData(c) }, 'escalation: cannot compute a warning time');
      return null;
    }
  }

  private event(em: EntityManager, type: WebhookEventType, c: ClockRow, at: Date, data: Record<string, unknown>): Promise<string> {
    return this.outbox.add(em, { type, incidentId: c.incidentId, source: c.source, at, data }, { incidentLocked: true });
  }
}

/** Whether passing the due time breaches (else it warns: SubjectSpec.onDue). */
function breaches(spec: SubjectSpec): boolean {
  return spec.onDue !== 'warn';
}

function incidentIdOf(v: unknown): number | null {
  return v === null || v === undefined ? null : rawNumber(v);
}

/** What every sla.* and incident.escalated event says about its clock. */
function subjectData(c: ClockRow): Record<string, unknown> {
  return {
    ...c.detail,
    incidentId: c.incidentId === null ? null : String(c.incidentId),
    source: c.source,
    drill: c.drill,
    subject: { type: c.subjectType, id: String(c.subjectId), kind: c.kind, code: c.code, refundId: c.refundId === null ? null : String(c.refundId) },
    dueAt: c.dueAt.toISOString(),
  };
}
