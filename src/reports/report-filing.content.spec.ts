import type { MonthlyTables } from './monthly-report.rows';
import { fileTable, lateChanges, parseFiled } from './report-filing.content';
import { sha256 } from '../common/sha256';
import { freezeHandover, thawHandover } from './shift-handover-record.content';
import type { ShiftHandover } from './shift-handover.service';

const at = (iso: string) => new Date(iso);
const tables: MonthlyTables = {
  customerServiceRows: [
    {
      rowNo: 1,
      submittedAt: at('2026-10-09T02:00:00Z'),
      refundNo: 'RF1',
      orderNo: 'SO-1',
      contact: '138****5678',
      bank: '招商银行',
      amountFen: 12050n,
      submitter: 'agent',
      sentToTechAt: null,
      sentToFinanceAt: at('2026-10-09T02:00:00Z'),
      financeAnsweredAt: null,
      customerToldAt: null,
    },
    {
      rowNo: 2,
      submittedAt: at('2026-10-10T02:00:00Z'),
      refundNo: 'RF2',
      orderNo: null,
      contact: null,
      bank: null,
      amountFen: 9_007_199_254_740_993n,
      submitter: 'agent',
      sentToTechAt: null,
      sentToFinanceAt: null,
      financeAnsweredAt: null,
      customerToldAt: null,
    },
  ],
  financeRows: [],
  totalCount: 2,
  totalFen: 9_007_199_254_753_043n,
};

describe('a table as filed', () => {
  it('reads back exactly (times, exact amounts beyond 2^53), with the sha256 of its text', () => {
    const { content, checksum } = fileTable('2026-10', 'CUSTOMER_SERVICE', tables);
    expect(checksum).toBe(sha256(content));
    const filed = parseFiled(content);
    expect(filed).toEqual({ month: '2026-10', table: 'CUSTOMER_SERVICE', rows: tables.customerServiceRows, totalCount: 2, totalFen: 9_007_199_254_753_043n });
    // The same table files to the same text.
    expect(fileTable('2026-10', 'CUSTOMER_SERVICE', tables).checksum).toBe(checksum);
  });

  it('lists what changed since filing, by refund: columns, rows gone, rows added; row numbers are no change', () => {
    const filed = tables.customerServiceRows;
    const now = [
      { ...filed[1], rowNo: 1 },
      { ...filed[0], refundNo: 'RF3', rowNo: 2 },
    ];
    now[0].financeAnsweredAt = at('2026-11-03T01:00:00Z');
    expect(lateChanges('CUSTOMER_SERVICE', filed, now)).toEqual([
      { table: 'CUSTOMER_SERVICE', refundNo: 'RF1', kind: 'REMOVED', field: null, filed: null, current: null },
      { table: 'CUSTOMER_SERVICE', refundNo: 'RF2', kind: 'CHANGED', field: 'financeAnsweredAt', filed: null, current: '2026-11-03T01:00:00.000Z' },
      { table: 'CUSTOMER_SERVICE', refundNo: 'RF3', kind: 'ADDED', field: null, filed: null, current: null },
    ]);
    expect(lateChanges('CUSTOMER_SERVICE', filed, filed)).toEqual([]);
  });
});

describe('a handover frozen', () => {
  it('thaws to the same values: dates, bigints, nested entities', () => {
    const h = {
      from: at('2026-12-02T00:00:00Z'),
      to: at('2026-12-02T10:00:00Z'),
      paidTotalFen: 9990n,
      paid: [{ entity: { id: 1, amountFen: 9990n, paidAt: at('2026-12-02T03:00:00Z'), report: { $date: 'not a tag: two keys', x: 1 } }, steps: [] }],
      submittedToFinance: [],
      returnedByFinance: [],
      returns: [],
      openIncidents: [],
      tasks: [],
    } as unknown as ShiftHandover;
    const text = freezeHandover(h);
    expect(thawHandover(text)).toEqual(h);
    expect(freezeHandover(thawHandover(text))).toBe(text);
  });
});
