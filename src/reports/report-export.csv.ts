import { DateTime } from 'luxon';
import { formatFen } from '../money/money';
import type { Cell, ExportTable } from './report-export.columns';

/** The byte-order mark that makes Excel read a CSV file as UTF-8 (Chinese headers intact). */
export const UTF8_BOM = '\uFEFF';

/** A cell as CSV text: amounts exact with two decimals, times as local "yyyy-MM-dd HH:mm". */
export function csvText(cell: Cell, timeZone: string): string {
  switch (cell.kind) {
    case 'int':
      return String(cell.value);
    case 'amount':
      return formatFen(cell.value);
    case 'time':
      return cell.value ? DateTime.fromJSDate(cell.value, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm') : '';
    case 'text':
      return defuse(cell.value ?? '');
  }
}

/**
 * Text a spreadsheet would run as a formula (CSV injection: "=HYPERLINK(…)" in an order
 * number) gets a leading apostrophe; a phone like +8613812345678 stays as it is.
 */
export function defuse(text: string): string {
  return /^[=@\t\r]/.test(text) || (/^[+-]/.test(text) && !/^[+-][\d ]*$/.test(text)) ? `'${text}` : text;
}

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One table as CSV: BOM, header row, one line per refund, the 合计 row; CRLF line ends as
 * Excel writes them.
 */
export function tableCsv(table: ExportTable, total: Cell[], timeZone: string): string {
  const line = (cells: Cell[]) => cells.map((c) => csvField(csvText(c, timeZone))).join(',');
  const lines = [table.columns.map((c) => csvField(c.header)).join(','), ...table.rows.map((r) => line(table.columns.map((c) => c.cell(r)))), line(total)];
  return UTF8_BOM + lines.join('\r\n') + '\r\n';
}
