import type { BusinessCalendar } from './business-calendar';

/** Warn when the holidays a pack knows end sooner than this (a year's notice comes in November). */
export const HOLIDAY_WARNING_DAYS = 60;

/**
 * The warning `triage rules validate` prints and the service logs at startup when the pack's
 * holiday calendar runs out within HOLIDAY_WARNING_DAYS of `now` (or has run out): past that
 * date, deadlines counted in working days take every weekday as a working day, Spring Festival
 * included. Null when it reaches further, or the pack does not say how far it goes.
 */
export function holidayCoverageWarning(calendar: BusinessCalendar, now: Date): string | null {
  const left = calendar.daysOfHolidaysLeft(now);
  if (left === null || left >= HOLIDAY_WARNING_DAYS) return null;
  const when = left < 0 ? `${-left} days ago` : left === 0 ? 'today' : `in ${left} days`;
  return (
    `the holiday calendar is known until ${calendar.holidaysKnownUntil} (${when}): add the next year's holidays and 调休 workdays to catalog.json ` +
    '(calendar.holidays, calendar.workdays) and move calendar.holidaysKnownUntil; until then deadlines counted past it take every weekday as a working day'
  );
}
