import ExcelJS from 'exceljs';
import { badInput } from '../common/errors';
import { INCIDENT_STATUSES } from '../incidents/incident.types';
import { checkFilterCodes } from '../incidents/incident.validation';
import { formatFen } from '../money/money';
import type { Catalog } from '../rules/types';
import { INCIDENT_GROUP_BYS, IncidentAggregate, IncidentAggregateFilter, IncidentGroupBy } from './incident-aggregate.groups';
import type { Cell } from './report-export.columns';
import { csvField, csvText, UTF8_BOM } from './report-export.csv';

const SEVERITIES = ['GENERAL', 'SERIOUS', 'URGENT', 'CRITICAL'];

/** The file title (客诉统计分析表) and the header of each grouping's key column. */
export const STATISTICS_TITLE = '客诉统计分析表';
export const KEY_HEADERS: Record<IncidentGroupBy, string> = {
  MONTH: '月份',
  WEEK: '周',
  DAY: '日期',
  CATEGORY: '类别',
  SUBTYPE: '子类',
  SEVERITY: '严重程度',
  OWNER_DEPARTMENT: '责任部门',
  SOURCE: '来源',
  CHANNEL: '渠道',
  STATUS: '状态',
};

/** The figures' columns, after the keys: Chinese headers, and each row's cell. */
const FIGURES: Array<{ header: string; width: number; cell(a: IncidentAggregate): Cell | { kind: 'ratio' | 'decimal'; value: number | null } }> = [
  { header: '事件数', width: 8, cell: (a) => ({ kind: 'int', value: a.count }) },
  { header: '已受理', width: 8, cell: (a) => ({ kind: 'int', value: a.acknowledged }) },
  { header: '按时受理率', width: 11, cell: (a) => ({ kind: 'ratio', value: a.acknowledgedOnTimeRate }) },
  { header: '已解决', width: 8, cell: (a) => ({ kind: 'int', value: a.resolved }) },
  { header: '按时解决率', width: 11, cell: (a) => ({ kind: 'ratio', value: a.resolvedOnTimeRate }) },
  { header: '平均解决时长(小时)', width: 16, cell: (a) => ({ kind: 'decimal', value: a.averageHoursToResolve }) },
  { header: '超时次数', width: 9, cell: (a) => ({ kind: 'int', value: a.breaches }) },
  { header: '回访数', width: 8, cell: (a) => ({ kind: 'int', value: a.surveyed }) },
  { header: '平均满意度', width: 11, cell: (a) => ({ kind: 'decimal', value: a.averageSatisfaction }) },
  { header: '重复投诉顾客事件数', width: 18, cell: (a) => ({ kind: 'int', value: a.repeatCustomerIncidents }) },
  { header: '涉及金额', width: 14, cell: (a) => ({ kind: 'amount', value: a.totalFen }) },
];

type ExportCell = Cell | { kind: 'ratio' | 'decimal'; value: number | null };

/** What a download asks for, from its query string. */
export interface StatisticsRequest {
  groupBy: IncidentGroupBy[];
  filter: IncidentAggregateFilter;
}

/**
 * Reads `?groupBy=MONTH,CATEGORY&from=…&to=…&status=…&severity=…&category=…&ownerDepartment=…
 * &source=…&customerId=…&includeDrills=true` (lists comma-separated, as in the GraphQL
 * filter); a bad value is BAD_USER_INPUT naming the parameter. `groupBy` defaults to MONTH.
 */
