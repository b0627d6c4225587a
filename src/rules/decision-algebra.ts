/**
 * The decision algebra: how the events of fired rules combine into a decision. Pure — no
 * engine, no I/O; the calendar comes in as a `DueClock`.
 *
 * Events are folded in rule order (stage, then pack order). Invariants:
 * - severity = max of `severity` events (GENERAL when none) + the sum of `escalate` levels,
 *   capped at CRITICAL; recomputed after each stage so the next stage reads it;
 * - owner = the `owner` event of highest rank (ties: the first), else the catalog default;
 * - notify = union of `notify` departments minus the owner, in catalog order;
 * - actions = union by code (the earliest due wins), in catalog order; "immediately" is the
 *   catalog's `immediately` after the report (default 5 minutes); an action counted from the
 *   resolution has no due time yet;
 * - refundSteps = the highest-rank `refundChain` (ties: the first), then `insertRefundStep`s;
 * - remedies = the highest-rank `remedies` event's kinds, preferred first (ties: the first).
 */
import type { Catalog, DecidedAction, Decision, Duration, Facts, FiredRule, RuleEvent, Severity } from './types';
import { SEVERITIES } from './types';
import { ActionPlan, actionPlan, CatalogOrder, DeadlinePlan, deadlinePlan, DecisionPlans, DueClock, Positions, positionsOf } from './decision-plans';

/** What the stages so far decided: the events in fold order and the facts later stages read. */
export interface PartialDecision {
  events: RuleEvent[];
  severity: Severity;
  ownerDepartment: string;
}

const rankOf = (s: Severity) => SEVERITIES.indexOf(s);

/** Nothing decided yet: GENERAL, owned by the catalog's default owner. */
export function emptyDecision(catalog: Pick<Catalog, 'defaultOwner'>): PartialDecision {
  return { events: [], severity: 'GENERAL', ownerDepartment: catalog.defaultOwner };
}

/** Adds one stage's fired events (in rule order) and recomputes severity and owner. */
export function applyStage(partial: PartialDecision, events: RuleEvent[], catalog: Pick<Catalog, 'defaultOwner'>): PartialDecision {
  const all = [...partial.events, ...events];
  return { events: all, severity: foldSeverity(all), ownerDepartment: foldOwner(all, catalog.defaultOwner) };
}

/** Max of the `severity` events (GENERAL when none), raised by `escalate` levels, capped at CRITICAL. */
export function foldSeverity(events: RuleEvent[]): Severity {
  let level = 0;
  let escalation = 0;
  for (const e of events) {
    if (e.type === 'severity') level = Math.max(level, rankOf(e.params.level));
    else if (e.type === 'escalate') escalation += e.params.levels;
  }
  return SEVERITIES[Math.min(level + escalation, SEVERITIES.length - 1)];
}

/** The `owner` event with the highest rank (ties: the first), else `defaultOwner`. */
export function foldOwner(events: RuleEvent[], defaultOwner: string): string {
  let best: string | undefined;
  let bestRank = 0;
  for (const e of events) {
    if (e.type !== 'owner') continue;
    const rank = e.params.rank ?? 0;
    if (best === undefined || rank > bestRank) {
      best = e.params.department;
      bestRank = rank;
    }
  }
  return best ?? defaultOwner;
}

/** The union of `notify` departments without the owner, ordered as `departmentOrder`. */
export function foldNotify(events: RuleEvent[], owner: string, departmentOrder: readonly string[] | Positions): string[] {
  // A list, not a Set: a decision notifies a few departments (first mention first, then sorted).
  const wanted: string[] = [];
  // Index loops: for-of over the frozen department lists allocated an iterator here.
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.type !== 'notify') continue;
    const { departments } = e.params;
    for (let k = 0; k < departments.length; k++) {
      const d = departments[k];
      if (d !== owner && !wanted.includes(d)) wanted.push(d);
    }
  }
  if (wanted.length > 1) sortByPositions(wanted, departmentOrder);
  return wanted;
}

/**
 * One action per code, due at `reportedAt` + the event's due (or the catalog's); when two
 * events ask for one code the earliest due wins (a null due — after resolution — is latest).
 * An action the catalog counts from the resolution (`dueFrom: RESOLVED`) has no due time yet and
 * keeps its span for then. `retainUntil` counts `retainDays` from `occurredAt` when known, else
 * from `reportedAt`. Ordered as `catalog.actions`.
 */
export function foldActions(
  events: RuleEvent[], catalog: Pick<Catalog, 'actions' | 'immediately'>, reportedAt: Date, clock: DueClock, occurredAt?: Date | null, order?: Positions,
): DecidedAction[] {
  return foldActionPlans(events, catalog, reportedAt, clock, occurredAt, order, undefined, []);
}

