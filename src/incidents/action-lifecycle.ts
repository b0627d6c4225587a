import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { AppError, badInput, conflict } from '../common/errors';
import { rawTable } from '../database/raw-table';
import { checkEvidence } from '../escalation/action-evidence';
import { BreachEntity } from '../escalation/breach.entity';
import type { RuleSetService } from '../rulesets/rule-set.service';
import type { Catalog, Duration, SettlingWork } from '../rules/types';
import { RemedyEntity } from '../remedies/remedy.entity';
import { IncidentActionEntity } from './incident-action.entity';
import type { IncidentEntity } from './incident.entity';
import type { IncidentStatus } from './incident.types';
import { type IncidentHistoryKind, writeHistory } from '../history/history.writer';

/**
 * How far before the incident (its `occurredAt`, else the report) a `doneAt` may lie: the
 * clocks of the caller and of whoever noted the time disagree by a few minutes.
 */
export const DONE_AT_TOLERANCE_MS = 5 * 60_000;

/** What a completion says beyond the code. */
export interface Completion {
  note: string | null;
  evidence?: unknown;
  /** When it was really done (the 119 call before it was recorded); default now. */
  doneAt?: Date | null;
}

/**
 * The life of an incident's required actions (the policy, "actions over the incident's life"):
 * completed by hand or by the work that fulfils them, waived, due from the resolution, and
 * holding up RESOLVED and CLOSED while open. Every method works inside the caller's transaction
 * on an incident the caller has read (and locked, on MySQL); the caller bumps its version.
 */
export class ActionLifecycle {
  constructor(private readonly rules: RuleSetService) {}

  /** Marks an action DONE at `doneAt`. Null (nothing to change) when it is DONE already: an ERP may retry. */
  async complete(em: EntityManager, actor: Actor, incident: IncidentEntity, code: string, c: Completion, now: Date): Promise<Record<string, never> | null> {
    const action = await this.actionOf(em, incident, code);
    if (action.status === 'DONE') return null;
    if (action.status !== 'OPEN') throw conflict(`${code} is ${action.status}: it is no longer to be done`, { field: 'code', status: action.status });
    if (incident.status === 'CLOSED') throw conflict('the incident is CLOSED');
    const doneAt = checkDoneAt(c.doneAt ?? null, incident, now);
    const { engine } = this.rules.current();
    // The day evidence must be kept to is a day of the business calendar (its time zone), as the error says.
    const checked = checkEvidence(
      code,
      engine.pack.catalog.actions[code],
      c.evidence,
      action.retainUntil ? engine.calendar.localDate(action.retainUntil) : null,
      engine.calendar.timeZone,
    );
    await this.settle(em, action, { status: 'DONE', doneAt, doneBy: actor.name, note: c.note, evidence: checked }, now);
    await history(em, incident.id, now, actor.name, 'ACTION_COMPLETED', c.note, {
      code,
      doneAt: doneAt.toISOString(),
      late: lateOf(action.dueAt, doneAt),
      ...(checked ? { evidence: checked } : {}),
    });
    return {};
  }

  /** Records that an action is not needed here (CS_LEAD, ADMIN). Null when it is WAIVED already (a retry). */
  async waive(em: EntityManager, actor: Actor, incident: IncidentEntity, code: string, reason: string, now: Date): Promise<Record<string, never> | null> {
    const action = await this.actionOf(em, incident, code);
    if (action.status === 'WAIVED') return null;
    if (action.status !== 'OPEN') throw conflict(`${code} is ${action.status}: only an open action can be waived`, { field: 'code', status: action.status });
    if (incident.status === 'CLOSED') throw conflict('the incident is CLOSED');
    await this.settle(em, action, { status: 'WAIVED', doneAt: now, doneBy: actor.name, reason }, now);
    await history(em, incident.id, now, actor.name, 'ACTION_WAIVED', reason, { code, late: lateOf(action.dueAt, now) });
    return {};
  }

