import type { MonthlyTables } from './monthly-report.rows';
import { exportTables, totalRow } from './report-export.columns';
import { csvField, csvText, defuse, tableCsv, UTF8_BOM } from './report-export.csv';

const report: MonthlyTables & { month: string; dueDate: string } = {
  month: '2026-10',
  dueDate: '2026-11-02',
  totalCount: 2,
  totalFen: 1120083n,
  customerServiceRows: [
    {
      rowNo: 1,
      submittedAt: new Date('2026-09-30T16:10:00Z'),
      refundNo: 'RF1',
      orderNo: 'SO,1',
      contact: '138****5678',
      bank: '招商银行',
      amountFen: 1120000n,
      submitter: 'agent',
      sentToTechAt: null,
      sentToFinanceAt: new Date('2026-09-30T16:10:00Z'),
      financeAnsweredAt: null,
      customerToldAt: null,
    },
    {
      rowNo: 2,
      submittedAt: new Date('2026-10-09T02:00:00Z'),
      refundNo: 'RF2',
      orderNo: '=HYPERLINK("x")',
      contact: null,
      bank: null,
      amountFen: 83n,
      submitter: 'agent',
      sentToTechAt: null,
      sentToFinanceAt: null,
      financeAnsweredAt: null,
      customerToldAt: null,
    },
  ],
  financeRows: [],
};

describe('CSV export', () => {
  it('quotes fields as RFC 4180 asks', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('defuses text a spreadsheet would run as a formula, not phone numbers', () => {
    expect(defuse('=1+1')).toBe("'=1+1");
    expect(defuse('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(defuse('-2+3')).toBe("'-2+3");
    expect(defuse('+8613812345678')).toBe('+8613812345678');
    expect(defuse('SO-1')).toBe('SO-1');
  });

  it('writes exact amounts and business-zone times', () => {
    expect(csvText({ kind: 'amount', value: 100033n }, 'Asia/Shanghai')).toBe('1000.33');
    expect(csvText({ kind: 'amount', value: 5n }, 'Asia/Shanghai')).toBe('0.05');
    expect(csvText({ kind: 'time', value: new Date('2026-10-31T16:30:00Z') }, 'Asia/Shanghai')).toBe('2026-11-01 00:30');
    expect(csvText({ kind: 'time', value: null }, 'Asia/Shanghai')).toBe('');
  });

  it('writes the customer-service table with a BOM, CRLF lines and the 合计 row', () => {
    const [cs] = exportTables(report);
    const text = tableCsv(cs, totalRow(cs), 'Asia/Shanghai');
    expect(text.startsWith(UTF8_BOM)).toBe(true);
    expect(text.slice(1).split('\r\n')).toEqual([
      '序号,提交日期,退单编号,订单号,联系方式,支付银行,金额,提交人,转技术时间,转财务时间,财务回复时间,告知客户时间',
      '1,2026-10-01 00:10,RF1,"SO,1",138****5678,招商银行,11200.00,agent,,2026-10-01 00:10,,',
      `2,2026-10-09 10:00,RF2,"'=HYPERLINK(""x"")",,,0.83,agent,,,,`,
      '合计,,2笔,,,,11200.83,,,,,',
      '',
    ]);
  });
});
