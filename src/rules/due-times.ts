/**
 * Due times for one engine: each Duration of the pack checked once and turned into a function of
 * the report time, instead of the calendar reading the Duration's keys on every call.
 *
 * - immediate, minutes and hours are wall-clock arithmetic (the calendar's own expressions);
 * - workingHours and workingDays are the calendar's working span (BusinessCalendar.workingSpan:
 *   its walk over the working days, remembered per local day of the report), shared by every
 *   Duration of the same span, each remembering its last answer: a decision asks for the same
 *   span from the same report time more than once (a catalog due time and a deadline);
 * - anything else (a bad Duration) is the calendar's addDuration itself, errors and all.
 *
 * Answers equal BusinessCalendar.addDuration's for every Duration (due-times.spec.ts). The
 * catalog's Durations are read when the engine is built (the engine's pack is taken as built);
 * a rule's own due is remembered by identity only when frozen, as prepareRules leaves them.
 */
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { DueClock } from './decision-plans';
import type { Catalog, Duration } from './types';

type DueFunction = (from: Date) => Date | null;

const MINUTE_MS = 60_000;

export class DueTimes implements DueClock {
  private readonly byDuration = new Map<Duration, DueFunction>();
  private readonly frozen = new WeakMap<Duration, DueFunction>();
  /** Working spans by `key:value`, one walk cache each. */
  private readonly workingSpans = new Map<string, DueFunction>();

  constructor(private readonly calendar: BusinessCalendar, catalog: Pick<Catalog, 'actions' | 'deadlines'> & Partial<Pick<Catalog, 'immediately'>>) {
    // The catalog's `immediately` is what every action due "immediately" counts (decision-plans' actionSpan).
    if (catalog.immediately) this.byDuration.set(catalog.immediately, this.compile(catalog.immediately));
    for (const action of Object.values(catalog.actions)) if (action.due) this.byDuration.set(action.due, this.compile(action.due));
    for (const deadline of Object.values(catalog.deadlines)) {
      if (!deadline) continue;
      this.byDuration.set(deadline.acknowledge, this.compile(deadline.acknowledge));
      this.byDuration.set(deadline.resolve, this.compile(deadline.resolve));
    }
  }

  beyondKnownHolidays(at: Date): boolean {
    return this.calendar.beyondKnownHolidays(at);
  }

  addDuration(from: Date, d: Duration): Date | null {
    return this.dueOf(d)(from);
  }

  /** `d` as a function of the report time: addDuration(from, d) is dueOf(d)(from). */
  dueOf(d: Duration): DueFunction {
    let due = this.byDuration.get(d) ?? this.frozen.get(d);
    if (due === undefined) {
      due = this.compile(d);
      if (d !== null && typeof d === 'object' && Object.isFrozen(d)) this.frozen.set(d, due);
    }
    return due;
  }

  private compile(d: Duration): DueFunction {
    const calendar = this.calendar;
    const fallback: DueFunction = (from) => calendar.addDuration(from, d);
    if (d === null || typeof d !== 'object') return fallback;
    const source = d as Record<string, unknown>;
    const keys = Object.keys(source).filter((k) => source[k] !== undefined);
    if (keys.length !== 1) return fallback;
    const [key] = keys;
    const value = source[key];
    if (key === 'immediate' && value === true) return (from) => new Date(from.getTime());
    if (key === 'afterResolution' && value === true) return () => null;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return fallback;
    if (key === 'minutes') {
      const ms = value * MINUTE_MS;
      return (from) => new Date(from.getTime() + ms);
    }
    if (key === 'hours') {
      const ms = value * 60 * MINUTE_MS;
      return (from) => new Date(from.getTime() + ms);
    }
    if (key !== 'workingHours' && key !== 'workingDays') return fallback;
    const span = `${key}:${value}`;
    let walk = this.workingSpans.get(span);
    if (!walk) {
      // addWorkingDays(from, n) is addWorkingHours(from, n × workingDayHours): the same product here.
      const hours = key === 'workingDays' ? value * calendar.workingDayHours : value;
      // addWorkingHours' rounding, done once; the walk answers in ms, and lastAnswer makes the one Date.
      const ms = Math.round(hours * 60) * MINUTE_MS;
      walk = lastAnswer(calendar.workingSpan(ms));
      this.workingSpans.set(span, walk);
    }
    return walk;
  }
}

/** `due` remembering its last answer (a copy each time: a decision owns its Dates). */
function lastAnswer(due: (from: Date) => number): DueFunction {
  let lastFrom = Number.NaN;
  let lastDue = 0;
  return (from) => {
    const at = from.getTime();
    if (at !== lastFrom) {
      lastDue = due(from);
      lastFrom = at;
    }
    return new Date(lastDue);
  };
}
