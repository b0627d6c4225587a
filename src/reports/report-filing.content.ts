import type { CustomerServiceRow, FinanceRow, MonthlyTables } from './monthly-report.rows';
import type { ReportTable } from './report-filing.clock';
import { sha256 } from '../common/sha256';

/**
 * A monthly table as filed (the policy): canonical JSON text — the month, the table, its rows
 * in order with every column, its totals — whose sha256 is the checksum the sign-offs carry.
 * Times are ISO-8601 UTC, amounts exact strings of fen. Pure.
 */
export type FiledRow = CustomerServiceRow | FinanceRow;

export interface FiledTable {
  month: string;
  table: ReportTable;
  rows: FiledRow[];
  totalCount: number;
  totalFen: bigint;
}

/** One difference between a filed table and the same table computed now (更正 after filing). */
export interface LateChange {
  table: ReportTable;
  refundNo: string;
  /** CHANGED (a column), REMOVED (cancelled or otherwise left the month after filing), ADDED. */
  kind: 'CHANGED' | 'REMOVED' | 'ADDED';
  /** The column that changed (CHANGED only). */
  field: string | null;
  filed: string | null;
  current: string | null;
}

/** The rows of one table of the live tables. */
export function tableRows(tables: MonthlyTables, table: ReportTable): FiledRow[] {
  return table === 'CUSTOMER_SERVICE' ? tables.customerServiceRows : tables.financeRows;
}

/** The table as filed, and its sha256. */
export function fileTable(month: string, table: ReportTable, tables: MonthlyTables): { content: string; checksum: string } {
  const rows = tableRows(tables, table);
  const totalFen = rows.reduce((sum, r) => sum + r.amountFen, 0n);
  const content = JSON.stringify({ month, table, rows: rows.map(encodeRow), totalCount: rows.length, totalAmountFen: totalFen.toString() });
  return { content, checksum: sha256(content) };
}

/** Reads a filed table back. */
export function parseFiled(content: string): FiledTable {
  const data = JSON.parse(content) as {
    month: string;
    table: ReportTable;
    rows: Array<Record<string, string | number | null>>;
    totalCount: number;
    totalAmountFen: string;
  };
  return { month: data.month, table: data.table, rows: data.rows.map(decodeRow), totalCount: data.totalCount, totalFen: BigInt(data.totalAmountFen) };
}

/**
 * What changed in a filed table since it was filed, by refund number, in the filed row order
 * (then rows added, in the current order). The row number is not a change of its own.
 */
export function lateChanges(table: ReportTable, filed: readonly FiledRow[], current: readonly FiledRow[]): LateChange[] {
  const now = new Map(current.map((r) => [r.refundNo, encodeRow(r)]));
  const then = new Set(filed.map((r) => r.refundNo));
  const out: LateChange[] = [];
  for (const row of filed) {
    const was = encodeRow(row);
    const is = now.get(row.refundNo);
    if (!is) {
      out.push({ table, refundNo: row.refundNo, kind: 'REMOVED', field: null, filed: null, current: null });
      continue;
    }
    for (const field of Object.keys(was)) {
      if (field === 'rowNo' || was[field] === is[field]) continue;
      out.push({ table, refundNo: row.refundNo, kind: 'CHANGED', field, filed: text(was[field]), current: text(is[field]) });
    }
  }
  for (const row of current) {
    if (!then.has(row.refundNo)) out.push({ table, refundNo: row.refundNo, kind: 'ADDED', field: null, filed: null, current: null });
  }
  return out;
}

const text = (v: string | number | null | undefined) => (v === null || v === undefined ? null : String(v));

/** A row as JSON values, keys in the row's own order: times as ISO strings, the amount in fen as a string. */
function encodeRow(row: FiledRow): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : (v as string | number | null);
  }
  return out;
}

/** The inverse of encodeRow: every column named …At is a time, amountFen the amount. */
function decodeRow(r: Record<string, string | number | null>): FiledRow {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    if (k === 'amountFen') out[k] = BigInt(v as string);
    else if (k.endsWith('At')) out[k] = v === null ? null : new Date(v as string);
    else out[k] = v;
  }
  return out as unknown as FiledRow;
}