/** foldActions, with each action's plan put in `chosen` at the action's index (two lists side by side: no pair per action). */
function foldActionPlans(
  events: RuleEvent[],
  catalog: Pick<Catalog, 'actions' | 'immediately'>,
  reportedAt: Date,
  clock: DueClock,
  occurredAt: Date | null | undefined,
  order: Positions | undefined,
  plans: ReadonlyMap<RuleEvent, ActionPlan> | undefined,
  chosen: ActionPlan[],
): DecidedAction[] {
  // Lists, not a Map by code: a decision has a few actions. A code keeps the place it was first asked for.
  const actions: DecidedAction[] = [];
  let positions = order;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.type !== 'action') continue;
    const plan = plans?.get(e) ?? actionPlan(e, catalog, clock, (positions ??= positionsOf(Object.keys(catalog.actions))));
    const { code, span, fromResolution } = plan;
    const dueAt = fromResolution ? null : plan.due(reportedAt);
    let at = 0;
    while (at < actions.length && actions[at].code !== code) at++;
    if (at < actions.length) {
      // Spans counted from the resolution compare as if counted from the report: the shorter wins.
      const wins = fromResolution ? earlier(clock.addDuration(reportedAt, span), clock.addDuration(reportedAt, chosen[at].span)) : earlier(dueAt, actions[at].dueAt);
      if (!wins) continue;
    }
    const retainUntil = plan.retainMs === undefined ? undefined : new Date((occurredAt ?? reportedAt).getTime() + plan.retainMs);
    actions[at] = decidedAction(code, dueAt, fromResolution ? span : undefined, retainUntil);
    chosen[at] = plan;
  }
  if (actions.length > 1) sortByPlans(actions, chosen);
  return actions;
}

/**
 * An action with only the keys it has, in one order (code, dueAt, dueAfterResolution, retainUntil):
 * one object literal per shape. Properties added one by one would give shapes that die with the
 * decisions, and every full collection would then throw away the folds' optimised code.
 */
function decidedAction(code: string, dueAt: Date | null, dueAfterResolution: Duration | undefined, retainUntil: Date | undefined): DecidedAction {
  if (dueAfterResolution === undefined) return retainUntil === undefined ? { code, dueAt } : { code, dueAt, retainUntil };
  return retainUntil === undefined ? { code, dueAt, dueAfterResolution } : { code, dueAt, dueAfterResolution, retainUntil };
}

/**
 * The refund chain: the steps of the highest-rank `refundChain` event (ties: the first), or
 * `fallback` when none fired; then each `insertRefundStep` whose `after` is in the chain.
 * An empty chain means no refund is expected and stays empty.
 */
export function foldRefundSteps(events: RuleEvent[], fallback?: string[]): string[] {
  let best: string[] | undefined;
  let bestRank = 0;
  let inserts = false;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.type === 'insertRefundStep') inserts = true;
    if (e.type !== 'refundChain') continue;
    const rank = e.params.rank ?? 0;
    if (best === undefined || rank > bestRank) {
      best = e.params.steps;
      bestRank = rank;
    }
  }
  const from = best ?? fallback;
  const chain = from === undefined ? [] : [...from];
  if (!inserts) return chain;
  for (const e of events) {
    if (e.type !== 'insertRefundStep' || chain.length === 0 || chain.includes(e.params.step)) continue;
    const at = chain.indexOf(e.params.after);
    if (at !== -1) chain.splice(at + 1, 0, e.params.step);
  }
  return chain;
}

/** The remedy kinds of the highest-rank `remedies` event (ties: the first); empty when none fired. */
export function foldRemedies(events: RuleEvent[]): string[] {
  let best: string[] | undefined;
  let bestRank = 0;
  for (const e of events) {
    if (e.type !== 'remedies') continue;
    const rank = e.params.rank ?? 0;
    if (best === undefined || rank > bestRank) {
      best = e.params.kinds;
      bestRank = rank;
    }
  }
  return best === undefined ? [] : [...best];
}

/** Everything `finishDecision` needs besides the folded events. */
export interface DecisionContext {
  catalog: Pick<Catalog, 'actions' | 'departments' | 'deadlines' | 'defaultOwner' | 'immediately'>;
  clock: DueClock;
  reportedAt: Date;
  /** When it happened, if the report says: evidence retention counts from it. */
  occurredAt?: Date | null;
  /** The catalog's orders, when the caller keeps them (else read from the catalog). */
  order?: CatalogOrder;
  /** The pack's plans, when the caller keeps them (else each action planned as met, each deadline read). */
  plans?: DecisionPlans;
  ruleSetVersion: string;
  firedRules: FiredRule[];
  facts?: Facts;
}

