import { DateTime } from 'luxon';
import type { BusinessCalendar } from '../calendar/business-calendar';

/** The business-zone periods an incident is counted in, stored with it (no time-zone math in SQL). */
export interface BusinessPeriods {
  /** YYYY-MM */
  businessMonth: string;
  /** The ISO week (Monday first) as YYYY-Www, its year the ISO week-year: 2026-12-31 is in 2026-W53. */
  businessWeek: string;
  /** YYYY-MM-DD */
  businessDay: string;
}

/**
 * Time-zone offsets and their changes fall on quarter hours, so the periods are the same all
 * through a quarter hour: each report of it reuses the answer (luxon's zone math costs tens of
 * µs, a good share of a report's own CPU). A quarter hour whose first and last millisecond
 * disagree (a transition inside it, in a zone with odd offsets) is never remembered.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const last = new Map<string, { quarter: number; periods: BusinessPeriods | null }>();

function computed(timeZone: string, ms: number): BusinessPeriods {
  const local = DateTime.fromMillis(ms, { zone: timeZone });
  return { businessMonth: local.toFormat('yyyy-MM'), businessWeek: local.toFormat("kkkk-'W'WW"), businessDay: local.toFormat('yyyy-MM-dd') };
}

const same = (a: BusinessPeriods, b: BusinessPeriods) =>
  a.businessDay === b.businessDay && a.businessWeek === b.businessWeek && a.businessMonth === b.businessMonth;

export function businessPeriods(calendar: Pick<BusinessCalendar, 'timeZone'>, at: Date): BusinessPeriods {
  const ms = at.getTime();
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  const known = last.get(calendar.timeZone);
  if (known?.quarter === quarter) return known.periods ? { ...known.periods } : computed(calendar.timeZone, ms);
  const start = computed(calendar.timeZone, quarter * QUARTER_HOUR_MS);
  const end = computed(calendar.timeZone, (quarter + 1) * QUARTER_HOUR_MS - 1);
  const periods = same(start, end) ? start : null;
  if (last.size > 16) last.clear();
  last.set(calendar.timeZone, { quarter, periods });
  return periods ? { ...periods } : computed(calendar.timeZone, ms);
}
