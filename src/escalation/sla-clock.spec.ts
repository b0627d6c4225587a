import { BusinessCalendar } from '../calendar/business-calendar';
import { modeOf, pauseSpan, shiftBy, warnTime, workingMsBetween } from './sla-clock';

const calendar = new BusinessCalendar({
  timeZone: 'Asia/Shanghai',
  workingHours: { start: '09:00', end: '18:00' },
  weekend: [6, 7],
  holidays: [],
  workdays: [],
});
/** Shanghai local time (UTC+8, no DST) → Date. */
const local = (s: string) => new Date(`${s}+08:00`);
const MIN = 60_000;
const H = 60 * MIN;

describe('clock modes', () => {
  it('counts working-hour and working-day targets in working time, the rest on the wall clock', () => {
    expect(modeOf({ workingHours: 4 })).toBe('working');
    expect(modeOf({ workingDays: 3 })).toBe('working');
    expect(modeOf({ minutes: 15 })).toBe('wall');
    expect(modeOf({ hours: 24 })).toBe('wall');
    expect(modeOf({ immediate: true })).toBe('wall');
    expect(modeOf(undefined)).toBe('wall');
  });
});

describe('working time between two instants', () => {
  it('counts only working hours of working days, to the minute', () => {
    expect(workingMsBetween(calendar, local('2026-11-23T10:00'), local('2026-11-23T12:30'))).toBe(150 * MIN);
    // Friday 17:00 → Monday 10:00: one hour on Friday, one on Monday.
    expect(workingMsBetween(calendar, local('2026-11-20T17:00'), local('2026-11-23T10:00'))).toBe(2 * H);
    expect(workingMsBetween(calendar, local('2026-11-23T20:00'), local('2026-11-24T08:59'))).toBe(0);
    expect(workingMsBetween(calendar, local('2026-11-23T12:00'), local('2026-11-23T11:00'))).toBe(0);
    // A whole working week.
    expect(workingMsBetween(calendar, local('2026-11-23T09:00'), local('2026-11-27T18:00'))).toBe(45 * H);
  });

  it('is the inverse of addWorkingHours', () => {
    const from = local('2026-11-20T16:47');
    for (const minutes of [0, 1, 13, 60, 61, 540, 541, 2000]) {
      const to = calendar.addWorkingHours(from, minutes / 60);
      expect(workingMsBetween(calendar, from, to)).toBe(minutes * MIN);
    }
  });
});

describe('pausing a clock', () => {
  // Paused on Friday at 17:00 (waiting for the customer), resumed on Monday at 10:00.
  const span = pauseSpan(calendar, local('2026-11-20T17:00'), local('2026-11-23T10:00'));

  it('measures the pause on the wall clock and in working time', () => {
    expect(span).toEqual({ wallMs: 65 * H, workingMs: 2 * H });
  });

  it('moves a working-time deadline by the working time paused', () => {
    // Due Monday 12:00 (4 working hours from Friday 17:00) → Monday 14:00.
    expect(shiftBy(calendar, local('2026-11-23T12:00'), 'working', span)).toEqual(local('2026-11-23T14:00'));
    // Due at Monday's closing time: the two hours run on into Tuesday.
    expect(shiftBy(calendar, local('2026-11-23T18:00'), 'working', span)).toEqual(local('2026-11-24T11:00'));
  });

  it('moves a wall-clock deadline by the whole pause', () => {
    expect(shiftBy(calendar, local('2026-11-20T17:15'), 'wall', span)).toEqual(local('2026-11-23T10:15'));
  });

  it('leaves a working-time deadline where it is after a pause outside working hours', () => {
    const night = pauseSpan(calendar, local('2026-11-23T19:00'), local('2026-11-24T08:00'));
    expect(night.workingMs).toBe(0);
    expect(shiftBy(calendar, local('2026-11-24T12:00'), 'working', night)).toEqual(local('2026-11-24T12:00'));
    expect(shiftBy(calendar, local('2026-11-24T12:00'), 'wall', night)).toEqual(local('2026-11-25T01:00'));
  });
});

describe('the warning time', () => {
  it('is warnAt of the target on the wall clock', () => {
    expect(warnTime(calendar, local('2026-11-23T10:00'), local('2026-11-23T10:15'), 'wall', 0.8)).toEqual(local('2026-11-23T10:12'));
  });

  it('is warnAt of the working time for a working-time clock', () => {
    // 4 working hours from Friday 17:00 is Monday 12:00; 80 % of them (3 h 12 min) is Monday 11:12.
    const start = local('2026-11-20T17:00');
    const due = calendar.addWorkingHours(start, 4);
    expect(due).toEqual(local('2026-11-23T12:00'));
    expect(warnTime(calendar, start, due, 'working', 0.8)).toEqual(local('2026-11-23T11:12'));
  });

  it('is the due time itself for a clock with no target (immediate)', () => {
    const at = local('2026-11-23T10:00');
    expect(warnTime(calendar, at, at, 'wall', 0.8)).toEqual(at);
  });
});
