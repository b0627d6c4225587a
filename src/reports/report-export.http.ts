import type { IncomingMessage, ServerResponse } from 'node:http';
import { callerOf, refusalHeaders } from '../auth/caller';
import { sendAppError, sendError } from '../http/http-errors';
import { CAN, canSeePhone, hasAnyRole } from '../auth/actor';
import { AppError } from '../common/errors';
import type { Services } from '../services';
import type { EdgeLimits } from '../graphql/hardening';
import { exportTables, TableName, TABLES, totalRow } from './report-export.columns';
import { tableCsv } from './report-export.csv';
import { monthlyWorkbook } from './report-export.xlsx';
import { statisticsCsv, statisticsRequest, statisticsWorkbook, STATISTICS_TITLE } from './incident-aggregate.export';
import { handoverWorkbook } from './shift-handover.xlsx';
import { drillReportWorkbook } from '../drills/drill-report.xlsx';
import { DRILL_ROLES } from '../drills/drill.roles';

/** Every path this handler answers starts with this. */
export const REPORT_EXPORT_PREFIX = '/reports/';

const MONTHLY = /^\/reports\/refunds\/monthly\/([^/]+)\.(xlsx|csv)$/;
const STATISTICS = /^\/reports\/incidents\/statistics\.(xlsx|csv)$/;
const HANDOVER = /^\/reports\/shift-handovers\/([^/]+)\.xlsx$/;
const DRILL = /^\/reports\/drills\/([^/]+)\.xlsx$/;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV = 'text/csv; charset=utf-8';

/**
 * GET /reports/refunds/monthly/YYYY-MM.xlsx (both tables, one sheet each) and .csv
 * (`?table=customer-service|finance`, customer service by default): the monthly 退单统计表
 * for the people who file them, with the same API keys, roles and phone masking as the
 * GraphQL report. Errors answer in the GraphQL error shape with an HTTP status.
 * GET /reports/shift-handovers/ID.xlsx: a handover record as the paper 客服部值班交接单.
 */
