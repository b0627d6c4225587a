import { DateTime, IANAZone } from 'luxon';
import type { BusinessCalendarConfig, Duration } from '../rules/types';

export class CalendarConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid business calendar: ${problems.join('; ')}`);
    this.name = 'CalendarConfigError';
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The business calendar of POLICY.md §8: a time zone, working hours, weekends, holidays and
 * 调休 (weekend days that are working days). Pure: time is always passed in.
 *
 * Working time is counted in whole minutes inside working hours of working days. A working
 * day is the length of the working hours, so N working days = N × that many working hours:
 * 3 working days from Friday 15:00 is Wednesday 15:00; from Friday 20:00, 1 working day is
 * Monday 18:00.
 */
export class BusinessCalendar {
  readonly timeZone: string;
  private readonly startMin: number;
  private readonly endMin: number;
  private readonly weekend: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<string>;
  private readonly workdays: ReadonlySet<string>;

  constructor(config: BusinessCalendarConfig) {
    const problems: string[] = [];
    if (!IANAZone.isValidZone(config.timeZone)) problems.push(`unknown time zone "${config.timeZone}"`);
    const { start, end } = config.workingHours ?? ({} as { start: string; end: string });
    if (!TIME.test(start ?? '')) problems.push(`workingHours.start "${start}" is not HH:mm`);
    if (!TIME.test(end ?? '')) problems.push(`workingHours.end "${end}" is not HH:mm`);
    if (TIME.test(start ?? '') && TIME.test(end ?? '') && minutesOf(start) >= minutesOf(end)) problems.push('workingHours.start must be before end');
    for (const d of config.weekend ?? []) if (!Number.isInteger(d) || d < 1 || d > 7) problems.push(`weekend day ${d} is not 1..7`);
    for (const list of ['holidays', 'workdays'] as const) {
      for (const d of config[list] ?? []) {
        if (!DATE.test(d) || !DateTime.fromISO(d).isValid) problems.push(`${list}: "${d}" is not a date YYYY-MM-DD`);
      }
    }
    if (problems.length) throw new CalendarConfigError(problems);
    this.timeZone = config.timeZone;
    this.startMin = minutesOf(start);
    this.endMin = minutesOf(end);
    this.weekend = new Set(config.weekend);
    this.holidays = new Set(config.holidays);
    this.workdays = new Set(config.workdays);
  }

  /** Length of a working day in hours (9 for 09:00–18:00). */
  get workingDayHours(): number {
    return (this.endMin - this.startMin) / 60;
  }

  isWorkingDay(localDate: string): boolean {
    if (this.holidays.has(localDate)) return false;
    if (this.workdays.has(localDate)) return true;
    return !this.weekend.has(DateTime.fromISO(localDate, { zone: this.timeZone }).weekday);
  }

  isWorkingTime(at: Date): boolean {
    const local = this.local(at);
    const minute = local.hour * 60 + local.minute;
    return this.isWorkingDay(local.toISODate()!) && minute >= this.startMin && minute < this.endMin;
  }

  /** Adds working hours; counting starts at the next working period when `from` is outside one. */
  addWorkingHours(from: Date, hours: number): Date {
    if (!(hours >= 0)) throw new RangeError('working hours must be 0 or more');
    let remaining = Math.round(hours * 3_600_000);
    let day = this.local(from).startOf('day');
    let cursor = this.local(from);
    for (let guard = 0; guard < 3660; guard++) {
      if (this.isWorkingDay(day.toISODate()!)) {
        const open = day.plus({ minutes: this.startMin });
        const close = day.plus({ minutes: this.endMin });
        const begin = cursor > open ? cursor : open;
        if (begin <= close) {
          const available = close.toMillis() - begin.toMillis();
          if (remaining <= available) return new Date(begin.toMillis() + remaining);
          remaining -= available;
        }
      }
      day = day.plus({ days: 1 });
      cursor = day;
    }
    throw new RangeError('no working time within ten years: check the calendar');
  }

  addWorkingDays(from: Date, days: number): Date {
    return this.addWorkingHours(from, days * this.workingDayHours);
  }

  /** When a span ends counted from `from`; null for afterResolution (no clock). */
  addDuration(from: Date, d: Duration): Date | null {
    const keys = Object.keys(d ?? {}).filter((k) => (d as Record<string, unknown>)[k] !== undefined);
    if (keys.length !== 1) throw new RangeError(`a duration has exactly one of immediate, minutes, hours, workingHours, workingDays, afterResolution; got ${keys.join(', ') || 'none'}`);
    if (d.immediate) return new Date(from.getTime());
    if (d.afterResolution) return null;
    if (d.minutes !== undefined) return new Date(from.getTime() + d.minutes * 60_000);
    if (d.hours !== undefined) return new Date(from.getTime() + d.hours * 3_600_000);
    if (d.workingHours !== undefined) return this.addWorkingHours(from, d.workingHours);
    if (d.workingDays !== undefined) return this.addWorkingDays(from, d.workingDays);
    throw new RangeError(`unknown duration ${JSON.stringify(d)}`);
  }

  localDate(at: Date): string {
    return this.local(at).toISODate()!;
  }

  localMonth(at: Date): string {
    return this.local(at).toFormat('yyyy-MM');
  }

  nextWorkingDayOnOrAfter(localDate: string): string {
    let day = DateTime.fromISO(localDate, { zone: this.timeZone });
    for (let guard = 0; guard < 3660 && !this.isWorkingDay(day.toISODate()!); guard++) day = day.plus({ days: 1 });
    return day.toISODate()!;
  }

  /** A monthly report is due on the 1st of the next month, or the next working day after it. */
  monthDueDate(month: string): string {
    const first = DateTime.fromFormat(month, 'yyyy-MM', { zone: this.timeZone }).plus({ months: 1 });
    return this.nextWorkingDayOnOrAfter(first.toISODate()!);
  }

  /** The month's start (inclusive) and the next month's start (exclusive), as instants. */
  monthRange(month: string): { from: Date; to: Date } {
    const start = DateTime.fromFormat(month, 'yyyy-MM', { zone: this.timeZone });
    if (!start.isValid) throw new RangeError(`"${month}" is not a month YYYY-MM`);
    return { from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
  }

  private local(at: Date): DateTime {
    return DateTime.fromJSDate(at, { zone: this.timeZone });
  }
}
