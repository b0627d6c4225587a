import type { BusinessCalendarConfig } from '../rules/types';
import { BusinessCalendar } from './business-calendar';
import { CalendarConfigError } from './calendar-config';

/** Fixed dates only. 2026-11-20 is a Friday, 2026-11-23 a Monday, 2026-10-10 a Saturday. */
const NATIONAL_DAY = ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'];
const base: BusinessCalendarConfig = {
  timeZone: 'Asia/Shanghai',
  workingHours: { start: '09:00', end: '18:00' },
  weekend: [6, 7],
  holidays: [],
  workdays: [],
};
const plain = new BusinessCalendar(base);
const shanghai = new BusinessCalendar({
  ...base,
  holidays: [...NATIONAL_DAY, '2027-01-01', '2027-01-02', '2027-01-03'],
  workdays: ['2026-10-10'], // 调休: the Saturday after National Day is worked
});
const berlinConfig: BusinessCalendarConfig = { ...base, timeZone: 'Europe/Berlin', workingHours: { start: '09:00', end: '17:00' } };
const berlin = new BusinessCalendar(berlinConfig);
/** Berlin, every day worked: makes the DST Sundays (2026-03-29, 2026-10-25) working days. */
const berlinDaily = new BusinessCalendar({ ...berlinConfig, weekend: [] });

/** Shanghai local time → instant (UTC+8 all year). */
const sh = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

