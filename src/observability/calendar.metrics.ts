import { Gauge, Registry } from 'prom-client';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { Clock } from '../common/clock';

/**
 * How far the active pack's holiday calendar reaches: the end of the last date it covers and
 * the days left to it — alert before it runs out. No sample when the pack does not say.
 */
export function registerCalendarMetrics(registry: Registry, calendar: () => BusinessCalendar | null, clock: Clock): void {
  new Gauge({
    name: 'triage_calendar_holidays_known_until_timestamp_seconds',
    help: "End of the last day the active rule pack's holiday calendar covers (calendar.holidaysKnownUntil, business time zone), Unix seconds",
    registers: [registry],
    aggregator: 'first',
    collect() {
      this.reset();
      const c = calendar();
      if (c?.holidaysKnownUntil) this.set(c.endOfDay(c.holidaysKnownUntil).getTime() / 1000);
    },
  });
  new Gauge({
    name: 'triage_calendar_holidays_days_left',
    help: 'Days from today (business time zone) to the last day the holiday calendar covers; validation and the startup log warn below 60',
    registers: [registry],
    aggregator: 'first',
    collect() {
      this.reset();
      const left = calendar()?.daysOfHolidaysLeft(clock.now());
      if (left !== null && left !== undefined) this.set(left);
    },
  });
}
