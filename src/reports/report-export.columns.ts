import type { CustomerServiceRow, FinanceRow, MonthlyTables } from './monthly-report.rows';
import type { ReportTable } from './report-filing.clock';

/**
 * The columns of the exported tables (退单统计表), shared by the .xlsx and .csv writers so
 * both say the same thing: Chinese headers as the procedures name them, times in the
 * business time zone.
 */
export type Cell =
  { kind: 'int'; value: number } | { kind: 'text'; value: string | null } | { kind: 'time'; value: Date | null } | { kind: 'amount'; value: bigint };

export interface Column<R> {
  header: string;
  width: number;
  cell(row: R): Cell;
}

export const TABLES = ['customer-service', 'finance'] as const;
export type TableName = (typeof TABLES)[number];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tables of any row type
export interface ExportTable<R = any> {
  name: TableName;
  /** The table as filed (RefundReportTable). */
  table: ReportTable;
  /** Sheet name and file title. */
  title: string;
  columns: Column<R>[];
  rows: R[];
}

const int = <R>(header: string, width: number, get: (r: R) => number): Column<R> => ({ header, width, cell: (r) => ({ kind: 'int', value: get(r) }) });
const text = <R>(header: string, width: number, get: (r: R) => string | null): Column<R> => ({ header, width, cell: (r) => ({ kind: 'text', value: get(r) }) });
const time = <R>(header: string, get: (r: R) => Date | null): Column<R> => ({ header, width: 17, cell: (r) => ({ kind: 'time', value: get(r) }) });
const amount = <R extends { amountFen: bigint }>(): Column<R> => ({ header: '金额', width: 12, cell: (r) => ({ kind: 'amount', value: r.amountFen }) });

type Base = CustomerServiceRow | FinanceRow;
const head = <R extends Base>() => [
  int<R>('序号', 6, (r) => r.rowNo),
  time<R>('提交日期', (r) => r.submittedAt),
  text<R>('退单编号', 20, (r) => r.refundNo),
  text<R>('订单号', 16, (r) => r.orderNo),
];

export const CUSTOMER_SERVICE_COLUMNS: Column<CustomerServiceRow>[] = [
  ...head<CustomerServiceRow>(),
  text('联系方式', 14, (r) => r.contact),
  text('支付银行', 14, (r) => r.bank),
  amount(),
  text('提交人', 14, (r) => r.submitter),
  time('转技术时间', (r) => r.sentToTechAt),
  time('转财务时间', (r) => r.sentToFinanceAt),
  time('财务回复时间', (r) => r.financeAnsweredAt),
  time('告知客户时间', (r) => r.customerToldAt),
];

export const FINANCE_COLUMNS: Column<FinanceRow>[] = [
  ...head<FinanceRow>(),
  text('支付银行', 14, (r) => r.bank),
  amount(),
  text('提交人', 14, (r) => r.submitter),
  time('出纳初核时间', (r) => r.cashierCheckedAt),
  time('会计复核时间', (r) => r.accountantReviewedAt),
  time('财务总监审批时间', (r) => r.directorApprovedAt),
  time('告知客户时间', (r) => r.customerToldAt),
];

/** Both tables of a report, customer service first. */
export function exportTables(report: MonthlyTables): ExportTable[] {
  return [
    { name: 'customer-service', table: 'CUSTOMER_SERVICE', title: '客服退单统计表', columns: CUSTOMER_SERVICE_COLUMNS, rows: report.customerServiceRows },
    { name: 'finance', table: 'FINANCE', title: '财务退单统计表', columns: FINANCE_COLUMNS, rows: report.financeRows },
  ];
}

/**
 * The 合计 row of the table's own rows (a filed table keeps its own): the label under 序号, the
 * count under 退单编号 ("3笔"), the exact total under 金额, nothing elsewhere.
 */
export function totalRow(table: ExportTable<CustomerServiceRow | FinanceRow>): Cell[] {
  const totalFen = table.rows.reduce((sum, r) => sum + r.amountFen, 0n);
  return table.columns.map((c): Cell => {
    if (c.header === '序号') return { kind: 'text', value: '合计' };
    if (c.header === '退单编号') return { kind: 'text', value: `${table.rows.length}笔` };
    if (c.header === '金额') return { kind: 'amount', value: totalFen };
    return { kind: 'text', value: null };
  });
}
