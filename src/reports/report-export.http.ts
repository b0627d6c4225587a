import type { IncomingMessage, ServerResponse } from 'node:http';
import { callerOf, CALLER_REFUSALS, refusalHeaders } from '../auth/caller';
import { CAN, hasAnyRole } from '../auth/actor';
import { AppError, ErrorCode } from '../common/errors';
import type { Services } from '../services';
import type { EdgeLimits } from '../graphql/hardening';
import { exportTables, TableName, TABLES, totalRow } from './report-export.columns';
import { tableCsv } from './report-export.csv';
import { monthlyWorkbook } from './report-export.xlsx';

/** Every path this handler answers starts with this. */
export const REPORT_EXPORT_PREFIX = '/reports/';

const MONTHLY = /^\/reports\/refunds\/monthly\/([^/]+)\.(xlsx|csv)$/;
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
    if (!match) throw new AppError('NOT_FOUND', 'use /reports/refunds/monthly/YYYY-MM.xlsx or /reports/refunds/monthly/YYYY-MM.csv');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendError(res, 405, 'BAD_REQUEST', 'use GET');
    }
    // The same door as GraphQL; a download is one operation of the key's budget.
    const actor = await callerOf(req, services.apiKeys, limits.authThrottle, services.log, requestId);
    if (!actor) throw new AppError('UNAUTHENTICATED', 'send "Authorization: Bearer <api key>" with a valid key');
    const retryAfter = await limits.rateLimiter.take(`key:${actor.name}`);
    if (retryAfter !== null) throw new AppError('RATE_LIMITED', `rate limit reached for this API key; retry after ${retryAfter} s`, { retryAfterSeconds: retryAfter });
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
    res.writeHead(200, {
      'content-type': format === 'xlsx' ? XLSX : 'text/csv; charset=utf-8',
      'content-length': body.length,
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(`${title}-${report.month}.${format}`)}`,
      // Customer data: never kept by a shared cache.
      'cache-control': 'private, no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (e) {
    if (!(e instanceof AppError) || !STATUS[e.code]) throw e;
    for (const [name, value] of Object.entries(refusalHeaders(e))) res.setHeader(name, value);
    sendError(res, STATUS[e.code]!, e.code, e.message, e.extensions);
  }
}

function sendError(res: ServerResponse, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  const text = JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
