import type { DataSource, EntityManager } from 'typeorm';
import { In } from 'typeorm';
import type { Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { conflict } from '../common/errors';
import { updateVersioned } from '../database/locks';
import type { Transactions } from '../database/transaction';
import { IncidentEntity } from '../incidents/incident.entity';
import { IncidentActionEntity } from '../incidents/incident-action.entity';
import type { IncidentReader, IncidentView } from '../incidents/incident.reader';
import { LIMITS, text } from '../common/text-input';
import type { RuleSetService } from '../rulesets/rule-set.service';
import type { TriageEventBus } from '../events/triage-events';
import { BreachEntity } from './breach.entity';
import { clockMode } from './clock-mode';
import { historyEntry } from './escalation.events';
import { IncidentClockEntity } from './incident-clock.entity';
import { pauseSpan, shiftBy } from './sla-clock';

/**
 * Pausing an incident's clock while it waits on the customer. While paused, none
 * of the incident's deadlines (acknowledge, resolve, its actions' due times) breaches or warns;
 * on resume each open one moves later by the time paused, counted the way that deadline counts
 * (wall clock, or working time on the business calendar). Both are changes of the incident:
 * they bump its version and write its history (CLOCK_PAUSED / CLOCK_RESUMED).
 */
export class IncidentClockService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly rules: RuleSetService,
    private readonly reader: IncidentReader,
    private readonly clock: Clock,
    /** incidentChanged for each change of the incident's row, in its transaction. */
    private readonly events: TriageEventBus,
  ) {}

  /** The clock row of an incident, or null when it was never paused. */
  /** The clocks of several incidents at once (an incident never paused has none). */
  async states(incidentIds: number[]): Promise<Map<number, IncidentClockEntity>> {
    const rows = incidentIds.length ? await this.ds.manager.find(IncidentClockEntity, { where: { incidentId: In(incidentIds) } }) : [];
    return new Map(rows.map((c) => [c.incidentId, c]));
  }

  async state(incidentId: number): Promise<IncidentClockEntity | null> {
    return this.ds.manager.findOneBy(IncidentClockEntity, { incidentId });
  }

  async pause(actor: Actor, id: string, reason: string): Promise<IncidentView> {
    const why = text('reason', reason, LIMITS.note, true)!;
    // The answer is the incident as this transaction left it, not read again after the commit.
    return this.tx.run(async (em) => {
      const incident = await this.reader.entityFor(em, actor, id); // locked: the incident row first
      if (incident.status === 'CLOSED') throw conflict(`incident ${id} is CLOSED; its clock no longer runs`, { field: 'id' });
      const now = this.clock.now();
      const clock = await em.findOneBy(IncidentClockEntity, { incidentId: incident.id });
      if (clock?.pausedAt)
        throw conflict(`the clock of incident ${id} is already paused since ${clock.pausedAt.toISOString()}`, {
          field: 'id',
          pausedAt: clock.pausedAt.toISOString(),
        });
      const set = { pausedAt: now, pausedBy: actor.name, pauseReason: why };
      if (clock) await em.update(IncidentClockEntity, { incidentId: incident.id }, set);
      else await em.insert(IncidentClockEntity, { incidentId: incident.id, ...set, pausedMs: 0, pausedWorkingMs: 0, pauses: 0 });
      await historyEntry(em, incident.id, now, actor.name, 'CLOCK_PAUSED', why, { pausedAt: now.toISOString() });
      return this.bump(em, incident, now, {});
    });
  }

  async resume(actor: Actor, id: string): Promise<IncidentView> {
    return this.tx.run(async (em) => {
      const incident = await this.reader.entityFor(em, actor, id); // locked: the incident row first
      const clock = await em.findOneBy(IncidentClockEntity, { incidentId: incident.id });
      if (!clock?.pausedAt) throw conflict(`the clock of incident ${id} is not paused`, { field: 'id' });
      const now = this.clock.now();
      const { engine } = this.rules.current();
      const catalog = engine.pack.catalog;
      const calendar = engine.calendar;
      const span = pauseSpan(calendar, clock.pausedAt, now);
      const base = { severity: incident.severity, code: null, decision: incident.decision, startAt: incident.reportedAt };
      const set: Partial<IncidentEntity> = {};
      const open = incident.status === 'OPEN' || incident.status === 'ACKNOWLEDGED';
      if (incident.status === 'OPEN' && !incident.acknowledgedAt && incident.acknowledgeBy) {
        set.acknowledgeBy = shiftBy(
          calendar,
          incident.acknowledgeBy,
          clockMode(catalog, calendar, { ...base, subjectType: 'INCIDENT', kind: 'ACKNOWLEDGE' }),
          span,
        );
      }
      if (open && incident.resolveBy) {
        set.resolveBy = shiftBy(calendar, incident.resolveBy, clockMode(catalog, calendar, { ...base, subjectType: 'INCIDENT', kind: 'RESOLVE' }), span);
      }
      const moved: Record<string, string> = {};
      const actions = await em.find(IncidentActionEntity, { where: { incidentId: incident.id, done: false } });
      for (const a of actions) {
        if (!a.dueAt) continue;
        const due = shiftBy(calendar, a.dueAt, clockMode(catalog, calendar, { ...base, subjectType: 'ACTION', kind: 'DUE', code: a.code }), span);
        if (due.getTime() === a.dueAt.getTime()) continue;
        await em.update(IncidentActionEntity, { id: a.id }, { dueAt: due });
        moved[a.code] = due.toISOString();
      }
      // Escalations of the incident's own breaches waited too: their next rung moves by the pause.
      const waiting = await em.find(BreachEntity, { where: { incidentId: incident.id } });
      for (const b of waiting) {
        if (b.subjectType === 'REFUND_STEP' || b.subjectType === 'REMEDY_STEP' || b.settledAt || !b.nextEscalationAt) continue;
        await em.update(BreachEntity, { id: b.id }, { nextEscalationAt: new Date(b.nextEscalationAt.getTime() + span.wallMs) });
      }
      await em.update(
        IncidentClockEntity,
        { incidentId: incident.id },
        {
          pausedAt: null,
          pausedBy: null,
          pauseReason: null,
          pausedMs: clock.pausedMs + span.wallMs,
          pausedWorkingMs: clock.pausedWorkingMs + span.workingMs,
          pauses: clock.pauses + 1,
        },
      );
      await historyEntry(em, incident.id, now, actor.name, 'CLOCK_RESUMED', null, {
        pausedAt: clock.pausedAt.toISOString(),
        pausedMs: span.wallMs,
        pausedWorkingMs: span.workingMs,
        acknowledgeBy: set.acknowledgeBy?.toISOString() ?? null,
        resolveBy: set.resolveBy?.toISOString() ?? null,
        actions: moved,
      });
      return this.bump(em, incident, now, set);
    });
  }

  /** The incident through the version gate every incident change goes through (updateVersioned); the incident as this transaction left it. */
  private async bump(em: EntityManager, incident: IncidentEntity, now: Date, set: Partial<IncidentEntity>): Promise<IncidentView> {
    const written = await updateVersioned(em, IncidentEntity, 'incident', incident, set, now, 'id');
    const after = Object.assign(new IncidentEntity(), incident, written);
    await this.events.publish(em, 'incidentChanged', { before: incident, after });
    return this.reader.viewOf(em, after);
  }
}