  /**
   * Settles the incident's open actions the catalog says `work` settles (REFUND_PAID: REFUND),
   * DONE now with `evidence`. Returns the codes settled; the caller bumps the incident's version
   * when there are any. Closed incidents are left as they are.
   */
  async settleBy(
    em: EntityManager,
    incident: Pick<IncidentEntity, 'id' | 'status'>,
    work: SettlingWork,
    evidence: Record<string, string>,
    actorName: string,
    now: Date,
  ): Promise<string[]> {
    if (incident.status === 'CLOSED') return [];
    const catalog = this.rules.current().engine.pack.catalog;
    const codes = Object.entries(catalog.actions)
      .filter(([, a]) => a.settledBy === work)
      .map(([code]) => code);
    if (!codes.length) return [];
    const open = (await em.find(IncidentActionEntity, { where: { incidentId: incident.id, status: 'OPEN' } })).filter((a) => codes.includes(a.code));
    for (const action of open) {
      await this.settle(em, action, { status: 'DONE', doneAt: now, doneBy: actorName, note: null, evidence }, now);
      await history(em, incident.id, now, actorName, 'ACTION_COMPLETED', null, {
        code: action.code,
        settledBy: work,
        evidence,
        doneAt: now.toISOString(),
        late: lateOf(action.dueAt, now),
      });
    }
    return open.map((a) => a.code);
  }

  /**
   * Before a status change: RESOLVED needs every open action settled but those counted from
   * the resolution (SATISFACTION_SURVEY), CLOSED needs all settled; else ACTIONS_OUTSTANDING
   * naming them. On RESOLVED the actions counted from the resolution become due; reopened,
   * they have no due time again.
   */
  async beforeStatusChange(em: EntityManager, incident: IncidentEntity, to: IncidentStatus, now: Date): Promise<void> {
    if (to !== 'RESOLVED' && to !== 'CLOSED' && to !== 'OPEN') return;
    const { engine } = this.rules.current();
    const catalog = engine.pack.catalog;
    const open = await em.find(IncidentActionEntity, { where: { incidentId: incident.id, status: 'OPEN' }, order: { position: 'ASC' } });
    const afterResolution = (a: IncidentActionEntity) => resolutionSpan(catalog, incident, a.code) !== undefined;
    if (to === 'OPEN') {
      for (const a of open) if (afterResolution(a) && a.dueAt) await em.update(IncidentActionEntity, { id: a.id }, { dueAt: null });
      return;
    }
    const outstanding = open.filter((a) => to === 'CLOSED' || !afterResolution(a)).map((a) => a.code);
    // A remedy in progress (货物售后) holds the incident open too: named as `remedy:<id>`.
    const remedies = await em.find(RemedyEntity, {
      where: { incidentId: incident.id, status: 'IN_PROGRESS' },
      order: { id: 'ASC' },
      select: { id: true, kind: true },
    });
    outstanding.push(...remedies.map((r) => `remedy:${r.id}`));
    if (outstanding.length) {
      throw new AppError(
        'ACTIONS_OUTSTANDING',
        `the incident cannot be ${to} while ${outstanding.join(', ')} ${outstanding.length === 1 ? 'is' : 'are'} open: complete or waive ${outstanding.length === 1 ? 'it' : 'them'} first`,
        {
          field: 'status',
          outstanding,
          ...(remedies.length ? { remedies: remedies.map((r) => ({ id: String(r.id), kind: r.kind })) } : {}),
        },
      );
    }
    if (to !== 'RESOLVED') return;
    for (const a of open) {
      const span = resolutionSpan(catalog, incident, a.code);
      if (span === undefined || a.dueAt) continue;
      const due = span === null ? null : engine.calendar.addDuration(now, span);
      if (due) await em.update(IncidentActionEntity, { id: a.id }, { dueAt: due });
    }
  }

