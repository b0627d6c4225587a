import { DateTime, Info, Zone } from 'luxon';
import type { BusinessCalendarConfig, Duration } from '../rules/types';
import { CalendarConfigError, checkConfig, minutesOf, parseDate, parseMonth } from './calendar-config';
import { DayMemo, remember } from './memo';

/** Give up after this many days in a row without working time (a calendar with no workdays). */
const MAX_IDLE_DAYS = 3660;
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/**
 * The dates the day-by-day fast path walks, as days since 1970-01-01: 1000-01-01 to 9999-12-31,
 * where a local date is always four-digit YYYY-MM-DD. Outside them the luxon walk answers.
 */
const FIRST_FAST_DAY = Date.UTC(1000, 0, 1) / DAY_MS;
const LAST_FAST_DAY = Date.UTC(9999, 11, 31) / DAY_MS;

/** A local date's working window as epoch ms; false on a day off. */
type DayWindow = { open: number; close: number } | false;

/** What BusinessCalendar.workingSpan remembers of one local day (NaN: not counted yet). */
interface SpanDay {
  /** The answer from the day's opening or before, or from any time of a day off. */
  early: number;
  /** The answer from the day's closing or after. */
  late: number;
  /** The later window the last count from inside the working hours ended in: its opening, the working time counted before it (after this day's closing), and its length. */
  landOpen: number;
  landBase: number;
  landShare: number;
}

/** YYYY-MM-DD of a day number (days since 1970-01-01) in the fast range. */
const isoOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * The business calendar of the policy: a time zone, working hours, weekends, holidays and
 * 调休 (weekend days that are working days). Pure: time is always passed in.
 *
 * Working time is counted inside the working hours of working days only. A working day is the
 * length of the working hours, so N working days = N × that many working hours: 3 working
 * days from Friday 15:00 is Wednesday 15:00; from Friday 20:00, 1 working day is Monday 18:00.
 * A date listed both as a holiday and as a workday is a holiday.
 */
export class BusinessCalendar {
  /** IANA zone in which dates and working hours are read. */
  readonly timeZone: string;
  private readonly startMin: number;
  private readonly endMin: number;
  private readonly weekend: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<string>;
  private readonly workdays: ReadonlySet<string>;
  /** The last local date the holiday lists are known for, or null when the pack does not say. */
  readonly holidaysKnownUntil: string | null;
  /** luxon's zone for `timeZone`, as `DateTime.fromJSDate(…, { zone })` resolves it. */
  private readonly zone: Zone;
  /** Local date → working day? (valid dates only: a bad date throws every time). */
  private readonly workingDayMemo = new Map<string, boolean>();
  /** Day number → that local date's working window, computed once with luxon. */
  private readonly windowMemo = new DayMemo<DayWindow>();
  /** UTC day (days since the epoch) → the zone's offset in minutes, for days without a transition. */
  private readonly offsetMemo = new DayMemo<number>();
  /** Hour since the epoch → the zone's offset in minutes, for hours without a transition on days with one. */
  private readonly hourOffsetMemo = new Map<number, number>();

  /** @throws CalendarConfigError listing every problem of the configuration. */
  constructor(config: BusinessCalendarConfig) {
    const problems = checkConfig(config);
    if (problems.length) throw new CalendarConfigError(problems);
    this.timeZone = config.timeZone;
    this.startMin = minutesOf(config.workingHours.start);
    this.endMin = minutesOf(config.workingHours.end);
    this.weekend = new Set(config.weekend);
    this.holidays = new Set(config.holidays);
    this.workdays = new Set(config.workdays);
    this.holidaysKnownUntil = config.holidaysKnownUntil ?? null;
    this.zone = Info.normalizeZone(this.timeZone);
  }

  /** Is `at` on a local date after `holidaysKnownUntil`? (never, when the pack does not say) Runs on every decision: one comparison. */
  beyondKnownHolidays(at: Date): boolean {
    if (this.holidaysKnownUntil === null) return false;
    this.knownUntilEnd ??= this.endOfDay(this.holidaysKnownUntil).getTime();
    return at.getTime() >= this.knownUntilEnd;
  }