/** The final decision from all stages' events. */
export function finishDecision(partial: PartialDecision, ctx: DecisionContext): Decision {
  const { events, severity, ownerDepartment } = partial;
  const { catalog, clock, reportedAt } = ctx;
  const chosen: ActionPlan[] = [];
  const actions = foldActionPlans(events, catalog, reportedAt, clock, ctx.occurredAt, ctx.order?.actions, ctx.plans?.actions, chosen);
  const deadline = ctx.plans ? ctx.plans.deadlines.get(severity) : deadlinePlan(catalog.deadlines[severity], clock);
  let policeReportRequired = false;
  for (const a of actions) if (a.code === 'POLICE_REPORT') policeReportRequired = true;
  const notifyDepartments = foldNotify(events, ownerDepartment, ctx.order?.departments ?? Object.keys(catalog.departments));
  const refundSteps = foldRefundSteps(events);
  const remedies = foldRemedies(events);
  const acknowledgeBy = deadline ? deadline.acknowledge(reportedAt) : null;
  const resolveBy = deadline ? deadline.resolve(reportedAt) : null;
  const { ruleSetVersion, firedRules, facts } = ctx;
  const beyond = beyondCalendar(clock, actions, chosen, acknowledgeBy, resolveBy, deadline);
  // One object literal per shape, as decidedAction's: a decision has its facts when given, beyondCalendar when any.
  if (!facts) {
    const decision: Decision = {
      severity, ownerDepartment, notifyDepartments, actions, policeReportRequired, refundSteps, remedies, acknowledgeBy, resolveBy, ruleSetVersion, firedRules,
    };
    if (beyond) decision.beyondCalendar = beyond;
    return decision;
  }
  if (beyond === undefined) {
    return { severity, ownerDepartment, notifyDepartments, actions, policeReportRequired, refundSteps, remedies, acknowledgeBy, resolveBy, ruleSetVersion, firedRules, facts };
  }
  return {
    severity, ownerDepartment, notifyDepartments, actions, policeReportRequired, refundSteps, remedies, acknowledgeBy, resolveBy, ruleSetVersion, firedRules, facts,
    beyondCalendar: beyond,
  };
}

/**
 * What was counted in working time past the last date the calendar knows holidays for: those
 * due times may fall on a holiday nobody has entered yet (a Spring Festival counted as work).
 * Undefined when nothing was (most decisions: no list is made).
 */
function beyondCalendar(
  clock: DueClock,
  actions: DecidedAction[],
  chosen: ActionPlan[],
  acknowledgeBy: Date | null,
  resolveBy: Date | null,
  deadline: DeadlinePlan | undefined,
): string[] | undefined {
  if (!clock.beyondKnownHolidays) return undefined;
  let out: string[] | undefined;
  for (let i = 0; i < actions.length; i++) {
    const at = actions[i].dueAt;
    if (at && chosen[i].working && clock.beyondKnownHolidays(at)) (out ??= []).push(actions[i].code);
  }
  if (acknowledgeBy && deadline!.acknowledgeWorking && clock.beyondKnownHolidays(acknowledgeBy)) (out ??= []).push('acknowledgeBy');
  if (resolveBy && deadline!.resolveWorking && clock.beyondKnownHolidays(resolveBy)) (out ??= []).push('resolveBy');
  return out;
}

function earlier(a: Date | null, b: Date | null): boolean {
  if (a === null) return false;
  return b === null || a.getTime() < b.getTime();
}

/**
 * Sorts `codes` in place by their positions in `order` (codes not in it: after every position),
 * stably. An insertion sort reading the positions as it compares: a decision sorts a few codes,
 * and no list of keys is made for them.
 */
function sortByPositions(codes: string[], order: readonly string[] | Positions): void {
  const positions = Array.isArray(order) ? positionsOf(order) : (order as Positions);
  const last = Array.isArray(order) ? order.length : Number.MAX_SAFE_INTEGER;
  for (let i = 1; i < codes.length; i++) {
    const code = codes[i];
    const key = positions.get(code) ?? last;
    let j = i - 1;
    for (; j >= 0 && (positions.get(codes[j]) ?? last) > key; j--) codes[j + 1] = codes[j];
    codes[j + 1] = code;
  }
}

/**
 * Sorts `actions` in place by their plans' positions in the catalog order, stably, moving
 * `plans` (the list beside it, one plan per action) the same way: an insertion sort, a decision
 * has a few actions.
 */
function sortByPlans(actions: DecidedAction[], plans: ActionPlan[]): void {
  for (let i = 1; i < plans.length; i++) {
    const plan = plans[i];
    const action = actions[i];
    let j = i - 1;
    for (; j >= 0 && plans[j].position > plan.position; j--) {
      plans[j + 1] = plans[j];
      actions[j + 1] = actions[j];
    }
    plans[j + 1] = plan;
    actions[j + 1] = action;
  }
}
