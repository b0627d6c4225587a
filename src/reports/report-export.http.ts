import type { IncomingMessage, ServerResponse } from 'node:http';
import { callerOf, CALLER_REFUSALS, refusalHeaders } from '../auth/caller';
import { CAN, hasAnyRole } from '../auth/actor';
import { AppError, ErrorCode } from '../common/errors';
import type { Services } from '../services';
import type { EdgeLimits } from '../graphql/hardening';
import { exportTables, TableName, TABLES, totalRow } from './report-export.columns';
import { tableCsv } from './report-export.csv';
import { monthlyWorkbook } from './report-export.xlsx';
import { statisticsCsv, statisticsRequest, statisticsWorkbook, STATISTICS_TITLE } from './incident-aggregate.export';

/** Every path this handler answers starts with this. */
export const REPORT_EXPORT_PREFIX = '/reports/';

const MONTHLY = /^\/reports\/refunds\/monthly\/([^/]+)\.(xlsx|csv)$/;
const STATISTICS = /^\/reports\/incidents\/statistics\.(xlsx|csv)$/;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const STATUS: Partial<Record<ErrorCode, number>> = { ...CALLER_REFUSALS, FORBIDDEN: 403, BAD_USER_INPUT: 400, NOT_FOUND: 404 };

/**
 * GET /reports/refunds/monthly/YYYY-MM.xlsx (both tables, one sheet each) and .csv
 * (`?table=customer-service|finance`, customer service by default): the monthly 退单统计表
 * for the people who file them, with the same API keys, roles and phone masking as the
 * GraphQL report. Errors answer in the GraphQL error shape with an HTTP status.
 */
export async function handleReportExport(req: IncomingMessage, res: ServerResponse, url: URL, services: Services, limits: EdgeLimits, requestId: string): Promise<void> {
  try {
    const match = MONTHLY.exec(url.pathname);
    const statistics = STATISTICS.exec(url.pathname);
    if (!match && !statistics) throw new AppError('NOT_FOUND', 'use /reports/refunds/monthly/YYYY-MM.xlsx or .csv, or /reports/incidents/statistics.xlsx or .csv');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendError(res, 405, 'BAD_REQUEST', 'use GET');
    }
    // The same door as GraphQL: one request of the key's budget.
    const actor = await callerOf(req, services.apiKeys, limits.authThrottle, services.log, requestId);
    if (!actor) throw new AppError('UNAUTHENTICATED', 'send "Authorization: Bearer <api key>" with a valid key');
    const retryAfter = await limits.rateLimiter.take(`key:${actor.name}`);
    if (retryAfter !== null) throw new AppError('RATE_LIMITED', `rate limit reached for this API key; retry after ${retryAfter} s`, { retryAfterSeconds: retryAfter });
    if (statistics) {
      if (!hasAnyRole(actor, CAN.statistics)) throw new AppError('FORBIDDEN', `the complaint statistics need one of the roles ${CAN.statistics.join(', ')}`);
      const file = await statisticsFile(url, services, statistics[1] as 'xlsx' | 'csv');
      return sendFile(req, res, file);
    }
    if (!match) throw new AppError('NOT_FOUND', 'unreachable');
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
    const body = format === 'xlsx' ? await monthlyWorkbook(report, zone) : Buffer.from(tableCsv(chosen, totalRow(chosen, report), zone), 'utf8');
    const title = format === 'xlsx' ? '退单统计表' : chosen.title;
    const ascii = format === 'xlsx' ? `refunds-${report.month}.xlsx` : `refunds-${report.month}-${chosen.name}.csv`;
    sendFile(req, res, { format: format as 'xlsx' | 'csv', body, ascii, name: `${title}-${report.month}.${format}` });
  } catch (e) {
    if (!(e instanceof AppError) || !STATUS[e.code]) throw e;
    for (const [name, value] of Object.entries(refusalHeaders(e))) res.setHeader(name, value);
    sendError(res, STATUS[e.code]!, e.code, e.message, e.extensions);
  }
}

/** A download: `ascii` for old clients, `name` (UTF-8, Chinese) for the others. */
function sendFile(req: IncomingMessage, res: ServerResponse, f: { format: 'xlsx' | 'csv'; body: Buffer; ascii: string; name: string }): void {
  res.writeHead(200, {
    'content-type': f.format === 'xlsx' ? XLSX : 'text/csv; charset=utf-8',
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
  return { format, body, ascii: `incident-statistics.${format}`, name: `${STATISTICS_TITLE}.${format}` };
}

function sendError(res: ServerResponse, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  const text = JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