export async function handleReportExport(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  services: Services,
  limits: EdgeLimits,
  requestId: string,
): Promise<void> {
  try {
    const match = MONTHLY.exec(url.pathname);
    const statistics = STATISTICS.exec(url.pathname);
    const handover = HANDOVER.exec(url.pathname);
    const drill = DRILL.exec(url.pathname);
    if (!match && !statistics && !handover && !drill) {
      throw new AppError(
        'NOT_FOUND',
        'use /reports/refunds/monthly/YYYY-MM.xlsx or .csv, /reports/incidents/statistics.xlsx or .csv, or /reports/shift-handovers/ID.xlsx',
      );
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendError(res, 'BAD_REQUEST', 'use GET', {}, { status: 405 });
    }
    // The same door as GraphQL; a download is one operation of the key's budget.
    const actor = await callerOf(req, services.apiKeys, limits.authThrottle, services.log, requestId);
    if (!actor) throw new AppError('UNAUTHENTICATED', 'send "Authorization: Bearer <api key>" with a valid key');
    const retryAfter = await limits.rateLimiter.take(`key:${actor.name}`);
    if (retryAfter !== null)
      throw new AppError('RATE_LIMITED', `rate limit reached for this API key; retry after ${retryAfter} s`, { retryAfterSeconds: retryAfter });
    if (statistics) {
      if (!hasAnyRole(actor, CAN.statistics)) throw new AppError('FORBIDDEN', `the complaint statistics need one of the roles ${CAN.statistics.join(', ')}`);
      const file = await statisticsFile(url, services, statistics[1] as 'xlsx' | 'csv');
      return sendFile(req, res, file);
    }
    if (handover) {
      if (!hasAnyRole(actor, CAN.shiftHandover)) throw new AppError('FORBIDDEN', `the shift handover needs one of the roles ${CAN.shiftHandover.join(', ')}`);
      const record = await services.reports.handoverRecords.get(handover[1]);
      const { engine } = services.ruleSets.current();
      const body = await handoverWorkbook(record, engine.pack.catalog, engine.calendar.timeZone, canSeePhone(actor));
      return sendFile(req, res, { type: XLSX, body, ascii: `shift-handover-${record.entity.id}.xlsx`, name: `客服部值班交接单-${record.entity.id}.xlsx` });
    }
    if (drill) {
      if (!hasAnyRole(actor, DRILL_ROLES)) throw new AppError('FORBIDDEN', `the drill summary needs one of the roles ${DRILL_ROLES.join(', ')}`);
      const report = await services.drills.reports.report(drill[1]);
      const { engine } = services.ruleSets.current();
      const body = await drillReportWorkbook(report, engine.pack.catalog, engine.calendar.timeZone);
      return sendFile(req, res, { type: XLSX, body, ascii: `drill-${report.run.id}.xlsx`, name: `演练总结-${report.run.id}.xlsx` });
    }
    if (!match) throw new AppError('NOT_FOUND', 'not found');
    if (!hasAnyRole(actor, CAN.reports)) throw new AppError('FORBIDDEN', `the monthly refund report needs one of the roles ${CAN.reports.join(', ')}`);
    const [, month, format] = match;
    const table = url.searchParams.get('table') ?? 'customer-service';
    if (format === 'csv' && !(TABLES as readonly string[]).includes(table)) {
      throw new AppError('BAD_USER_INPUT', `table must be one of ${TABLES.join(', ')}`, { field: 'table', allowed: TABLES });
    }
    const report = await services.reports.monthly.report(month);
    const zone = services.ruleSets.current().engine.calendar.timeZone;
    const tables = exportTables(report);
    const chosen = tables.find((t) => t.name === (table as TableName))!;
    const body = format === 'xlsx' ? await monthlyWorkbook(report, zone, services.clock.now()) : Buffer.from(tableCsv(chosen, totalRow(chosen), zone), 'utf8');
    const title = format === 'xlsx' ? '退单统计表' : chosen.title;
    const ascii = format === 'xlsx' ? `refunds-${report.month}.xlsx` : `refunds-${report.month}-${chosen.name}.csv`;
    sendFile(req, res, { type: format === 'xlsx' ? XLSX : CSV, body, ascii, name: `${title}-${report.month}.${format}` });
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    sendAppError(res, e, refusalHeaders(e));
  }
}

/** A download: `ascii` for old clients, `name` (UTF-8, Chinese) for the others. */
function sendFile(req: IncomingMessage, res: ServerResponse, f: { type: string; body: Buffer; ascii: string; name: string }): void {
  res.writeHead(200, {
    'content-type': f.type,
    'content-length': f.body.length,
    'content-disposition': `attachment; filename="${f.ascii}"; filename*=UTF-8''${encodeURIComponent(f.name)}`,
    // Customer data: never kept by a shared cache.
    'cache-control': 'private, no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : f.body);
}

/** The complaint statistics (客诉统计分析表) as asked by the query string, with their 合计 row. */
async function statisticsFile(url: URL, services: Services, format: 'xlsx' | 'csv') {
  const { groupBy, filter } = statisticsRequest(url.searchParams, services.ruleSets.current().engine.pack.catalog);
  const stats = services.reports.incidentAggregates;
  const [rows, [total]] = await Promise.all([stats.aggregate(groupBy, filter), stats.aggregate([], filter)]);
  const span = [filter.from?.toISOString() ?? '', filter.to?.toISOString() ?? ''].join('–');
  const body = format === 'xlsx' ? await statisticsWorkbook(groupBy, rows, total, span) : statisticsCsv(groupBy, rows, total);
  return { type: format === 'xlsx' ? XLSX : CSV, body, ascii: `incident-statistics.${format}`, name: `${STATISTICS_TITLE}.${format}` };
}
