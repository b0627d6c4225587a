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

export function businessPeriods(calendar: Pick<BusinessCalendar, 'timeZone'>, at: Date): BusinessPeriods {
  const local = DateTime.fromJSDate(at, { zone: calendar.timeZone });
  return { businessMonth: local.toFormat('yyyy-MM'), businessWeek: local.toFormat("kkkk-'W'WW"), businessDay: local.toFormat('yyyy-MM-dd') };
}