  /** When `holidaysKnownUntil` ends, computed on first use. */
  private knownUntilEnd: number | undefined;

  /** The instant a local date ends (the next date's midnight in the business zone). */
  endOfDay(localDate: string): Date {
    return new Date(this.at(parseDate(localDate).plus({ days: 1 }).toISODate()!, 0));
  }

  /**
   * Whole days from `now`'s local date to `holidaysKnownUntil` (negative once past it), or null
   * when the pack does not say: `rules validate` and the startup log warn below 60.
   */
  daysOfHolidaysLeft(now: Date): number | null {
    if (this.holidaysKnownUntil === null) return null;
    return Math.round((parseDate(this.holidaysKnownUntil).toMillis() - parseDate(this.localDate(now)).toMillis()) / DAY_MS);
  }

  /** Length of a working day in hours (9 for 09:00–18:00). */
  get workingDayHours(): number {
    return (this.endMin - this.startMin) / 60;
  }

  /** Holidays are off; listed 调休 workdays are on; otherwise weekend days are off. */
  isWorkingDay(localDate: string): boolean {
    const known = this.workingDayMemo.get(localDate);
    if (known !== undefined) return known;
    return remember(this.workingDayMemo, localDate, this.isWorkingDayUncached(localDate));
  }

  private isWorkingDayUncached(localDate: string): boolean {
    const day = parseDate(localDate);
    if (this.holidays.has(localDate)) return false;
    if (this.workdays.has(localDate)) return true;
    return !this.weekend.has(day.weekday);
  }

  /** Inside working hours of a working day: start inclusive, end exclusive. */
  isWorkingTime(at: Date): boolean {
    const local = this.local(at);
    const minute = local.hour * 60 + local.minute;
    return this.isWorkingDay(local.toISODate()!) && minute >= this.startMin && minute < this.endMin;
  }

