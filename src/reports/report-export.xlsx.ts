import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { formatFen } from '../money/money';
import type { Cell } from './report-export.columns';
import { exportTables, totalRow } from './report-export.columns';
import type { MonthlyReport } from './monthly-report.service';

const AMOUNT_FORMAT = '#,##0.00';
const TIME_FORMAT = 'yyyy-mm-dd hh:mm';

/**
 * Excel has no time zones: a date cell is a wall-clock reading. This is the business-zone
 * reading of the instant, as the Date whose UTC fields show it (exceljs writes UTC fields).
 */
function wallClock(at: Date, timeZone: string): Date {
  const l = DateTime.fromJSDate(at, { zone: timeZone });
  return new Date(Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second));
}

/**
 * A cell value: amounts as numbers parsed from the exact two-decimal string (a double shows
 * every fen of any amount below 10^13 yuan), shown with two decimals.
 */
function value(cell: Cell, timeZone: string): ExcelJS.CellValue {
  switch (cell.kind) {
    case 'int': return cell.value;
    case 'amount': return Number(formatFen(cell.value));
    case 'time': return cell.value ? wallClock(cell.value, timeZone) : null;
    case 'text': return cell.value;
  }
}

/**
 * The monthly report as a workbook with two sheets, 客服退单统计表 and 财务退单统计表: header row,
 * one row per refund, and the 合计 row in bold.
 */
export async function monthlyWorkbook(report: MonthlyReport, timeZone: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Triage';
  for (const table of exportTables(report)) {
    const ws = wb.addWorksheet(table.title, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.headerFooter.oddHeader = `&C${report.month} ${table.title}(报送日期 ${report.dueDate})`;
    ws.columns = table.columns.map((c) => ({ header: c.header, width: c.width }));
    ws.getRow(1).font = { bold: true };
    const add = (cells: Cell[]) => {
      const row = ws.addRow(cells.map((c) => value(c, timeZone)));
      cells.forEach((c, i) => {
        if (c.kind === 'amount') row.getCell(i + 1).numFmt = AMOUNT_FORMAT;
        if (c.kind === 'time') row.getCell(i + 1).numFmt = TIME_FORMAT;
      });
      return row;
    };
    for (const r of table.rows) add(table.columns.map((c) => c.cell(r)));
    add(totalRow(table, report)).font = { bold: true };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
