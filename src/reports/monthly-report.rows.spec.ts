import { buildMonthlyTables, checkMonth, MonthlyRefund, MonthlyStep } from './monthly-report.rows';

const t = (hhmm: string) => new Date(`2026-10-15T${hhmm}:00Z`);
const refund = (id: number, amountFen: bigint, extra: Partial<MonthlyRefund> = {}): MonthlyRefund => ({
  id,
  requestedAt: t('03:00'),
  refundNo: `RF${id}`,
  orderNo: `SO-${id}`,
  phone: '13812345678',
  bank: '工商银行',
  amountFen,
  requestedBy: 'agent',
  ...extra,
});
const step = (refundId: number, s: string, status: string, pending: string | null, decided: string | null): MonthlyStep => ({
  refundId,
  step: s,
  status,
  pendingSince: pending ? t(pending) : null,
  decidedAt: decided ? t(decided) : null,
});

describe('monthly refund tables', () => {
  it('accepts YYYY-MM only', () => {
    expect(checkMonth('2026-10')).toBe('2026-10');
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-10', '2026-10-01', ' 2026-10']) {
      expect(() => checkMonth(bad)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', extensions: expect.objectContaining({ field: 'month' }) }));
    }
  });

  it('maps the steps of a paid PAYMENT_FAULT refund to the columns of both tables', () => {
    const steps = [
      step(1, 'CS_REVIEW', 'APPROVED', '03:00', '03:05'),
      step(1, 'TECH_VERIFY', 'APPROVED', '03:05', '03:10'),
      step(1, 'CASHIER_CHECK', 'APPROVED', '03:10', '03:15'),
      step(1, 'ACCOUNTANT_REVIEW', 'APPROVED', '03:15', '03:20'),
      step(1, 'FINANCE_DIRECTOR_APPROVAL', 'APPROVED', '03:20', '03:25'),
      step(1, 'PAYOUT', 'APPROVED', '03:25', '03:30'),
      step(1, 'CUSTOMER_NOTIFIED', 'APPROVED', '03:30', '03:35'),
    ];
    const {
      customerServiceRows: [cs],
      financeRows: [fin],
    } = buildMonthlyTables([refund(1, 9990n)], steps);
    expect(cs).toEqual({
      rowNo: 1,
      submittedAt: t('03:00'),
      refundNo: 'RF1',
      orderNo: 'SO-1',
      bank: '工商银行',
      amountFen: 9990n,
      submitter: 'agent',
      contact: '138****5678',
      sentToTechAt: t('03:05'),
      sentToFinanceAt: t('03:10'),
      financeAnsweredAt: t('03:30'),
      customerToldAt: t('03:35'),
    });
    expect(fin).toMatchObject({ cashierCheckedAt: t('03:15'), accountantReviewedAt: t('03:20'), directorApprovedAt: t('03:25'), customerToldAt: t('03:35') });
    expect(fin).not.toHaveProperty('contact');
  });

  it('takes a return by finance as its answer, and leaves columns of steps not reached empty', () => {
    const steps = [
      step(2, 'CASHIER_CHECK', 'APPROVED', '03:00', '03:05'),
      step(2, 'ACCOUNTANT_REVIEW', 'RETURNED', '03:05', '03:09'),
      step(2, 'FINANCE_DIRECTOR_APPROVAL', 'WAITING', null, null),
      step(2, 'PAYOUT', 'WAITING', null, null),
      step(2, 'CUSTOMER_NOTIFIED', 'WAITING', null, null),
    ];
    const {
      customerServiceRows: [cs],
      financeRows: [fin],
    } = buildMonthlyTables([refund(2, 100n, { phone: null })], steps);
    expect(cs).toMatchObject({ contact: null, sentToTechAt: null, sentToFinanceAt: t('03:00'), financeAnsweredAt: t('03:09'), customerToldAt: null });
    expect(fin).toMatchObject({ cashierCheckedAt: t('03:05'), accountantReviewedAt: t('03:09'), directorApprovedAt: null });
  });

  it('leaves "director approved at" empty when the director returned the request', () => {
    const steps = [
      step(3, 'CASHIER_CHECK', 'APPROVED', '03:00', '03:05'),
      step(3, 'ACCOUNTANT_REVIEW', 'APPROVED', '03:05', '03:09'),
      step(3, 'FINANCE_DIRECTOR_APPROVAL', 'RETURNED', '03:09', '03:12'),
      step(3, 'PAYOUT', 'WAITING', null, null),
      step(3, 'CUSTOMER_NOTIFIED', 'WAITING', null, null),
    ];
    const {
      customerServiceRows: [cs],
      financeRows: [fin],
    } = buildMonthlyTables([refund(3, 100n)], steps);
    expect(fin).toMatchObject({ accountantReviewedAt: t('03:09'), directorApprovedAt: null });
    expect(cs.financeAnsweredAt).toEqual(t('03:12'));
  });

  it('numbers rows in the order given and totals them exactly, phones always masked (the filed table)', () => {
    const refunds = [refund(5, 12050n), refund(3, 100033n), refund(9, 1n, { phone: '+8613812345678' })];
    const tables = buildMonthlyTables(refunds, []);
    expect(tables.customerServiceRows.map((r) => [r.rowNo, r.refundNo, r.contact])).toEqual([
      [1, 'RF5', '138****5678'],
      [2, 'RF3', '138****5678'],
      [3, 'RF9', '+86 138****5678'],
    ]);
    expect(tables.financeRows.map((r) => r.rowNo)).toEqual([1, 2, 3]);
    expect([tables.totalCount, tables.totalFen]).toEqual([3, 112084n]);
    expect(buildMonthlyTables([], [])).toEqual({ customerServiceRows: [], financeRows: [], totalCount: 0, totalFen: 0n });
  });
});