  /**
   * `from` plus `hours` of working time (rounded to the minute). Outside working time the count
   * starts at the next opening, so adding 0 then yields that opening; a count that ends exactly
   * at closing time stays at closing time rather than moving to the next morning.
   */
  addWorkingHours(from: Date, hours: number): Date {
    if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`working hours must be a finite number ≥ 0, got ${hours}`);
    return new Date(this.workingTimeAfter(from, Math.round(hours * 60) * MINUTE_MS));
  }

  /**
   * addWorkingHours as epoch ms, the working time given in ms (whole minutes, ≥ 0: addWorkingHours
   * checks and rounds it): for a caller making its own Date, or none.
   */
  workingTimeAfter(from: Date, workingMs: number): number {
    let remaining = workingMs;
    const fromMs = from.getTime();
    // The walk below is walkByDate's, over day numbers and memoised working windows.
    let day = this.localDay(from);
    if (day < FIRST_FAST_DAY) return this.walkByDateMs(from, workingMs);
    for (let idle = 0; idle < MAX_IDLE_DAYS; idle++) {
      if (day > LAST_FAST_DAY) return this.walkByDateMs(from, workingMs);
      let window = this.windowMemo.get(day);
      if (window === undefined) window = this.windowOf(day);
      if (window) {
        const begin = Math.max(fromMs, window.open);
        if (begin <= window.close) {
          if (remaining <= window.close - begin) return begin + remaining;
          remaining -= window.close - begin;
          idle = 0;
        }
      }
      day += 1;
    }
    throw new RangeError(`no working time within ${MAX_IDLE_DAYS} days: check the calendar`);
  }

  /**
   * `(from) => workingTimeAfter(from, workingMs)`, remembered per local day of `from` (for due
   * times counted again and again). Before a working day's opening, from its closing on and all
   * through a day off, the answer does not depend on the time of day: the count starts at the next
   * opening, so it is walked once per day. From inside the working hours, a count that does not
   * end that day ends in the same later window as the last one did whenever the working time left
   * after the closing falls within that window's share (checked each time, else walked again).
   */
  workingSpan(workingMs: number): (from: Date) => number {
    if (!(workingMs > 0)) return (from) => this.workingTimeAfter(from, workingMs);
    const days = new DayMemo<SpanDay>();
    return (from) => {
      const day = this.localDay(from);
      if (day < FIRST_FAST_DAY || day > LAST_FAST_DAY) return this.workingTimeAfter(from, workingMs);
      const fromMs = from.getTime();
      let window = this.windowMemo.get(day);
      if (window === undefined) window = this.windowOf(day);
      const memo = days.get(day) ?? days.set(day, { early: Number.NaN, late: Number.NaN, landOpen: 0, landBase: 0, landShare: 0 });
      if (!window || fromMs <= window.open) {
        if (Number.isNaN(memo.early)) memo.early = this.workingTimeAfter(from, workingMs);
        return memo.early;
      }
      if (fromMs >= window.close) {
        if (Number.isNaN(memo.late)) memo.late = this.workingTimeAfter(from, workingMs);
        return memo.late;
      }
      const left = window.close - fromMs;
      if (workingMs <= left) return fromMs + workingMs;
      // The working time still to count after the closing; the walk counts it from the next days' windows in order.
      const rest = workingMs - left;
      if (rest > memo.landBase && rest <= memo.landBase + memo.landShare) return memo.landOpen + rest - memo.landBase;
      const due = this.workingTimeAfter(from, workingMs);
      // It ended inside a later window (after its opening, at its closing at the latest): that window, and the working time before it.
      const landDay = this.dayOfMs(due);
      const land = landDay <= LAST_FAST_DAY ? this.windowMemo.get(landDay) : undefined;
      if (land) {
        memo.landOpen = land.open;
        memo.landBase = rest - (due - land.open);
        memo.landShare = land.close - land.open;
      }
      return due;
    };
  }

  /**
   * addWorkingHours computed with luxon for every day walked: the reference the fast walk
   * reproduces, and the answer (or the error) outside the dates the fast walk covers.
   */
  private walkByDate(from: Date, hours: number): Date {
    return new Date(this.walkByDateMs(from, Math.round(hours * 60) * MINUTE_MS));
  }

  /** walkByDate in epoch ms, the working time in ms. */
  private walkByDateMs(from: Date, workingMs: number): number {
    let remaining = workingMs;
    const fromMs = from.getTime();
    let date = this.localDate(from);
    for (let idle = 0; idle < MAX_IDLE_DAYS; idle++) {
      if (this.isWorkingDay(date)) {
        const open = this.at(date, this.startMin);
        const close = this.at(date, this.endMin);
        const begin = Math.max(fromMs, open);
        if (begin <= close) {
          if (remaining <= close - begin) return begin + remaining;
          remaining -= close - begin;
          idle = 0;
        }
      }
      date = parseDate(date).plus({ days: 1 }).toISODate()!;
    }
    throw new RangeError(`no working time within ${MAX_IDLE_DAYS} days: check the calendar`);
  }

  /**
   * The business-zone day number (days since 1970-01-01) of an instant: the day luxon's
   * `toISODate()` names, computed as luxon does (UTC fields of the instant plus the zone's offset).
   */
  private localDay(at: Date): number {
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new RangeError('not a valid Date');
    return this.dayOfMs(at.getTime());
  }

  /** localDay of a valid instant in epoch ms. */
  private dayOfMs(ts: number): number {
    return Math.floor(Math.trunc(ts + this.offsetAt(ts) * 60 * 1000) / DAY_MS);
  }

  /**
   * The zone's offset at `ts` in minutes, as luxon computes it (an Intl call, the costly part).
   * Memoised per UTC day, or per hour on a day with a transition: a span whose first and last
   * millisecond have one offset has no transition in it (no zone changes its offset twice in a
   * day). Only an hour with a transition in it asks luxon every time.
   */
  private offsetAt(ts: number): number {
    const day = Math.floor(ts / DAY_MS);
    const daily = this.offsetMemo.get(day);
    if (daily !== undefined) return daily;
    const start = day * DAY_MS;
    const first = this.zone.offset(start);
    if (first === this.zone.offset(start + DAY_MS - 1)) return this.offsetMemo.set(day, first);
    const hour = Math.floor(ts / HOUR_MS);
    const hourly = this.hourOffsetMemo.get(hour);
    if (hourly !== undefined) return hourly;
    const from = this.zone.offset(hour * HOUR_MS);
    if (from !== this.zone.offset(hour * HOUR_MS + HOUR_MS - 1)) return this.zone.offset(ts);
    return remember(this.hourOffsetMemo, hour, from);
  }

  /** A day's working window, placed in the zone by luxon once and remembered. */
  private windowOf(day: number): DayWindow {
    const date = isoOfDay(day);
    const window = this.isWorkingDay(date) ? { open: this.at(date, this.startMin), close: this.at(date, this.endMin) } : false;
    return this.windowMemo.set(day, window);
  }

  /** `days` working days = `days × workingDayHours` working hours (see addWorkingHours). */
  addWorkingDays(from: Date, days: number): Date {
    return this.addWorkingHours(from, days * this.workingDayHours);
  }

  /**
   * When a span counted from `from` ends: immediate → `from`; minutes and hours on the wall
   * clock; workingHours and workingDays on this calendar; afterResolution → null (no clock).
   * @throws RangeError unless exactly one known key is set, with a number ≥ 0 where one is due.
   */
  addDuration(from: Date, d: Duration): Date | null {
    // The keys set (not undefined), read without building entry arrays: this runs on every decision.
    const source = (d ?? {}) as Record<string, unknown>;
    const set: string[] = [];
    let value: unknown;
    for (const k of Object.keys(source)) {
      const v = source[k];
      if (v === undefined) continue;
      if (set.push(k) === 1) value = v;
    }
    if (set.length !== 1) {
      throw new RangeError(
        `a duration has exactly one of immediate, minutes, hours, workingHours, workingDays, afterResolution; got ${set.join(', ') || 'none'}`,
      );
    }
    const key = set[0];
    if (key === 'immediate' && value === true) return new Date(from.getTime());
    if (key === 'afterResolution' && value === true) return null;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`bad duration ${JSON.stringify(d)}`);
    }
    switch (key) {
      case 'minutes':
        return new Date(from.getTime() + value * MINUTE_MS);
      case 'hours':
        return new Date(from.getTime() + value * 60 * MINUTE_MS);
      case 'workingHours':
        return this.addWorkingHours(from, value);
      case 'workingDays':
        return this.addWorkingDays(from, value);
      default:
        throw new RangeError(`unknown duration ${JSON.stringify(d)}`);
    }
  }

  /** The business-zone date of an instant, YYYY-MM-DD. */
  localDate(at: Date): string {
    return this.local(at).toISODate()!;
  }

  /** The business-zone month of an instant, YYYY-MM. */
  localMonth(at: Date): string {
    return this.local(at).toFormat('yyyy-MM');
  }

  /** `localDate` itself when it is a working day, else the first working day after it. */
  nextWorkingDayOnOrAfter(localDate: string): string {
    let day = parseDate(localDate);
    for (let idle = 0; idle < MAX_IDLE_DAYS; idle++) {
      const iso = day.toISODate()!;
      if (this.isWorkingDay(iso)) return iso;
      day = day.plus({ days: 1 });
    }
    throw new RangeError(`no working day within ${MAX_IDLE_DAYS} days of ${localDate}: check the calendar`);
  }

  /** A monthly report is due on the 1st of the next month, or the next working day. */
  monthDueDate(month: string): string {
    return this.nextWorkingDayOnOrAfter(parseMonth(month).plus({ months: 1 }).toISODate()!);
  }

  /** The month's start (inclusive) and the next month's start (exclusive) in the business zone. */
  monthRange(month: string): { from: Date; to: Date } {
    const first = parseMonth(month);
    return {
      from: new Date(this.at(first.toISODate()!, 0)),
      to: new Date(this.at(first.plus({ months: 1 }).toISODate()!, 0)),
    };
  }

  private local(at: Date): DateTime {
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new RangeError('not a valid Date');
    return DateTime.fromJSDate(at, { zone: this.timeZone });
  }

  /**
   * Epoch ms of a wall-clock minute of a local date. Set by fields, not by adding minutes to
   * midnight, so a DST change earlier that day does not move opening time.
   */
  private at(localDate: string, minuteOfDay: number): number {
    const { year, month, day } = parseDate(localDate);
    return DateTime.fromObject({ year, month, day, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 }, { zone: this.timeZone }).toMillis();
  }
}
