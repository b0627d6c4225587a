import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import request from 'supertest';
import { rebuildRefundRollups } from '../../src/reports/refund-rollup.store';
import { Harness, startHarness } from './support/harness';
import { buildReportScenario, PHONE, RefundName, RETURN_REASON } from './support/report-scenario';

/** The reports of the policy over HTTP: aggregates, the monthly tables, exports, the shift handover. */
describe('reports', () => {
  let h: Harness;
  let r: Record<RefundName, any>;
  beforeAll(async () => {
    h = await startHarness();
    r = await buildReportScenario(h);
  });
  afterAll(async () => {
    await h.close();
  });

  const AGGREGATES = `query($g: [RefundGroupBy!]!, $f: RefundFilter) {
    refundAggregates(groupBy: $g, filter: $f) { keys count totalAmount averageAmount averageHoursToPay overdueSteps paidCount lateSteps pendingOverdueSteps } }`;
  const aggregates = async (groupBy: string[], filter?: Record<string, unknown>, key = h.keys.ANALYST) => {
    const res = await h.gql(key, AGGREGATES, { g: groupBy, f: filter });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.refundAggregates as any[];
  };
  const fen = (amount: string) => BigInt(amount.replace('.', ''));
  const yuan = (f: bigint) => `${f / 100n}.${String(f % 100n).padStart(2, '0')}`;
  const OCTOBER = { from: '2026-09-30T16:00:00Z', to: '2026-10-31T16:00:00Z' };

  describe('refundAggregates', () => {
    it('per month and bank: totals equal the sum of the refunds to the fen, months in Shanghai time', async () => {
      const all = await h.gql(h.keys.ADMIN, '{ refunds(first: 200) { edges { node { amount bank requestedAt } } } }');
      const expected = new Map<string, { count: number; total: bigint }>();
      for (const { node } of all.data.refunds.edges) {
        const key = `${DateTime.fromISO(node.requestedAt).setZone('Asia/Shanghai').toFormat('yyyy-MM')}|${node.bank ?? ''}`;
        const e = expected.get(key) ?? { count: 0, total: 0n };
        expected.set(key, { count: e.count + 1, total: e.total + fen(node.amount) });
      }
      const rows = await aggregates(['MONTH', 'BANK']);
      expect(new Map(rows.map((a) => [a.keys.join('|'), { count: a.count, total: fen(a.totalAmount) }]))).toEqual(expected);
      expect(rows.map((a) => a.keys)).toEqual([
        ['2026-10', ''],
        ['2026-10', '工商银行'],
        ['2026-10', '建设银行'],
        ['2026-10', '招商银行'],
        ['2026-11', '招商银行'],
      ]);
      const cmb = rows.find((a) => a.keys.join() === '2026-10,招商银行');
      // R1 120.50 + R3 1000.33; average 560.415 rounds half-up; only R1 was paid, 12.5 h after the request;
      // R1's payout came after finance's 12 hours, R3 waits past its due time.
      expect(cmb).toEqual({
        keys: ['2026-10', '招商银行'],
        count: 2,
        totalAmount: '1120.83',
        averageAmount: '560.42',
        averageHoursToPay: 12.5,
        overdueSteps: 2,
        paidCount: 1,
        lateSteps: 1,
        pendingOverdueSteps: 1,
      });
      expect(rows.find((a) => a.keys.join() === '2026-10,工商银行')).toMatchObject({
        count: 2,
        totalAmount: '133.23',
        averageAmount: '66.62',
        averageHoursToPay: 0.5,
        overdueSteps: 1,
      });
      expect(rows.find((a) => a.keys.join() === '2026-10,')).toMatchObject({ count: 1, totalAmount: '7.77', averageHoursToPay: null });
    });

    it("gives each approval step's durations and missed time limits, in the catalog's order", async () => {
      const STAGES = `query($f: RefundFilter) { refundStageDurations(filter: $f) { step label decided averageHours maxHours late pending pendingOverdue } }`;
      const res = await h.gql(h.keys.ANALYST, STAGES, { f: OCTOBER });
      expect(res.errors).toBeUndefined();
      const stages = res.data.refundStageDurations as any[];
      expect(stages.map((s) => s.step)).toEqual([
        'CS_REVIEW',
        'TECH_VERIFY',
        'CASHIER_CHECK',
        'ACCOUNTANT_REVIEW',
        'FINANCE_DIRECTOR_APPROVAL',
        'PAYOUT',
        'CUSTOMER_NOTIFIED',
      ]);
      // R2, the only PAYMENT_FAULT: its shift lead and tech each took five minutes, in time.
      expect(stages[0]).toMatchObject({ step: 'CS_REVIEW', label: '当日负责人审核', decided: 1, averageHours: 0.08, maxHours: 0.08, late: 0, pending: 0 });
      expect(stages[1]).toMatchObject({ step: 'TECH_VERIFY', decided: 1, averageHours: 0.08, late: 0 });
      // R1's cashier took 5 hours; R2's and R3's two attempts 5 minutes each: 4 decisions.
      expect(stages[2]).toMatchObject({ step: 'CASHIER_CHECK', decided: 4, maxHours: 5, averageHours: 1.31 });
      // R1's payout came 7 h 10 min after it became pending, past finance's 12 hours; R2's took 5 minutes.
      expect(stages[5]).toMatchObject({ step: 'PAYOUT', decided: 2, maxHours: 7.17, late: 1 });
      const bad = await h.gql(h.keys.ANALYST, STAGES, { f: { category: ['NOPE'] } });
      expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.category[0]' });
      expect((await h.gql(h.keys.AGENT, STAGES, { f: OCTOBER })).errors![0].extensions.code).toBe('FORBIDDEN');
    });

    it('groups by DAY in Shanghai time: 2026-10-31T16:30Z is November the 1st', async () => {
      const rows = await aggregates(['DAY'], { from: '2026-09-01T00:00:00Z', to: '2026-12-01T00:00:00Z', status: ['IN_APPROVAL'] });
      expect(rows.map((a) => [a.keys[0], a.totalAmount])).toEqual([
        ['2026-10-01', '7.77'],
        ['2026-10-20', '1000.33'],
        ['2026-10-31', '33.33'],
        ['2026-11-01', '50.00'],
      ]);
    });

    it('leaves drills out unless asked for, and combines any groupings in the order given', async () => {
      const without = await aggregates(['BANK', 'STATUS', 'CATEGORY'], OCTOBER);
      expect(without.some((a) => a.keys[0] === '农业银行')).toBe(false);
      const withDrills = await aggregates(['BANK', 'STATUS', 'CATEGORY'], { ...OCTOBER, includeDrills: true });
      expect(withDrills.find((a) => a.keys[0] === '农业银行')).toMatchObject({
        keys: ['农业银行', 'IN_APPROVAL', 'OVERCHARGE'],
        count: 1,
        totalAmount: '500.00',
      });
      const [total] = await aggregates([], OCTOBER);
      expect(total).toMatchObject({
        keys: [],
        count: 6,
        totalAmount: yuan(['7.77', '120.50', '99.90', '1000.33', '88.88', '33.33'].reduce((s, a) => s + fen(a), 0n)),
      });
      const methods = await aggregates(['OWNER_DEPARTMENT', 'METHOD'], OCTOBER);
      expect(methods.reduce((s, a) => s + a.count, 0)).toBe(6);
      // No grouping over nothing is still one total row, of zeros; a grouping over nothing has no rows.
      const future = { from: '2030-01-01T00:00:00Z' };
      expect(await aggregates([], future)).toEqual([
        {
          keys: [],
          count: 0,
          totalAmount: '0.00',
          averageAmount: '0.00',
          averageHoursToPay: null,
          overdueSteps: 0,
          paidCount: 0,
          lateSteps: 0,
          pendingOverdueSteps: 0,
        },
      ]);
      expect(await aggregates(['MONTH'], future)).toEqual([]);
    });

    it('answers whole months from the rollup and anything else from the refunds, with the same numbers', async () => {
      const service = h.app.services.reports.aggregates;
      const filter = { from: new Date(OCTOBER.from), to: new Date('2026-11-30T16:00:00Z') };
      expect(service.plan(['MONTH', 'BANK'], filter).rollup).toBe(true);
      expect(service.plan(['DAY'], filter).rollup).toBe(false);
      expect(service.plan(['MONTH'], { from: new Date('2026-10-09T00:00:00Z') }).rollup).toBe(false);
      for (const groupBy of [['MONTH', 'BANK', 'STATUS'], ['CATEGORY', 'METHOD', 'OWNER_DEPARTMENT'], []] as const) {
        const viaRollup = await service.aggregate(groupBy, { ...filter, includeDrills: true });
        expect(await service.aggregate(groupBy, { ...filter, includeDrills: true }, { scan: true })).toEqual(viaRollup);
      }
      // The rollup and the pending steps kept write by write equal those rebuilt from the refunds.
      const cells = async () =>
        (
          await h.app.services.ds.query(
            'SELECT business_month, drill, category, bank, method, status, owner_department, refund_count, total_fen, paid_count, pay_ms, late_steps FROM refund_rollups WHERE refund_count <> 0 ORDER BY business_month, category, bank, method, status',
          )
        )
          .map((c: Record<string, unknown>) => Object.values(c).map(String).join('|'))
          .concat(
            (await h.app.services.ds.query('SELECT * FROM refund_pending_steps ORDER BY refund_id')).map((p: Record<string, unknown>) =>
              Object.values(p).map(String).join('|'),
            ),
          );
      const incremental = await cells();
      expect(incremental.length).toBeGreaterThan(10);
      await h.app.services.tx.run((em) => rebuildRefundRollups(em));
      expect(await cells()).toEqual(incremental);
    });

    it('refuses other roles, no key, a grouping named twice, a reversed window', async () => {
      for (const role of ['AGENT', 'CASHIER', 'CS_LEAD'] as const) {
        expect((await h.gql(h.keys[role], AGGREGATES, { g: ['MONTH'] })).errors?.[0].extensions.code).toBe('FORBIDDEN');
      }
      for (const role of ['FINANCE_DIRECTOR', 'ACCOUNTANT', 'ADMIN'] as const) expect((await aggregates(['MONTH'], undefined, h.keys[role])).length).toBe(2);
      expect((await h.gql(null, AGGREGATES, { g: ['MONTH'] })).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
      const twice = await h.gql(h.keys.ANALYST, AGGREGATES, { g: ['MONTH', 'MONTH'] });
      expect(twice.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'groupBy' });
      const reversed = await h.gql(h.keys.ANALYST, AGGREGATES, { g: ['MONTH'], f: { from: OCTOBER.to, to: OCTOBER.from } });
      expect(reversed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
    });
  });

  const MONTHLY = `query($m: String!) { monthlyRefundReport(month: $m) { month dueDate totalCount totalAmount
    customerServiceRows { rowNo submittedAt refundNo orderNo contact bank amount submitter sentToTechAt sentToFinanceAt financeAnsweredAt customerToldAt }
    financeRows { rowNo submittedAt refundNo orderNo bank amount submitter cashierCheckedAt accountantReviewedAt directorApprovedAt customerToldAt } } }`;

  describe('monthlyRefundReport', () => {
    it('gives the October tables: Shanghai month, no drills, no cancelled, totals, due 2026-11-02, phones masked for analysts', async () => {
      const { data } = await h.gql(h.keys.ANALYST, MONTHLY, { m: '2026-10' });
      const m = data.monthlyRefundReport;
      expect(m).toMatchObject({ month: '2026-10', dueDate: '2026-11-02', totalCount: 5, totalAmount: '1261.83' });
      const order = ['R6', 'R1', 'R2', 'R3', 'R4'] as const;
      expect(m.customerServiceRows.map((x: any) => [x.rowNo, x.refundNo, x.amount])).toEqual(order.map((n, i) => [i + 1, r[n].refundNo, r[n].amount]));
      expect(m.financeRows.map((x: any) => x.refundNo)).toEqual(order.map((n) => r[n].refundNo));
      expect(m.customerServiceRows.every((x: any) => x.contact === '138****5678')).toBe(true);
      const step = (n: RefundName, s: string, attempt = 1) => r[n].steps.find((x: any) => x.step === s && x.attempt === attempt);
      expect(m.customerServiceRows[2]).toEqual({
        rowNo: 3,
        submittedAt: r.R2.requestedAt,
        refundNo: r.R2.refundNo,
        orderNo: 'SO-2026-10-15',
        contact: '138****5678',
        bank: '工商银行',
        amount: '99.90',
        submitter: 'test-agent',
        sentToTechAt: '2026-10-15T03:05:00.000Z',
        sentToFinanceAt: '2026-10-15T03:10:00.000Z',
        financeAnsweredAt: step('R2', 'PAYOUT').decidedAt,
        customerToldAt: step('R2', 'CUSTOMER_NOTIFIED').decidedAt,
      });
      expect(m.financeRows[1]).toMatchObject({
        refundNo: r.R1.refundNo,
        cashierCheckedAt: '2026-10-09T07:00:00.000Z',
        accountantReviewedAt: '2026-10-09T07:10:00.000Z',
        directorApprovedAt: '2026-10-09T07:20:00.000Z',
        customerToldAt: '2026-10-09T14:40:00.000Z',
      });
      // R3 was returned, then resubmitted: the columns read the latest attempt.
      expect(m.financeRows[3]).toMatchObject({
        cashierCheckedAt: step('R3', 'CASHIER_CHECK', 2).decidedAt,
        accountantReviewedAt: null,
        directorApprovedAt: null,
      });
      expect(m.customerServiceRows[3]).toMatchObject({ sentToTechAt: null, financeAnsweredAt: null, customerToldAt: null });
      const admin = await h.gql(h.keys.ADMIN, MONTHLY, { m: '2026-10' });
      // The filed table masks the contact for every reader, ADMIN too (§7 "contact (masked phone)").
      expect(admin.data.monthlyRefundReport.customerServiceRows[0].contact).toBe('138****5678');
      const november = (await h.gql(h.keys.FINANCE_DIRECTOR, MONTHLY, { m: '2026-11' })).data.monthlyRefundReport;
      expect(november).toMatchObject({ dueDate: '2026-12-01', totalCount: 1, totalAmount: '50.00' });
    });

    it('refuses a malformed month and roles that do not file reports', async () => {
      for (const m of ['2026-13', '2026-1', 'October', '2026-10-01']) {
        expect((await h.gql(h.keys.ANALYST, MONTHLY, { m })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month' });
      }
      expect((await h.gql(h.keys.AGENT, MONTHLY, { m: '2026-10' })).errors?.[0].extensions.code).toBe('FORBIDDEN');
    });
  });

  describe('exports', () => {
    const download = (path: string, key: string | null = h.keys.ANALYST) => {
      const req = request(h.app.server)
        .get(path)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      return key ? req.set('authorization', `Bearer ${key}`) : req;
    };

    it('downloads the October workbook: two sheets, Chinese headers, numeric amounts, the same totals', async () => {
      const res = await download('/reports/refunds/monthly/2026-10.xlsx');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers['content-disposition']).toContain('filename="refunds-2026-10.xlsx"');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['客服退单统计表', '财务退单统计表']);
      const cs = wb.getWorksheet('客服退单统计表')!;
      expect((cs.getRow(1).values as unknown[]).slice(1)).toEqual([
        '序号',
        '提交日期',
        '退单编号',
        '订单号',
        '联系方式',
        '支付银行',
        '金额',
        '提交人',
        '转技术时间',
        '转财务时间',
        '财务回复时间',
        '告知客户时间',
      ]);
      // Header, 5 refunds, 合计, a blank line, and the paper form's two sign-off lines (unsigned yet).
      expect(cs.rowCount).toBe(1 + 5 + 1 + 1 + 2);
      expect((cs.getRow(9).values as unknown[]).slice(1, 4)).toEqual(['部门主管审核', '审批人', undefined]);
      const amounts = [2, 3, 4, 5, 6].map((i) => cs.getRow(i).getCell(7));
      expect(amounts.every((c) => typeof c.value === 'number' && c.numFmt === '#,##0.00')).toBe(true);
      expect(amounts.reduce((s, c) => s + fen((c.value as number).toFixed(2)), 0n)).toBe(fen('1261.83'));
      expect(cs.getRow(2).getCell(5).value).toBe('138****5678');
      expect(cs.getRow(3).getCell(3).value).toBe(r.R1.refundNo);
      // 2026-10-09T02:00Z is 10:00 in Shanghai: the cell reads the business-zone wall clock.
      expect((cs.getRow(3).getCell(2).value as Date).toISOString()).toBe('2026-10-09T10:00:00.000Z');
      const total = cs.getRow(7);
      expect([total.getCell(1).value, total.getCell(3).value, total.getCell(7).value]).toEqual(['合计', '5笔', 1261.83]);
      const fin = wb.getWorksheet('财务退单统计表')!;
      expect((fin.getRow(1).values as unknown[]).slice(8)).toEqual(['出纳初核时间', '会计复核时间', '财务总监审批时间', '告知客户时间']);
      expect(fin.getRow(7).getCell(6).value).toBe(1261.83);
    });

    it('downloads either table as UTF-8 CSV with a BOM', async () => {
      const cs = await download('/reports/refunds/monthly/2026-10.csv');
      expect(cs.status).toBe(200);
      expect(cs.headers['content-type']).toBe('text/csv; charset=utf-8');
      const text = cs.body.toString('utf8');
      expect(text.startsWith('\uFEFF序号,提交日期,退单编号,订单号,联系方式,支付银行,金额,提交人,转技术时间,转财务时间,财务回复时间,告知客户时间\r\n')).toBe(
        true,
      );
      const lines = text.trim().split('\r\n');
      expect(lines).toHaveLength(7);
      expect(lines[2]).toBe(
        `2,2026-10-09 10:00,${r.R1.refundNo},SO-2026-10-09,138****5678,招商银行,120.50,test-agent,,2026-10-09 10:00,2026-10-09 22:30,2026-10-09 22:40`,
      );
      expect(lines[6]).toBe(',,5笔,,,,1261.83,,,,,'.replace(/^/, '合计'));
      const fin = (await download('/reports/refunds/monthly/2026-10.csv?table=finance')).body.toString('utf8');
      expect(fin.split('\r\n')[0]).toBe('\uFEFF序号,提交日期,退单编号,订单号,支付银行,金额,提交人,出纳初核时间,会计复核时间,财务总监审批时间,告知客户时间');
    });

    it('answers 401 without a key, 403 for other roles, 400 for a bad month or table, 404 elsewhere', async () => {
      expect((await download('/reports/refunds/monthly/2026-10.xlsx', null)).status).toBe(401);
      expect((await download('/reports/refunds/monthly/2026-10.xlsx', 'trg_unknown')).status).toBe(401);
      const forbidden = await download('/reports/refunds/monthly/2026-10.csv', h.keys.AGENT);
      expect([forbidden.status, JSON.parse(forbidden.body.toString()).errors[0].extensions.code]).toEqual([403, 'FORBIDDEN']);
      const bad = await download('/reports/refunds/monthly/2026-13.xlsx');
      expect([bad.status, JSON.parse(bad.body.toString()).errors[0].extensions.field]).toEqual([400, 'month']);
      expect((await download('/reports/refunds/monthly/2026-10.csv?table=sales')).status).toBe(400);
      expect((await download('/reports/refunds/weekly/2026-10.csv')).status).toBe(404);
    });
  });

  describe('shiftHandover', () => {
    const HANDOVER = `query($from: DateTime!, $to: DateTime!) { shiftHandover(from: $from, to: $to) {
      from to paidTotalAmount paid { refundNo phone amount bank status } submittedToFinance { refundNo } returnedByFinance { refundNo returnReason }
      returns { refundNo step reason returnedBy } openIncidents { id category status drill }
      tasks { kind incidentId refundNo code role dueAt overdue note } } }`;
    const WINDOW = { from: '2026-10-15T00:00:00Z', to: '2026-10-21T00:00:00Z' };

    it('lists what finance paid, received and returned in the window, the open incidents, and what the next shift must do', async () => {
      const { data } = await h.gql(h.keys.ADMIN, HANDOVER, WINDOW); // ADMIN sees phones in clear
      const s = data.shiftHandover;
      expect(s.paid).toEqual([{ refundNo: r.R2.refundNo, phone: PHONE, amount: '99.90', bank: '工商银行', status: 'COMPLETED' }]);
      expect(s.paidTotalAmount).toBe('99.90');
      expect(s.submittedToFinance.map((x: any) => x.refundNo)).toEqual([r.R2.refundNo, r.R3.refundNo]);
      expect(s.returnedByFinance).toEqual([{ refundNo: r.R3.refundNo, returnReason: RETURN_REASON }]);
      expect(s.returns).toEqual([{ refundNo: r.R3.refundNo, step: 'ACCOUNTANT_REVIEW', reason: RETURN_REASON, returnedBy: 'test-accountant' }]);
      expect(s.openIncidents.map((i: any) => i.category)).toEqual(['OVERCHARGE', 'OVERCHARGE', 'PAYMENT_FAULT', 'SYSTEM_FAILURE', 'OVERCHARGE']);
      expect(s.openIncidents.every((i: any) => i.status === 'OPEN' && !i.drill)).toBe(true);
      expect(s.tasks).toContainEqual(
        expect.objectContaining({ kind: 'REFUND_STEP', refundNo: r.R3.refundNo, code: 'ACCOUNTANT_REVIEW', role: 'ACCOUNTANT', overdue: true }),
      );
      expect(s.tasks.filter((t: any) => t.kind === 'ACKNOWLEDGE')).toHaveLength(5);
      const dues = s.tasks.map((t: any) => t.dueAt).filter(Boolean);
      expect(dues).toEqual([...dues].sort());
      const analyst = await h.gql(h.keys.ANALYST, HANDOVER, WINDOW);
      expect(analyst.data.shiftHandover.paid[0].phone).toBe('138****5678');
      // R8 reached the cashier, then was cancelled there: it was still submitted to finance.
      const later = await h.gql(h.keys.ADMIN, HANDOVER, { from: '2026-10-25T00:00:00Z', to: '2026-10-26T00:00:00Z' });
      expect(later.data.shiftHandover.submittedToFinance.map((x: any) => x.refundNo)).toEqual([r.R8.refundNo]);
    });

    it('refuses roles outside reporting and the shift staff (the policy), and a reversed window', async () => {
      for (const role of ['TECH', 'CASHIER', 'PRESIDENT'] as const)
        expect((await h.gql(h.keys[role], HANDOVER, WINDOW)).errors?.[0].extensions.code).toBe('FORBIDDEN');
      // The shift staff read the handover, phones in clear (注意保密 lets AGENT and CS_LEAD see them).
      for (const role of ['AGENT', 'CS_LEAD'] as const) expect((await h.gql(h.keys[role], HANDOVER, WINDOW)).data.shiftHandover.paid[0].phone).toBe(PHONE);
      expect((await h.gql(h.keys.FINANCE_DIRECTOR, HANDOVER, WINDOW)).data.shiftHandover.paid).toHaveLength(1);
      const reversed = await h.gql(h.keys.ACCOUNTANT, HANDOVER, { from: WINDOW.to, to: WINDOW.from });
      expect(reversed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    });
  });
});
