import { BusinessCalendar, CalendarConfigError } from './business-calendar';

const shanghai = new BusinessCalendar({
  timeZone: 'Asia/Shanghai',
  workingHours: { start: '09:00', end: '18:00' },
  weekend: [6, 7],
  holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-10-10'],
});
/** Shanghai local time → instant (UTC+8, no DST). */
const sh = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date | null) => d && d.toISOString();

describe('BusinessCalendar', () => {
  it('knows weekends, holidays and 调休 working Saturdays', () => {
    expect(shanghai.isWorkingDay('2026-11-20')).toBe(true); // Friday
    expect(shanghai.isWorkingDay('2026-11-21')).toBe(false); // Saturday
    expect(shanghai.isWorkingDay('2026-10-01')).toBe(false); // National Day
    expect(shanghai.isWorkingDay('2026-10-10')).toBe(true); // 调休 Saturday
    expect(shanghai.isWorkingTime(sh('2026-11-20T08:59:00'))).toBe(false);
    expect(shanghai.isWorkingTime(sh('2026-11-20T09:00:00'))).toBe(true);
    expect(shanghai.isWorkingTime(sh('2026-11-20T18:00:00'))).toBe(false);
  });

  it('counts working hours inside the working day', () => {
    expect(iso(shanghai.addWorkingHours(sh('2026-11-23T10:00:00'), 4))).toBe(iso(sh('2026-11-23T14:00:00')));
    expect(iso(shanghai.addWorkingHours(sh('2026-11-23T10:00:00'), 8))).toBe(iso(sh('2026-11-23T18:00:00')));
    expect(iso(shanghai.addWorkingHours(sh('2026-11-23T10:00:00'), 8.5))).toBe(iso(sh('2026-11-24T09:30:00')));
    expect(iso(shanghai.addWorkingHours(sh('2026-11-23T07:00:00'), 1))).toBe(iso(sh('2026-11-23T10:00:00')));
  });

  it('moves a Friday evening report to the next working day', () => {
    expect(iso(shanghai.addWorkingHours(sh('2026-11-20T20:00:00'), 4))).toBe(iso(sh('2026-11-23T13:00:00')));
    expect(iso(shanghai.addWorkingDays(sh('2026-11-20T20:00:00'), 1))).toBe(iso(sh('2026-11-23T18:00:00')));
    expect(iso(shanghai.addWorkingHours(sh('2026-11-20T20:00:00'), 0))).toBe(iso(sh('2026-11-23T09:00:00')));
    expect(iso(shanghai.addWorkingHours(sh('2026-11-20T18:00:00'), 0))).toBe(iso(sh('2026-11-20T18:00:00')));
  });

  it('counts working days as working-day lengths of hours', () => {
    expect(iso(shanghai.addWorkingDays(sh('2026-11-23T10:00:00'), 1))).toBe(iso(sh('2026-11-24T10:00:00')));
    expect(iso(shanghai.addWorkingDays(sh('2026-11-20T15:00:00'), 3))).toBe(iso(sh('2026-11-25T15:00:00')));
    // Across National Day: Sep 30 (Wed) 15:00 + 1 working day skips Oct 1–7 and the weekend; Oct 8 (Thu).
    expect(iso(shanghai.addWorkingDays(sh('2026-09-30T15:00:00'), 1))).toBe(iso(sh('2026-10-08T15:00:00')));
    // The 调休 Saturday Oct 10 counts: Friday Oct 9 15:00 + 1 working day = Saturday Oct 10 15:00.
    expect(iso(shanghai.addWorkingDays(sh('2026-10-09T15:00:00'), 1))).toBe(iso(sh('2026-10-10T15:00:00')));
  });

  it('adds every kind of duration', () => {
    const from = sh('2026-11-20T17:00:00');
    expect(iso(shanghai.addDuration(from, { immediate: true }))).toBe(iso(from));
    expect(iso(shanghai.addDuration(from, { minutes: 10 }))).toBe(iso(sh('2026-11-20T17:10:00')));
    expect(iso(shanghai.addDuration(from, { hours: 24 }))).toBe(iso(sh('2026-11-21T17:00:00')));
    expect(iso(shanghai.addDuration(from, { workingHours: 4 }))).toBe(iso(sh('2026-11-23T12:00:00')));
    expect(iso(shanghai.addDuration(from, { workingDays: 3 }))).toBe(iso(sh('2026-11-25T17:00:00')));
    expect(shanghai.addDuration(from, { afterResolution: true })).toBeNull();
    expect(() => shanghai.addDuration(from, {})).toThrow(RangeError);
    expect(() => shanghai.addDuration(from, { minutes: 1, hours: 1 })).toThrow(RangeError);
  });

  it('dates monthly reports: the 1st of next month or the next working day', () => {
    expect(shanghai.monthDueDate('2026-10')).toBe('2026-11-02'); // Nov 1 is a Sunday
    expect(shanghai.monthDueDate('2026-08')).toBe('2026-09-01');
    expect(shanghai.monthDueDate('2026-09')).toBe('2026-10-08'); // National Day holidays, then Oct 8
    const range = shanghai.monthRange('2026-10');
    expect(range.from.toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(range.to.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(shanghai.localMonth(new Date('2026-10-31T16:30:00Z'))).toBe('2026-11');
    expect(shanghai.localDate(new Date('2026-10-31T15:59:00Z'))).toBe('2026-10-31');
  });

  it('works in a zone with daylight saving time', () => {
    const berlin = new BusinessCalendar({ timeZone: 'Europe/Berlin', workingHours: { start: '09:00', end: '17:00' }, weekend: [6, 7], holidays: [], workdays: [] });
    // Friday 2026-10-23 16:00 CEST + 2 working hours → Monday 2026-10-26 10:00 CET (clocks went back on Sunday).
    expect(iso(berlin.addWorkingHours(new Date('2026-10-23T16:00:00+02:00'), 2))).toBe(iso(new Date('2026-10-26T10:00:00+01:00')));
  });

  it('refuses a bad configuration, naming every problem', () => {
    try {
      new BusinessCalendar({ timeZone: 'Mars/Olympus', workingHours: { start: '18:00', end: '09:00' }, weekend: [8], holidays: ['2026-02-30'], workdays: ['tomorrow'] });
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(CalendarConfigError);
      expect((e as CalendarConfigError).problems).toHaveLength(5);
    }
  });
});
