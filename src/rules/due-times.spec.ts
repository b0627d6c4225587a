import { BusinessCalendar } from '../calendar/business-calendar';
import { prng } from '../common/prng';
import { DueTimes } from './due-times';
import type { Catalog, Duration } from './types';

/**
 * DueTimes turns each Duration into a function once; every answer (and every error) must be the
 * calendar's addDuration's, for catalog, frozen and fresh Durations, asked repeatedly from one
 * report time and from many. Seeded; no clock is read.
 */
const calendar = new BusinessCalendar({
  timeZone: 'Asia/Shanghai', workingHours: { start: '09:00', end: '18:00' }, weekend: [6, 7],
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-10-10'],
});
const DURATIONS: Duration[] = [
  { immediate: true }, { minutes: 10 }, { minutes: 0.5 }, { hours: 1 }, { hours: 0.1 }, { hours: 24 },
  { workingHours: 4 }, { workingHours: 0 }, { workingHours: 2.5 }, { workingDays: 1 }, { workingDays: 3 }, { workingDays: 0.5 },
  { afterResolution: true }, { minutes: 5, hours: undefined },
];
const BAD = [{}, { minutes: -1 }, { hours: Number.NaN }, { minutes: 1, hours: 1 }, { weeks: 1 }, { immediate: false }, null] as unknown as Duration[];
const catalog = {
  actions: { A: { label: 'a', due: { workingDays: 3 } }, B: { label: 'b', due: { hours: 1 } } },
  deadlines: { GENERAL: { acknowledge: { workingHours: 4 }, resolve: { workingDays: 5 } } },
} as unknown as Pick<Catalog, 'actions' | 'deadlines'>;

const answer = (f: () => Date | null) => {
  try {
    const due = f();
    return { due: due === null ? null : due.getTime() };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
};

describe('DueTimes', () => {
  const rand = prng(23);
  const times = Array.from({ length: 400 }, () => new Date(Date.UTC(2026, 8, 20) + Math.floor(rand() * 40 * 24 * 60) * 60_000));
  const all = [...DURATIONS, ...BAD, ...Object.values(catalog.actions).map((a) => a.due), catalog.deadlines.GENERAL.resolve];

  it('answers as BusinessCalendar.addDuration, errors included, fresh and frozen Durations alike', () => {
    const due = new DueTimes(calendar, catalog);
    for (const from of times) {
      for (const d of all) {
        const fresh = d && typeof d === 'object' ? { ...d } : d;
        const frozen = d && typeof d === 'object' ? Object.freeze({ ...d }) : d;
        const expected = answer(() => calendar.addDuration(from, d));
        for (const asked of [d, fresh, frozen, d]) expect(answer(() => due.addDuration(from, asked))).toEqual(expected);
      }
    }
  });

  it('hands out a new Date every time (a decision owns its due times)', () => {
    const due = new DueTimes(calendar, catalog);
    const a = due.addDuration(times[0], catalog.actions.A.due!);
    const b = due.addDuration(times[0], catalog.actions.A.due!);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
  });

  it('fails on an invalid report time as the calendar does', () => {
    const due = new DueTimes(calendar, catalog);
    const invalid = new Date(Number.NaN);
    for (const d of DURATIONS) expect(answer(() => due.addDuration(invalid, d))).toEqual(answer(() => calendar.addDuration(invalid, d)));
  });
});