describe('BusinessCalendar', () => {
  describe('working days', () => {
    it.each([
      ['2026-11-20', true, 'a Friday'],
      ['2026-11-21', false, 'a Saturday'],
      ['2026-11-22', false, 'a Sunday'],
      ['2026-11-23', true, 'a Monday'],
      ['2026-10-01', false, 'National Day (Thursday)'],
      ['2026-10-07', false, 'the last National Day holiday'],
      ['2026-10-08', true, 'the day after National Day'],
      ['2026-10-10', true, 'a 调休 Saturday'],
      ['2026-10-11', false, 'the Sunday after it'],
      ['2027-01-01', false, 'New Year (Friday)'],
    ])('%s is a working day: %s (%s)', (date, expected) => {
      expect(shanghai.isWorkingDay(date)).toBe(expected);
    });

    it('without the lists, only weekends are off', () => {
      expect(plain.isWorkingDay('2026-10-01')).toBe(true);
      expect(plain.isWorkingDay('2026-10-10')).toBe(false);
    });

    it('a date both a holiday and a workday is a holiday', () => {
      const both = new BusinessCalendar({ ...base, holidays: ['2026-10-10'], workdays: ['2026-10-10'] });
      expect(both.isWorkingDay('2026-10-10')).toBe(false);
    });

    it('follows the configured weekend', () => {
      const sixDays = new BusinessCalendar({ ...base, weekend: [7] });
      expect(sixDays.isWorkingDay('2026-11-21')).toBe(true);
      expect(sixDays.isWorkingDay('2026-11-22')).toBe(false);
    });

    it.each(['2026-13-01', '2026-02-30', '2026-1-5', '', 'tomorrow'])('refuses the date %p', (date) => {
      expect(() => shanghai.isWorkingDay(date)).toThrow(RangeError);
    });
  });

  describe('working time', () => {
    it.each([
      ['2026-11-20T08:59:59', false],
      ['2026-11-20T09:00:00', true],
      ['2026-11-20T12:30:00', true],
      ['2026-11-20T17:59:59', true],
      ['2026-11-20T18:00:00', false],
      ['2026-11-21T10:00:00', false], // Saturday
      ['2026-10-01T10:00:00', false], // holiday
      ['2026-10-10T10:00:00', true], // 调休 Saturday
    ])('%s is working time: %s', (local, expected) => {
      expect(shanghai.isWorkingTime(sh(local))).toBe(expected);
    });

    it('reads the clock in the business zone, not UTC', () => {
      // 2026-11-20T01:00Z is 09:00 in Shanghai but still 2026-11-20 02:00 in Berlin (closed).
      expect(shanghai.isWorkingTime(new Date('2026-11-20T01:00:00Z'))).toBe(true);
      expect(berlin.isWorkingTime(new Date('2026-11-20T01:00:00Z'))).toBe(false);
    });

    it('refuses an invalid Date', () => {
      expect(() => shanghai.isWorkingTime(new Date('nope'))).toThrow(RangeError);
    });
  });

  describe('addWorkingHours', () => {
    it.each([
      ['2026-11-23T10:00:00', 4, '2026-11-23T14:00:00'],
      ['2026-11-23T10:00:00', 8, '2026-11-23T18:00:00'], // ends at closing: stays that day
      ['2026-11-23T10:00:00', 8.5, '2026-11-24T09:30:00'],
      ['2026-11-23T09:00:00', 9, '2026-11-23T18:00:00'],
      ['2026-11-23T09:00:00', 0, '2026-11-23T09:00:00'],
      ['2026-11-23T07:00:00', 1, '2026-11-23T10:00:00'], // before opening: counts from 09:00
      ['2026-11-23T08:59:00', 0, '2026-11-23T09:00:00'],
      ['2026-11-23T18:00:00', 0, '2026-11-23T18:00:00'], // at closing with nothing left
      ['2026-11-23T18:00:00', 0.5, '2026-11-24T09:30:00'],
      ['2026-11-23T23:30:00', 1, '2026-11-24T10:00:00'],
      ['2026-11-23T10:00:00', 1 / 3, '2026-11-23T10:20:00'], // fractions to the minute
      ['2026-11-23T10:00:00', 0.5 / 60, '2026-11-23T10:01:00'], // 30 s rounds to 1 minute
      ['2026-11-23T10:00:30', 0.5, '2026-11-23T10:30:30'], // keeps the seconds of `from`
    ])('%s + %p h = %s', (from, hours, expected) => {
      expect(iso(shanghai.addWorkingHours(sh(from), hours))).toBe(iso(sh(expected)));
    });

    it('moves a Friday evening report to Monday', () => {
      expect(iso(shanghai.addWorkingHours(sh('2026-11-20T20:00:00'), 0))).toBe(iso(sh('2026-11-23T09:00:00')));
      expect(iso(shanghai.addWorkingHours(sh('2026-11-20T20:00:00'), 4))).toBe(iso(sh('2026-11-23T13:00:00')));
      expect(iso(shanghai.addWorkingHours(sh('2026-11-21T11:00:00'), 4))).toBe(iso(sh('2026-11-23T13:00:00')));
      expect(iso(shanghai.addWorkingHours(sh('2026-11-20T18:00:00'), 0))).toBe(iso(sh('2026-11-20T18:00:00')));
      expect(iso(shanghai.addWorkingHours(sh('2026-11-20T17:00:00'), 1.5))).toBe(iso(sh('2026-11-23T09:30:00')));
    });

    it('skips National Day and counts the 调休 Saturday', () => {
      expect(iso(shanghai.addWorkingHours(sh('2026-09-30T20:00:00'), 0))).toBe(iso(sh('2026-10-08T09:00:00')));
      expect(iso(shanghai.addWorkingHours(sh('2026-10-03T12:00:00'), 2))).toBe(iso(sh('2026-10-08T11:00:00')));
      expect(iso(shanghai.addWorkingHours(sh('2026-10-09T20:00:00'), 4))).toBe(iso(sh('2026-10-10T13:00:00')));
      // The same without the 调休 list: the Saturday is off.
      const noSwap = new BusinessCalendar({ ...base, holidays: NATIONAL_DAY });
      expect(iso(noSwap.addWorkingHours(sh('2026-10-09T20:00:00'), 4))).toBe(iso(sh('2026-10-12T13:00:00')));
    });

    it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %p hours', (hours) => {
      expect(() => shanghai.addWorkingHours(sh('2026-11-23T10:00:00'), hours)).toThrow(RangeError);
    });

    it('gives up on a calendar without working days', () => {
      const never = new BusinessCalendar({ ...base, weekend: [1, 2, 3, 4, 5, 6, 7] });
      expect(() => never.addWorkingHours(sh('2026-11-23T10:00:00'), 1)).toThrow(RangeError);
      expect(() => never.nextWorkingDayOnOrAfter('2026-11-23')).toThrow(RangeError);
    });

    it('handles counts spanning many weeks', () => {
      // 100 working days of 9 h from Monday 09:00 = 20 whole weeks later, at Friday 18:00.
      expect(iso(plain.addWorkingDays(sh('2026-01-05T09:00:00'), 100))).toBe(iso(sh('2026-05-22T18:00:00')));
    });
  });

  describe('addWorkingDays (one day = the length of the working hours)', () => {
    it.each([
      ['2026-11-23T10:00:00', 1, '2026-11-24T10:00:00'], // Monday → Tuesday
      ['2026-11-20T20:00:00', 1, '2026-11-23T18:00:00'], // Friday evening → Monday closing
      ['2026-11-20T15:00:00', 3, '2026-11-25T15:00:00'], // Friday → Wednesday
      ['2026-11-20T15:00:00', 5, '2026-11-27T15:00:00'],
      ['2026-11-23T09:00:00', 1, '2026-11-23T18:00:00'],
      ['2026-11-23T10:00:00', 0.5, '2026-11-23T14:30:00'],
      ['2026-09-30T15:00:00', 1, '2026-10-08T15:00:00'], // across National Day
      ['2026-10-09T15:00:00', 1, '2026-10-10T15:00:00'], // into the 调休 Saturday
      ['2026-09-30T10:00:00', 5, '2026-10-13T10:00:00'], // both, and the Sunday after
      ['2026-12-31T12:00:00', 1, '2027-01-04T12:00:00'], // New Year and a weekend
    ])('%s + %p working days = %s', (from, days, expected) => {
      expect(iso(shanghai.addWorkingDays(sh(from), days))).toBe(iso(sh(expected)));
    });

    it('uses the configured day length', () => {
      expect(shanghai.workingDayHours).toBe(9);
      expect(berlin.workingDayHours).toBe(8);
      const short = new BusinessCalendar({ ...base, workingHours: { start: '08:30', end: '12:00' } });
      expect(short.workingDayHours).toBe(3.5);
      expect(iso(short.addWorkingDays(sh('2026-11-23T10:00:00'), 1))).toBe(iso(sh('2026-11-24T10:00:00')));
    });
  });

  describe('addDuration', () => {
    const from = sh('2026-11-20T17:00:00'); // Friday, one working hour left

    it('adds every kind of duration', () => {
      expect(iso(shanghai.addDuration(from, { immediate: true }))).toBe(iso(from));
      expect(iso(shanghai.addDuration(from, { minutes: 10 }))).toBe(iso(sh('2026-11-20T17:10:00')));
      expect(iso(shanghai.addDuration(from, { hours: 24 }))).toBe(iso(sh('2026-11-21T17:00:00')));
      expect(iso(shanghai.addDuration(from, { workingHours: 4 }))).toBe(iso(sh('2026-11-23T12:00:00')));
      expect(iso(shanghai.addDuration(from, { workingDays: 3 }))).toBe(iso(sh('2026-11-25T17:00:00')));
      expect(shanghai.addDuration(from, { afterResolution: true })).toBeNull();
    });

    it('returns a new Date for immediate', () => {
      expect(shanghai.addDuration(from, { immediate: true })).not.toBe(from);
    });

    it('ignores keys set to undefined', () => {
      expect(iso(shanghai.addDuration(from, { minutes: 5, hours: undefined }))).toBe(iso(sh('2026-11-20T17:05:00')));
    });

    it.each([
      [{}],
      [{ minutes: 1, hours: 1 }],
      [{ immediate: true, afterResolution: true }],
      [{ days: 3 }],
      [{ minutes: -1 }],
      [{ hours: Number.NaN }],
      [{ immediate: false }],
    ])('refuses %p', (d) => {
      expect(() => shanghai.addDuration(from, d as never)).toThrow(RangeError);
    });
  });

  describe('dates and months', () => {
    it('reads local dates and months in the business zone', () => {
      expect(shanghai.localDate(new Date('2026-10-31T15:59:59Z'))).toBe('2026-10-31');
      expect(shanghai.localDate(new Date('2026-10-31T16:00:00Z'))).toBe('2026-11-01');
      expect(shanghai.localMonth(new Date('2026-10-31T15:59:59Z'))).toBe('2026-10');
      expect(shanghai.localMonth(new Date('2026-10-31T16:00:00Z'))).toBe('2026-11');
      expect(berlin.localDate(new Date('2026-10-31T22:59:59Z'))).toBe('2026-10-31'); // CET, UTC+1
      expect(berlin.localDate(new Date('2026-10-31T23:00:00Z'))).toBe('2026-11-01');
    });

    it.each([
      ['2026-11-23', '2026-11-23'],
      ['2026-11-21', '2026-11-23'],
      ['2026-10-01', '2026-10-08'],
      ['2026-10-10', '2026-10-10'],
      ['2027-01-01', '2027-01-04'],
    ])('next working day on or after %s is %s', (date, expected) => {
      expect(shanghai.nextWorkingDayOnOrAfter(date)).toBe(expected);
    });

    it('dates monthly reports on the 1st of next month or the next working day', () => {
      expect(plain.monthDueDate('2026-10')).toBe('2026-11-02'); // Nov 1 is a Sunday
      expect(plain.monthDueDate('2026-08')).toBe('2026-09-01'); // a Tuesday
      expect(plain.monthDueDate('2026-01')).toBe('2026-02-02'); // Feb 1 is a Sunday
      expect(plain.monthDueDate('2026-09')).toBe('2026-10-01');
      expect(shanghai.monthDueDate('2026-09')).toBe('2026-10-08'); // National Day
      expect(shanghai.monthDueDate('2026-12')).toBe('2027-01-04'); // New Year, then a weekend
    });

    it('gives month ranges as instants in the business zone', () => {
      expect(shanghai.monthRange('2026-10')).toEqual({ from: new Date('2026-09-30T16:00:00Z'), to: new Date('2026-10-31T16:00:00Z') });
      expect(shanghai.monthRange('2026-12')).toEqual({ from: new Date('2026-11-30T16:00:00Z'), to: new Date('2026-12-31T16:00:00Z') });
      expect(shanghai.monthRange('2024-02')).toEqual({ from: new Date('2024-01-31T16:00:00Z'), to: new Date('2024-02-29T16:00:00Z') });
      // Berlin March 2026 starts in CET (UTC+1) and ends in CEST (UTC+2).
      expect(berlin.monthRange('2026-03')).toEqual({ from: new Date('2026-02-28T23:00:00Z'), to: new Date('2026-03-31T22:00:00Z') });
    });

    it.each(['2026-13', '2026-1', '2026-10-01', '', '2026/10'])('refuses the month %p', (month) => {
      expect(() => shanghai.monthDueDate(month)).toThrow(RangeError);
      expect(() => shanghai.monthRange(month)).toThrow(RangeError);
    });
  });

  describe('time zones', () => {
    it('Shanghai has no DST: opening is 01:00Z in every season', () => {
      for (const date of ['2026-01-05', '2026-03-30', '2026-07-06', '2026-10-26']) {
        expect(iso(shanghai.addWorkingHours(new Date(`${date}T00:00:00Z`), 0))).toBe(`${date}T01:00:00.000Z`);
      }
    });

    it('Berlin: Friday to Monday across the end of DST', () => {
      // Friday 2026-10-23 16:00 CEST + 2 working hours → Monday 2026-10-26 10:00 CET.
      expect(iso(berlin.addWorkingHours(new Date('2026-10-23T16:00:00+02:00'), 2))).toBe(iso(new Date('2026-10-26T10:00:00+01:00')));
      // Friday 2026-03-27 16:00 CET + 2 working hours → Monday 2026-03-30 10:00 CEST.
      expect(iso(berlin.addWorkingHours(new Date('2026-03-27T16:00:00+01:00'), 2))).toBe(iso(new Date('2026-03-30T10:00:00+02:00')));
    });

    it('Berlin: opening stays at 09:00 local on the days the clocks change', () => {
      // Spring forward on Sunday 2026-03-29 at 02:00: the day has 23 hours.
      expect(berlinDaily.isWorkingTime(new Date('2026-03-29T08:59:00+02:00'))).toBe(false);
      expect(berlinDaily.isWorkingTime(new Date('2026-03-29T09:00:00+02:00'))).toBe(true);
      expect(iso(berlinDaily.addWorkingHours(new Date('2026-03-28T16:30:00+01:00'), 1))).toBe(iso(new Date('2026-03-29T09:30:00+02:00')));
      // Fall back on Sunday 2026-10-25 at 03:00: the day has 25 hours.
      expect(iso(berlinDaily.addWorkingHours(new Date('2026-10-24T16:30:00+02:00'), 1))).toBe(iso(new Date('2026-10-25T09:30:00+01:00')));
      expect(iso(berlinDaily.addWorkingHours(new Date('2026-10-25T09:00:00+01:00'), 8))).toBe(iso(new Date('2026-10-25T17:00:00+01:00')));
    });

    it('wall-clock hours are elapsed hours, even across DST', () => {
      // 24 h after Saturday 12:00 CET is Sunday 13:00 CEST.
      expect(iso(berlin.addDuration(new Date('2026-03-28T12:00:00+01:00'), { hours: 24 }))).toBe(iso(new Date('2026-03-29T13:00:00+02:00')));
    });
  });

  describe('configuration', () => {
    it.each<[string, Partial<BusinessCalendarConfig>]>([
      ['an unknown time zone', { timeZone: 'Mars/Olympus' }],
      ['an empty time zone', { timeZone: '' }],
      ['a start without two-digit hour', { workingHours: { start: '9:00', end: '18:00' } }],
      ['an end of 24:00', { workingHours: { start: '09:00', end: '24:00' } }],
      ['minutes over 59', { workingHours: { start: '09:60', end: '18:00' } }],
      ['start after end', { workingHours: { start: '18:00', end: '09:00' } }],
      ['start equal to end', { workingHours: { start: '09:00', end: '09:00' } }],
      ['weekday 0', { weekend: [0] }],
      ['weekday 8', { weekend: [6, 8] }],
      ['a fractional weekday', { weekend: [6.5] }],
      ['a holiday that does not exist', { holidays: ['2026-02-30'] }],
      ['a holiday without padding', { holidays: ['2026-2-3'] }],
      ['a workday that is no date', { workdays: ['tomorrow'] }],
      ['holidays that are not a list', { holidays: '2026-10-01' as never }],
      ['missing working hours', { workingHours: undefined as never }],
    ])('refuses %s', (_name, patch) => {
      expect(() => new BusinessCalendar({ ...base, ...patch })).toThrow(CalendarConfigError);
    });

    it('names every problem at once', () => {
      let error: unknown;
      try {
        new BusinessCalendar({
          timeZone: 'Mars/Olympus',
          workingHours: { start: '18:00', end: '09:00' },
          weekend: [8],
          holidays: ['2026-02-30'],
          workdays: ['tomorrow'],
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CalendarConfigError);
      expect(error).toBeInstanceOf(Error);
      const problems = (error as CalendarConfigError).problems;
      expect(problems).toHaveLength(5);
      expect(problems.join('\n')).toMatch(/Mars\/Olympus/);
      expect((error as Error).message).toMatch(/^invalid business calendar: /);
    });

    it('accepts UTC, a whole-day window and empty lists', () => {
      const utc = new BusinessCalendar({ timeZone: 'UTC', workingHours: { start: '00:00', end: '23:59' }, weekend: [], holidays: [], workdays: [] });
      expect(utc.isWorkingTime(new Date('2026-11-22T00:00:00Z'))).toBe(true);
      expect(utc.isWorkingTime(new Date('2026-11-22T23:59:00Z'))).toBe(false);
    });
  });
});
