import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { isUniqueViolation } from '../database/errors';
import { ReportFilingEntity } from './report-filing.entity';

/** The two monthly tables that are filed (RefundReportTable). */
export const REPORT_TABLES = ['CUSTOMER_SERVICE', 'FINANCE'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

/** A month's filing deadline: from the end of the month to the end of its due date (business zone). */
export interface FilingWindow {
  /** The month is over: the table may be reviewed from here on. */
  startAt: Date;
  /** YYYY-MM-DD: the 1st of the next month, or the next working day. */
  dueDate: string;
  /** The end of the due date: past this and not ARCHIVED, the filing is overdue. */
  dueAt: Date;
}

export function filingWindow(calendar: BusinessCalendar, month: string): FilingWindow {
  const dueDate = calendar.monthDueDate(month);
  return {
    startAt: calendar.monthRange(month).to,
    dueDate,
    dueAt: DateTime.fromISO(dueDate, { zone: calendar.timeZone }).plus({ days: 1 }).startOf('day').toJSDate(),
  };
}

/** The filing rows of one month and table, made OPEN if missing (another writer may make them first). */
export async function ensureFilingRow(em: EntityManager, calendar: BusinessCalendar, month: string, table: ReportTable): Promise<void> {
  if (await em.findOneBy(ReportFilingEntity, { month, tableName: table })) return;
  const { startAt, dueAt } = filingWindow(calendar, month);
  const row: Omit<ReportFilingEntity, 'id'> = { month, tableName: table, status: 'OPEN', startAt, dueAt, content: null, checksum: null, filedAt: null };
  try {
    await em.insert(ReportFilingEntity, row as QueryDeepPartialEntity<ReportFilingEntity>);
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
}

/**
 * The escalation scheduler's `prepare` of REPORT_FILING: once a month is over, both of its
 * tables are documents due, whether or not anyone opened them.
 */
export async function ensureFilingClocks(ds: DataSource, now: Date, calendar: BusinessCalendar): Promise<void> {
  const previous = DateTime.fromJSDate(now, { zone: calendar.timeZone }).startOf('month').minus({ months: 1 }).toFormat('yyyy-MM');
  for (const table of REPORT_TABLES) await ensureFilingRow(ds.manager, calendar, previous, table);
}