export function statisticsRequest(params: URLSearchParams, catalog: Catalog): StatisticsRequest {
  const list = (name: string) =>
    (params.get(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const codes = (name: string, allowed: readonly string[]) => {
    const values = list(name);
    values.forEach((v, i) => {
      if (!allowed.includes(v)) throw badInput(`${name}[${i}]`, `unknown value ${v.slice(0, 40)}; allowed: ${allowed.join(', ')}`, { allowed });
    });
    return values.length ? values : null;
  };
  const time = (name: string) => {
    const v = params.get(name);
    if (!v) return null;
    const at = new Date(v);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(at.getTime())) throw badInput(name, 'must be an ISO date-time such as 2025-12-31T16:00:00Z');
    return at;
  };
  const groupBy = params.has('groupBy') ? (codes('groupBy', INCIDENT_GROUP_BYS) ?? []) : ['MONTH'];
  const drills = params.get('includeDrills');
  if (drills !== null && drills !== 'true' && drills !== 'false') throw badInput('includeDrills', 'must be true or false');
  const filter: IncidentAggregateFilter = {
    from: time('from'),
    to: time('to'),
    status: codes('status', INCIDENT_STATUSES),
    severity: codes('severity', SEVERITIES),
    category: nonEmpty(list('category')),
    ownerDepartment: nonEmpty(list('ownerDepartment')),
    source: params.get('source') || null,
    customerId: params.get('customerId') || null,
    includeDrills: drills === 'true',
  };
  checkFilterCodes({ category: filter.category as string[] | null, ownerDepartment: filter.ownerDepartment as string[] | null }, catalog);
  return { groupBy: groupBy as IncidentGroupBy[], filter };
}

const nonEmpty = (values: string[]) => (values.length ? values : null);

function rowsOf(
  groupBy: readonly IncidentGroupBy[],
  rows: readonly IncidentAggregate[],
  total: IncidentAggregate,
): { headers: string[]; widths: number[]; lines: ExportCell[][] } {
  const keyCells = (a: IncidentAggregate | null): ExportCell[] => groupBy.map((_, i) => ({ kind: 'text', value: a ? a.keys[i] : i === 0 ? '合计' : null }));
  const headers = [...groupBy.map((g) => KEY_HEADERS[g]), ...FIGURES.map((f) => f.header)];
  const widths = [...groupBy.map((g) => (g === 'CATEGORY' || g === 'OWNER_DEPARTMENT' || g === 'SUBTYPE' ? 20 : 12)), ...FIGURES.map((f) => f.width)];
  const line = (a: IncidentAggregate, keys: ExportCell[]) => [...keys, ...FIGURES.map((f) => f.cell(a))];
  const lines = rows.map((a) => line(a, keyCells(a)));
  // The 合计 row: the figures over every row (one query without grouping, so rates and averages are over all).
  // Without a grouping the one row is that total already.
  if (groupBy.length) lines.push(line(total, keyCells(null)));
  return { headers, widths, lines };
}

const ratioText = (v: number | null) => (v === null ? '' : `${(Math.round(v * 10_000) / 100).toFixed(2)}%`);

function text(cell: ExportCell): string {
  switch (cell.kind) {
    case 'ratio':
      return ratioText(cell.value);
    case 'decimal':
      return cell.value === null ? '' : cell.value.toFixed(2);
    default:
      return csvText(cell, 'UTC');
  }
}

/** The statistics as CSV: BOM, Chinese header row, one line per group, the 合计 row; CRLF. */
export function statisticsCsv(groupBy: readonly IncidentGroupBy[], rows: readonly IncidentAggregate[], total: IncidentAggregate): Buffer {
  const { headers, lines } = rowsOf(groupBy, rows, total);
  const out = [headers.map(csvField).join(','), ...lines.map((l) => l.map((c) => csvField(text(c))).join(','))];
  return Buffer.from(UTF8_BOM + out.join('\r\n') + '\r\n', 'utf8');
}

/** The statistics as a workbook of one sheet: rates as percentages, amounts with two decimals, the 合计 row in bold. */
export async function statisticsWorkbook(
  groupBy: readonly IncidentGroupBy[],
  rows: readonly IncidentAggregate[],
  total: IncidentAggregate,
  caption: string,
): Promise<Buffer> {
  const { headers, widths, lines } = rowsOf(groupBy, rows, total);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Triage';
  const ws = wb.addWorksheet(STATISTICS_TITLE, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.headerFooter.oddHeader = `&C${STATISTICS_TITLE} ${caption}`;
  ws.columns = headers.map((header, i) => ({ header, width: widths[i] }));
  ws.getRow(1).font = { bold: true };
  lines.forEach((cells, n) => {
    const row = ws.addRow(cells.map((c) => (c.kind === 'amount' ? Number(formatFen(c.value)) : c.value)));
    cells.forEach((c, i) => {
      if (c.kind === 'amount') row.getCell(i + 1).numFmt = '#,##0.00';
      if (c.kind === 'ratio') row.getCell(i + 1).numFmt = '0.00%';
      if (c.kind === 'decimal') row.getCell(i + 1).numFmt = '0.00';
    });
    if (n === lines.length - 1) row.font = { bold: true };
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
