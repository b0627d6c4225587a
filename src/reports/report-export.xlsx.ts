import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { DateTime } from 'luxon';
import { formatFen } from '../money/money';
import type { Cell } from './report-export.columns';
import { exportTables, totalRow } from './report-export.columns';
import type { MonthlyReport, ReportSignOff } from './monthly-report.service';

const AMOUNT_FORMAT = '#,##0.00';
const TIME_FORMAT = 'yyyy-mm-dd hh:mm';

/** The paper form's sign-off lines under each table, in the order they are signed. */
const SIGN_OFF_LINES = [
  { stage: 'REVIEWED', label: '部门主管审核' },
  { stage: 'ARCHIVED', label: '行政人事部存档' },
] as const;

/**
 * Excel has no time zones: a date cell is a wall-clock reading. This is the business-zone
 * reading of the instant, as the Date whose UTC fields show it (exceljs writes UTC fields).
 */
export function wallClock(at: Date, timeZone: string): Date {
  const l = DateTime.fromJSDate(at, { zone: timeZone });
  return new Date(Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second));
}

/**
 * A cell value: amounts as numbers parsed from the exact two-decimal string (a double shows
 * every fen of any amount below 10^13 yuan), shown with two decimals.
 */
export function cellValue(cell: Cell, timeZone: string): ExcelJS.CellValue {
  switch (cell.kind) {
    case 'int':
      return cell.value;
    case 'amount':
      return Number(formatFen(cell.value));
    case 'time':
      return cell.value ? wallClock(cell.value, timeZone) : null;
    case 'text':
      return cell.value;
  }
}

/**
 * The monthly report as a workbook with two sheets, 客服退单统计表 and 财务退单统计表: header row,
 * one row per refund, the 合计 row in bold, then the sign-off lines of the paper form (审批人,
 * 日期) — filled in once signed — and the checksum of the table as filed; the sign-offs also in
 * the printed page footer. A filed month downloads the same bytes every time (see
 * `stableWorkbook`), whatever changes later.
 */
export async function monthlyWorkbook(report: MonthlyReport, timeZone: string, now: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Triage';
  const day = (at: Date) => DateTime.fromJSDate(at, { zone: timeZone }).toFormat('yyyy-MM-dd');
  for (const table of exportTables(report)) {
    const ws = wb.addWorksheet(table.title, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.headerFooter.oddHeader = `&C${report.month} ${table.title}(报送日期 ${report.dueDate})`;
    ws.columns = table.columns.map((c) => ({ header: c.header, width: c.width }));
    ws.getRow(1).font = { bold: true };
    const add = (cells: Cell[]) => {
      const row = ws.addRow(cells.map((c) => cellValue(c, timeZone)));
      cells.forEach((c, i) => {
        if (c.kind === 'amount') row.getCell(i + 1).numFmt = AMOUNT_FORMAT;
        if (c.kind === 'time') row.getCell(i + 1).numFmt = TIME_FORMAT;
      });
      return row;
    };
    for (const r of table.rows) add(table.columns.map((c) => c.cell(r)));
    add(totalRow(table)).font = { bold: true };
    const signed = (stage: string): ReportSignOff | undefined => report.signOffs.find((s) => s.table === table.table && s.stage === stage);
    ws.addRow([]);
    const footer: string[] = [];
    for (const line of SIGN_OFF_LINES) {
      const s = signed(line.stage);
      ws.addRow([line.label, '审批人', s?.actor ?? null, '日期', s ? day(s.at) : null, '备注', s?.note ?? null]);
      footer.push(`${line.label} 审批人: ${s?.actor ?? '______'} 日期: ${s ? day(s.at) : '______'}`);
    }
    const filing = report.filings.find((f) => f.table === table.table);
    if (filing?.checksum) ws.addRow(['校验码(sha256)', filing.checksum]);
    ws.headerFooter.oddFooter = `&L${footer[0]}&R${footer[1]}`;
  }
  // A filed month dates the file by its last signature; a live one by now.
  const signedAt = report.signOffs.map((s) => s.at.getTime());
  const allFiled = report.filings.every((f) => f.checksum);
  return stableWorkbook(wb, allFiled && signedAt.length ? new Date(Math.max(...signedAt)) : now);
}

/**
 * The workbook's bytes with every date in it set to `at`: the document's created/modified
 * times and each zip entry's time (exceljs stamps both with the time of writing), so that the
 * same content always gives the same bytes.
 */
export async function stableWorkbook(wb: ExcelJS.Workbook, at: Date): Promise<Buffer> {
  wb.created = at;
  wb.modified = at;
  const zip = await JSZip.loadAsync(Buffer.from(await wb.xlsx.writeBuffer()));
  zip.forEach((_path, entry) => {
    entry.date = at;
  });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
