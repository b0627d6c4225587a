import { Info } from 'luxon';
import type { BusinessCalendarConfig } from '../rules/types';
import { BusinessCalendar } from './business-calendar';
import { prng } from '../common/prng';

/**
 * addWorkingHours walks day numbers with memoised working windows and offsets; the luxon walk
 * it replaced (kept as `walkByDate`) is the reference. Both must give the same instant, or the
 * same error, everywhere: zones with DST, half-hour DST, odd offsets, midnight transitions and
 * a skipped day. Seeded; no clock is read.
 */
type Walker = { walkByDate(from: Date, hours: number): Date; localDay(at: Date): number };

const base: BusinessCalendarConfig = { timeZone: 'UTC', workingHours: { start: '09:00', end: '18:00' }, weekend: [6, 7], holidays: [], workdays: [] };
const CALENDARS: Array<[string, BusinessCalendarConfig]> = [
  [
    'Shanghai with holidays and 调休',
    {
      ...base,
      timeZone: 'Asia/Shanghai',
      holidays: ['2026-01-01', '2026-02-16', '2026-02-17', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
      workdays: ['2026-02-14', '2026-10-10'],
    },
  ],
  ['Berlin (DST at 02:00/03:00)', { ...base, timeZone: 'Europe/Berlin', workingHours: { start: '01:30', end: '17:00' }, weekend: [] }],
  ['New York', { ...base, timeZone: 'America/New_York', workingHours: { start: '00:00', end: '23:59' } }],
  ['Lord Howe (half-hour DST)', { ...base, timeZone: 'Australia/Lord_Howe', workingHours: { start: '01:00', end: '03:00' }, weekend: [7] }],
  ['Kathmandu (+05:45)', { ...base, timeZone: 'Asia/Kathmandu', weekend: [6] }],
  ['São Paulo (DST began at midnight until 2019)', { ...base, timeZone: 'America/Sao_Paulo', workingHours: { start: '00:00', end: '08:00' }, weekend: [] }],
  ['Apia (skipped 2011-12-30)', { ...base, timeZone: 'Pacific/Apia', weekend: [] }],
  ['Havana (DST at midnight)', { ...base, timeZone: 'America/Havana', workingHours: { start: '00:00', end: '01:00' } }],
];
/** 2009-01-01 … 2027-12-31: the Apia jump, São Paulo's midnight DST years, and today. */
const FIRST = Date.UTC(2009, 0, 1);
const SPAN = Date.UTC(2028, 0, 1) - FIRST;
const DAY_MS = 86_400_000;

/** The days (as epoch ms) on which the zone's offset changes, found by a daily scan. */
function transitionDays(timeZone: string): number[] {
  const zone = Info.normalizeZone(timeZone);
  const days: number[] = [];
  let previous = zone.offset(FIRST);
  for (let t = FIRST + DAY_MS; t < FIRST + SPAN; t += DAY_MS) {
    const offset = zone.offset(t);
    if (offset !== previous) days.push(t - DAY_MS);
    previous = offset;
  }
  return days;
}

describe('BusinessCalendar fast walk ≡ luxon walk', () => {
  it.each(CALENDARS)('%s', (_name, config) => {
    const rand = prng(config.timeZone.length * 7919);
    const calendar = new BusinessCalendar(config);
    const reference = calendar as unknown as Walker;
    const transitions = transitionDays(config.timeZone);
    const differences: unknown[] = [];
    for (let i = 0; i < 300 && differences.length < 5; i++) {
      // Any minute of the span, or near an offset transition (within three days before it); odd seconds sometimes.
      const start =
        transitions.length && rand() < 0.4
          ? transitions[Math.floor(rand() * transitions.length)] - Math.floor(rand() * 3 * 1440) * 60_000 + DAY_MS
          : FIRST + Math.floor((rand() * SPAN) / 60_000) * 60_000;
      const from = new Date(start + (rand() < 0.2 ? Math.floor(rand() * 60_000) : 0));
      const hours = rand() < 0.1 ? 0 : rand() < 0.95 ? Math.floor(rand() * 60 * 4) / 4 : rand() * 200;
      const fast = outcome(() => calendar.addWorkingHours(from, hours).toISOString());
      const slow = outcome(() => reference.walkByDate(from, hours).toISOString());
      if (fast !== slow) differences.push({ from: from.toISOString(), hours, fast, slow });
    }
    expect(differences).toEqual([]);
    if (config.timeZone !== 'Asia/Shanghai' && config.timeZone !== 'Asia/Kathmandu') expect(transitions.length).toBeGreaterThan(0);
  });

  it.each(CALENDARS)('%s: local dates around every offset transition', (_name, config) => {
    const calendar = new BusinessCalendar(config);
    const fast = calendar as unknown as Walker;
    const differences: unknown[] = [];
    // Every 10 minutes from a day before to two days after each transition day, in two passes so the memo is cold, then warm.
    for (const pass of [1, 2]) {
      for (const day of transitionDays(config.timeZone)) {
        for (let t = day - DAY_MS; t < day + 2 * DAY_MS; t += 600_000) {
          const at = new Date(t + (pass === 2 ? 59_999 : 0));
          const expected = calendar.localDate(at);
          const actual = new Date(fast.localDay(at) * DAY_MS).toISOString().slice(0, 10);
          if (actual !== expected) differences.push({ at: at.toISOString(), expected, actual });
        }
      }
    }
    expect(differences.slice(0, 5)).toEqual([]);
  });

  it.each(CALENDARS)('%s: workingSpan remembers per day what workingTimeAfter answers', (_name, config) => {
    const rand = prng(config.timeZone.length * 104729);
    const calendar = new BusinessCalendar(config);
    const transitions = transitionDays(config.timeZone);
    // A few days (some at transitions), each asked many times: every minute class of a day, cold and warm memos.
    const days = Array.from({ length: 12 }, () =>
      transitions.length && rand() < 0.5
        ? transitions[Math.floor(rand() * transitions.length)] - Math.floor(rand() * 2) * DAY_MS
        : FIRST + Math.floor((rand() * SPAN) / DAY_MS) * DAY_MS,
    );
    const differences: unknown[] = [];
    for (const hours of [0, 0.25, 4, 9, 13.5, 27, 45, 200]) {
      const ms = Math.round(hours * 60) * 60_000;
      const span = calendar.workingSpan(ms);
      for (let i = 0; i < 3000 && differences.length < 5; i++) {
        const day = days[Math.floor(rand() * days.length)];
        const from = new Date(day + Math.floor(rand() * 3 * 1440) * 60_000 - DAY_MS + (rand() < 0.2 ? Math.floor(rand() * 60_000) : 0));
        const remembered = outcome(() => new Date(span(from)).toISOString());
        const walked = outcome(() => new Date(calendar.workingTimeAfter(from, ms)).toISOString());
        if (remembered !== walked) differences.push({ from: from.toISOString(), hours, remembered, walked });
      }
    }
    expect(differences).toEqual([]);
  });

  it("keeps the luxon walk's answer outside the four-digit years", () => {
    const calendar = new BusinessCalendar(base);
    const reference = calendar as unknown as Walker;
    for (const [from, hours] of [
      [new Date('0999-12-31T12:00:00Z'), 30],
      [new Date('9999-12-31T12:00:00Z'), 30],
      [new Date('9999-12-30T12:00:00Z'), 3],
    ] as const) {
      expect(outcome(() => calendar.addWorkingHours(from, hours).toISOString())).toBe(outcome(() => reference.walkByDate(from, hours).toISOString()));
    }
  });
});

function outcome(run: () => string): string {
  try {
    return run();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}
