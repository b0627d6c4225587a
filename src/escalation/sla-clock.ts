import type { Duration } from '../rules/types';

/**
 * Clock arithmetic on the business calendar. Pure: the calendar is passed in.
 *
 * A clock runs from a start to a due time. A clock whose target was given in working hours or
 * working days runs in working time ("working" mode); the others (minutes, hours, immediate) on
 * the wall clock. A pause moves a due time later by the time paused, counted the way the clock
 * counts: pausing over a weekend moves a working-days deadline by nothing, a 4-hour deadline by
 * the whole weekend.
 */
export type ClockMode = 'wall' | 'working';

/** What the arithmetic needs of BusinessCalendar. */
export interface WorkingCalendar {
  addWorkingHours(from: Date, hours: number): Date;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export function modeOf(d: Duration | null | undefined): ClockMode {
  return d && (d.workingHours !== undefined || d.workingDays !== undefined) ? 'working' : 'wall';
}

/**
 * Working time from `a` to `b` in ms, to the minute (as the calendar counts): the largest m
 * with addWorkingHours(a, m minutes) ≤ b, by bisection, since that is monotonic in m.
 */
export function workingMsBetween(calendar: WorkingCalendar, a: Date, b: Date): number {
  if (b.getTime() <= a.getTime()) return 0;
  const reaches = (m: number) => calendar.addWorkingHours(a, m / 60).getTime() <= b.getTime();
  if (!reaches(0)) return 0;
  let lo = 0;
  let hi = Math.ceil((b.getTime() - a.getTime()) / MINUTE_MS);
  if (reaches(hi)) return hi * MINUTE_MS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (reaches(mid)) lo = mid;
    else hi = mid;
  }
  return lo * MINUTE_MS;
}

/** How long a pause from `pausedAt` to `resumedAt` lasted, on the wall clock and in working time. */
export interface PauseSpan {
  wallMs: number;
  workingMs: number;
}

export function pauseSpan(calendar: WorkingCalendar, pausedAt: Date, resumedAt: Date): PauseSpan {
  return { wallMs: Math.max(0, resumedAt.getTime() - pausedAt.getTime()), workingMs: workingMsBetween(calendar, pausedAt, resumedAt) };
}

/** `at` moved later by a span, counted in the clock's mode. */
export function shiftBy(calendar: WorkingCalendar, at: Date, mode: ClockMode, span: PauseSpan): Date {
  if (mode === 'wall') return new Date(at.getTime() + span.wallMs);
  return span.workingMs > 0 ? calendar.addWorkingHours(at, span.workingMs / HOUR_MS) : new Date(at.getTime());
}

/**
 * When a clock from `start` to `due` warns: once `warnAt` (0 < warnAt < 1) of its target has
 * passed, in the clock's mode. Never after `due`.
 */
export function warnTime(calendar: WorkingCalendar, start: Date, due: Date, mode: ClockMode, warnAt: number): Date {
  if (due.getTime() <= start.getTime()) return new Date(due.getTime());
  if (mode === 'wall') return new Date(start.getTime() + Math.floor(warnAt * (due.getTime() - start.getTime())));
  const target = workingMsBetween(calendar, start, due);
  const at = calendar.addWorkingHours(start, (warnAt * target) / HOUR_MS);
  return at.getTime() > due.getTime() ? new Date(due.getTime()) : at;
}