  private async actionOf(em: EntityManager, incident: IncidentEntity, code: string): Promise<IncidentActionEntity> {
    const actions = await rawTable(em.connection, IncidentActionEntity).find(em, { incidentId: incident.id }, { order: { position: 'ASC' } });
    const action = actions.find((a) => a.code === code);
    if (!action) {
      const allowed = actions.map((a) => a.code);
      throw badInput('code', `this incident requires no action "${code}"; its actions are ${allowed.join(', ') || 'none'}`, { allowed });
    }
    return action;
  }

  /**
   * Writes the settlement. Settled by its due time, an action never counts as breached: a breach
   * the scheduler recorded before the caller said it was done in time is settled at once.
   */
  private async settle(em: EntityManager, action: IncidentActionEntity, set: Partial<IncidentActionEntity>, now: Date): Promise<void> {
    // Plain statements (RawTable): completing an action is a hot write, and TypeORM's update builder cost more CPU than these.
    await rawTable(em.connection, IncidentActionEntity).update(em, Object.assign({}, set, { done: true }), { id: action.id });
    if (set.status === 'DONE' && action.dueAt && set.doneAt && set.doneAt.getTime() <= action.dueAt.getTime()) {
      await rawTable(em.connection, BreachEntity).update(
        em,
        { settledAt: now, nextEscalationAt: null },
        { subjectType: 'ACTION', subjectId: action.id, settledAt: null },
      );
    }
  }
}

/**
 * The span of an action counted from the resolution: the one its decision kept, else the
 * catalog's; null for the old `afterResolution` (no clock at all); undefined when the action
 * counts from the report.
 */
export function resolutionSpan(catalog: Catalog, incident: Pick<IncidentEntity, 'decision'>, code: string): Duration | null | undefined {
  const decided = incident.decision?.actions?.find((a) => a.code === code)?.dueAfterResolution;
  if (decided) return decided;
  const entry = catalog.actions[code];
  if (entry?.dueFrom === 'RESOLVED') return entry.due;
  if (entry?.due?.afterResolution === true) return null;
  return undefined;
}

/** Done or waived after its due time (or open past it); null while open and not yet due, or without a due time. */
export function lateOf(dueAt: Date | null, settledAt: Date | null, now?: Date): boolean | null {
  if (!dueAt) return null;
  if (settledAt) return settledAt.getTime() > dueAt.getTime();
  return now && now.getTime() > dueAt.getTime() ? true : null;
}

/** A `doneAt` given by the caller: not in the future, not before the incident (minus the tolerance). */
export function checkDoneAt(doneAt: Date | null, incident: Pick<IncidentEntity, 'occurredAt' | 'reportedAt'>, now: Date): Date {
  if (!doneAt) return now;
  if (Number.isNaN(doneAt.getTime())) throw badInput('doneAt', 'is not a date-time');
  if (doneAt.getTime() > now.getTime()) throw badInput('doneAt', `${doneAt.toISOString()} is in the future (now ${now.toISOString()})`);
  const start = incident.occurredAt ?? incident.reportedAt;
  const earliest = new Date(start.getTime() - DONE_AT_TOLERANCE_MS);
  if (doneAt.getTime() < earliest.getTime()) {
    throw badInput(
      'doneAt',
      `${doneAt.toISOString()} is before the incident ${incident.occurredAt ? 'occurred' : 'was reported'} (${start.toISOString()}); at most ${DONE_AT_TOLERANCE_MS / 60_000} minutes earlier is accepted`,
      {
        minimum: earliest.toISOString(),
      },
    );
  }
  return doneAt;
}

/** An entry of the incident's history (the one history writer). */
function history(
  em: EntityManager,
  incidentId: number,
  at: Date,
  actor: string,
  kind: IncidentHistoryKind,
  note: string | null,
  detail: Record<string, unknown>,
): Promise<void> {
  return writeHistory(em, { entity: 'INCIDENT', subjectId: incidentId, at, actor, kind, note, detail });
}
