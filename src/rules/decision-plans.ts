/**
 * What a pack's decisions read of its catalog and calendar, prepared once per pack: the
 * catalog's orders as positions, each action event's plan (its catalog entry, its span as a due
 * function of the report time, retention, position) and each severity's deadlines. Pure; the
 * decision algebra (decision-algebra.ts) folds with them, and plans an event it was not given
 * the same way as it meets it.
 */
import type { Catalog, Duration, RuleEvent } from './types';

/** Turns a catalog Duration into a due time (the business calendar implements it). */
export interface DueClock {
  addDuration(from: Date, d: Duration): Date | null;
  /** `d` as a function of the report time, when the clock prepares Durations (addDuration(from, d) = dueOf(d)(from)). */
  dueOf?(d: Duration): (from: Date) => Date | null;
  /** Is this instant past the last date the calendar's holidays are known for? (absent: never) */
  beyondKnownHolidays?(at: Date): boolean;
}

/** "Immediately", when the catalog does not say: 5 minutes after the report (the default). */
export const DEFAULT_IMMEDIATELY: Duration = Object.freeze({ minutes: 5 });

/** The span an action's due time counts: `{ immediate: true }` is the catalog's `immediately`. */
export function actionSpan(d: Duration, catalog: Pick<Catalog, 'immediately'>): Duration {
  return d.immediate === true ? (catalog.immediately ?? DEFAULT_IMMEDIATELY) : d;
}

export const isWorkingSpan = (d: Duration) => d.workingDays !== undefined || d.workingHours !== undefined;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Positions in a catalog order (the first one of a repeated code), for sorting without indexOf. */
export type Positions = ReadonlyMap<string, number>;

/** The catalog's orders as positions, computed once per pack (a decision sorts by them). */
export interface CatalogOrder {
  actions: Positions;
  departments: Positions;
}

export function positionsOf(order: readonly string[]): Positions {
  const positions = new Map<string, number>();
  order.forEach((code, i) => {
    if (!positions.has(code)) positions.set(code, i);
  });
  return positions;
}

export function catalogOrder(catalog: Pick<Catalog, 'actions' | 'departments'>): CatalogOrder {
  return { actions: positionsOf(Object.keys(catalog.actions)), departments: positionsOf(Object.keys(catalog.departments)) };
}

/** What the fold reads of one `action` event: the catalog's entry read and its span made a function, once per pack (actionPlans). */
export interface ActionPlan {
  code: string;
  /** The span its due time counts (actionSpan of the event's due, else the catalog's). */
  span: Duration;
  /** clock.addDuration(from, span), prepared. */
  due: (from: Date) => Date | null;
  /** The catalog counts it from the resolution: no due time yet. */
  fromResolution: boolean;
  /** How long evidence is kept, in ms (the catalog's retainDays), if it is. */
  retainMs: number | undefined;
  /** Its place in the catalog's order. */
  position: number;
  /** Is its span counted in working time (a due time that may fall past the calendar's known holidays)? */
  working: boolean;
}

/** A severity's deadline: its two Durations as functions of the report time, and whether each counts working time. */
export interface DeadlinePlan {
  acknowledge: (from: Date) => Date | null;
  resolve: (from: Date) => Date | null;
  acknowledgeWorking: boolean;
  resolveWorking: boolean;
}

/** What a pack's decisions read of its catalog and calendar, prepared once per pack (decisionPlans). */
export interface DecisionPlans {
  /** Action events (by identity) → their plans. */
  actions: ReadonlyMap<RuleEvent, ActionPlan>;
  /** Severity → its deadline's plan (none for a severity without a deadline). */
  deadlines: ReadonlyMap<string, DeadlinePlan>;
}

/**
 * The plans of `events`' actions and of the catalog's deadlines, for a pack whose events and
 * catalog are taken as built (its rules' frozen events). The fold plans any other event as it
 * meets it, the same way.
 */
export function decisionPlans(
  events: Iterable<RuleEvent>, catalog: Pick<Catalog, 'actions' | 'deadlines' | 'immediately'>, clock: DueClock, order: Positions,
): DecisionPlans {
  const actions = new Map<RuleEvent, ActionPlan>();
  for (const e of events) {
    if (e.type !== 'action' || actions.has(e)) continue;
    // An event the catalog cannot plan (no such action) is left to the fold, which fails on it as it always did.
    if (catalog.actions[e.params.code] == null) continue;
    actions.set(e, actionPlan(e, catalog, clock, order));
  }
  const deadlines = new Map<string, DeadlinePlan>();
  for (const [severity, deadline] of Object.entries(catalog.deadlines)) {
    const plan = deadlinePlan(deadline, clock);
    if (plan) deadlines.set(severity, plan);
  }
  return { actions, deadlines };
}

/** A severity's deadline planned; undefined when it has none. */
export function deadlinePlan(deadline: { acknowledge: Duration; resolve: Duration } | undefined, clock: DueClock): DeadlinePlan | undefined {
  if (!deadline) return undefined;
  const { acknowledge, resolve } = deadline;
  return {
    acknowledge: dueOf(clock, acknowledge),
    resolve: dueOf(clock, resolve),
    acknowledgeWorking: !!acknowledge && isWorkingSpan(acknowledge),
    resolveWorking: !!resolve && isWorkingSpan(resolve),
  };
}

/** clock.addDuration(from, d) as a function of `from`. */
function dueOf(clock: DueClock, d: Duration): (from: Date) => Date | null {
  return clock.dueOf ? clock.dueOf(d) : (from: Date) => clock.addDuration(from, d);
}

/** One action event's plan, its catalog entry read in the order the fold always read it. */
export function actionPlan(e: Extract<RuleEvent, { type: 'action' }>, catalog: Pick<Catalog, 'actions' | 'immediately'>, clock: DueClock, order: Positions): ActionPlan {
  const code = e.params.code;
  const entry = catalog.actions[code];
  const span = actionSpan(e.params.due ?? entry.due, catalog);
  const fromResolution = entry.dueFrom === 'RESOLVED';
  const retainMs = entry.retainDays === undefined ? undefined : entry.retainDays * DAY_MS;
  const due = dueOf(clock, span);
  const working = !!span && isWorkingSpan(span);
  return { code, span, due, fromResolution, retainMs, position: order.get(code) ?? Number.MAX_SAFE_INTEGER, working };
}

