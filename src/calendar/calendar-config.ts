import { DateTime, IANAZone } from 'luxon';
import type { BusinessCalendarConfig } from '../rules/types';

/*
 * A business calendar's configuration checked, and the formats it is written in: local dates
 * YYYY-MM-DD, months YYYY-MM, times of day HH:mm (business-calendar.ts counts with them).
 */

/** The calendar in the rule pack is unusable; `problems` names every fault found. */
export class CalendarConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid business calendar: ${problems.join('; ')}`);
    this.name = 'CalendarConfigError';
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Minutes since midnight of HH:mm. */
export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Parses a plain date. Date arithmetic is done in UTC so that no time-zone transition can
 * shift a calendar day; only opening and closing times are placed in the business zone.
 */
export function parseDate(localDate: string): DateTime {
  const d = typeof localDate === 'string' && DATE.test(localDate) ? DateTime.fromISO(localDate, { zone: 'utc' }) : null;
  if (!d?.isValid) throw new RangeError(`"${localDate}" is not a date YYYY-MM-DD`);
  return d;
}

/** Parses a month YYYY-MM (UTC, as dates are). */
export function parseMonth(month: string): DateTime {
  const d = typeof month === 'string' && MONTH.test(month) ? DateTime.fromFormat(month, 'yyyy-MM', { zone: 'utc' }) : null;
  if (!d?.isValid) throw new RangeError(`"${month}" is not a month YYYY-MM`);
  return d;
}

/** Every fault of a calendar configuration, in words (none: usable). */
export function checkConfig(config: BusinessCalendarConfig): string[] {
  const problems: string[] = [];
  if (typeof config.timeZone !== 'string' || !IANAZone.isValidZone(config.timeZone)) {
    problems.push(`unknown time zone "${config.timeZone}"`);
  }
  const { start, end } = config.workingHours ?? ({} as Partial<BusinessCalendarConfig['workingHours']>);
  const startOk = typeof start === 'string' && TIME.test(start);
  const endOk = typeof end === 'string' && TIME.test(end);
  if (!startOk) problems.push(`workingHours.start "${start}" is not HH:mm`);
  if (!endOk) problems.push(`workingHours.end "${end}" is not HH:mm`);
  if (startOk && endOk && minutesOf(start) >= minutesOf(end)) {
    problems.push(`workingHours.start ${start} must be before end ${end}`);
  }
  if (!Array.isArray(config.weekend)) problems.push('weekend must be a list of ISO weekdays');
  else for (const d of config.weekend) if (!Number.isInteger(d) || d < 1 || d > 7) problems.push(`weekend day ${d} is not 1..7`);
  if (config.holidaysKnownUntil !== undefined) {
    try {
      parseDate(config.holidaysKnownUntil);
    } catch {
      problems.push(`holidaysKnownUntil: "${config.holidaysKnownUntil}" is not a date YYYY-MM-DD`);
    }
  }
  for (const list of ['holidays', 'workdays'] as const) {
    const dates: unknown = config[list];
    if (!Array.isArray(dates)) {
      problems.push(`${list} must be a list of dates`);
      continue;
    }
    for (const d of dates) {
      try {
        parseDate(d as string);
      } catch {
        problems.push(`${list}: "${d}" is not a date YYYY-MM-DD`);
      }
    }
  }
  return problems;
}
