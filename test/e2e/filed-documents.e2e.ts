import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { Harness, startHarness } from './support/harness';
import { CANCEL, refundKit } from './support/refunds';
import { buildReportScenario, PHONE, RefundName } from './support/report-scenario';

/**
 * Filed documents (the policy) over HTTP: the monthly 退单统计表 reviewed, frozen and archived,
 * the filing deadline on the escalation scheduler, and 工作交接单 records handed over and
 * acknowledged. One scenario (report-scenario.ts); the tests run in order on its clock.
 */
describe('filed documents', () => {
  let h: Harness;
  let r: Record<RefundName, any>;
  let k: ReturnType<typeof refundKit>;
  beforeAll(async () => {
    h = await startHarness();
    r = await buildReportScenario(h);
    k = refundKit(h);
  });
  afterAll(async () => {
    await h.close();
  });

  const ROWS = `customerServiceRows { rowNo submittedAt refundNo orderNo contact bank amount submitter sentToTechAt sentToFinanceAt financeAnsweredAt customerToldAt }
    financeRows { rowNo submittedAt refundNo orderNo bank amount submitter cashierCheckedAt accountantReviewedAt directorApprovedAt customerToldAt }`;
  const REPORT_FIELDS = `month dueDate totalCount totalAmount overdue ${ROWS}
    signOffs { table stage actor at note checksum }
    filings { table status dueAt overdue checksum filedAt totalCount totalAmount }
    lateChanges { table refundNo kind field filed current }`;
  const MONTHLY = `query($m: String!) { monthlyRefundReport(month: $m) { ${REPORT_FIELDS} } }`;
  const SIGN = `mutation($m: String!, $t: RefundReportTable!, $s: SignOffStage!, $n: String) {
    signOffMonthlyRefundReport(month: $m, table: $t, stage: $s, note: $n) { ${REPORT_FIELDS} } }`;
  const sign = (key: string, m: string, t: string, s: string, n?: string) => h.gql(key, SIGN, { m, t, s, n });
  const code = (res: { errors?: Array<{ extensions: Record<string, any> }> }) => res.errors?.[0]?.extensions.code;
  const monthly = async (m: string) => {
    const res = await h.gql(h.keys.ANALYST, MONTHLY, { m });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.monthlyRefundReport;
  };
  const download = async (path: string, key: string = h.keys.ANALYST): Promise<{ status: number; body: any }> => {
    const res = await request(h.app.server)
      .get(path)
      .set('authorization', `Bearer ${key}`)
      .buffer(true)
      .parse((response, cb) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    return { status: res.status, body: res.body as Buffer };
  };
  const sha256 = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');
  /** The filed tables as stored: content, checksum. */
  const stored = async () =>
    (await h.app.services.ds.query(`SELECT table_name, status, content, checksum FROM report_filings WHERE month = '2026-10' ORDER BY table_name`)) as Array<{
      table_name: string;
      status: string;
      content: string | null;
      checksum: string | null;
    }>;
  const outbox = async (subjectType: string) =>
    (
      (await h.app.services.ds.query('SELECT type, incident_id, payload FROM webhook_outbox ORDER BY id')) as Array<{
        type: string;
        incident_id: unknown;
        payload: string;
      }>
    )
      .map((e) => ({ type: e.type, incidentId: e.incident_id, data: JSON.parse(e.payload) }))
      .filter((e) => e.data.subject?.type === subjectType);

  describe('the monthly tables (退单统计表)', () => {
    let before: any;
    let xlsxBefore: Buffer;
    let csvBefore: Buffer;
    let financeCsvBefore: Buffer;

    it('is not filed yet: overdue past the end of its due date, no sign-offs, rows computed from the refunds', async () => {
      const m = await monthly('2026-10');
      expect(m).toMatchObject({ dueDate: '2026-11-02', overdue: true, signOffs: [], lateChanges: [], totalCount: 5 });
      // Due on Monday 2026-11-02 (Shanghai): overdue from the end of that day.
      expect(m.filings).toEqual([
        {
          table: 'CUSTOMER_SERVICE',
          status: 'OPEN',
          dueAt: '2026-11-02T16:00:00.000Z',
          overdue: true,
          checksum: null,
          filedAt: null,
          totalCount: 5,
          totalAmount: '1261.83',
        },
        {
          table: 'FINANCE',
          status: 'OPEN',
          dueAt: '2026-11-02T16:00:00.000Z',
          overdue: true,
          checksum: null,
          filedAt: null,
          totalCount: 5,
          totalAmount: '1261.83',
        },
      ]);
      const november = await monthly('2026-11');
      expect(november).toMatchObject({ dueDate: '2026-12-01', overdue: false });
    });

    it('refuses a month not over, the wrong role for the table and stage, and archiving before review', async () => {
      const notOver = await sign(h.keys.CS_LEAD, '2026-11', 'CUSTOMER_SERVICE', 'REVIEWED');
      expect(notOver.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month' });
      expect(code(await sign(h.keys.CS_LEAD, '2026-13', 'CUSTOMER_SERVICE', 'REVIEWED'))).toBe('BAD_USER_INPUT');
      // The finance director reviews the finance table, the CS lead the customer-service table, ADMIN archives.
      expect(code(await sign(h.keys.FINANCE_DIRECTOR, '2026-10', 'CUSTOMER_SERVICE', 'REVIEWED'))).toBe('FORBIDDEN');
      expect(code(await sign(h.keys.CS_LEAD, '2026-10', 'FINANCE', 'REVIEWED'))).toBe('FORBIDDEN');
      expect(code(await sign(h.keys.ADMIN, '2026-10', 'CUSTOMER_SERVICE', 'REVIEWED'))).toBe('FORBIDDEN');
      expect(code(await sign(h.keys.CS_LEAD, '2026-10', 'CUSTOMER_SERVICE', 'ARCHIVED'))).toBe('FORBIDDEN');
      for (const role of ['AGENT', 'ANALYST', 'ACCOUNTANT'] as const)
        expect(code(await sign(h.keys[role], '2026-10', 'CUSTOMER_SERVICE', 'REVIEWED'))).toBe('FORBIDDEN');
      const early = await sign(h.keys.ADMIN, '2026-10', 'CUSTOMER_SERVICE', 'ARCHIVED');
      expect(early.errors![0].extensions).toMatchObject({ code: 'CONFLICT', status: 'OPEN' });
      const long = await sign(h.keys.CS_LEAD, '2026-10', 'CUSTOMER_SERVICE', 'REVIEWED', 'x'.repeat(2001));
      expect(long.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
      // Nothing was written by any refusal.
      expect((await monthly('2026-10')).signOffs).toEqual([]);
      expect((await stored()).every((f) => f.status === 'OPEN' && f.content === null)).toBe(true);
    });

    it('REVIEWED freezes each table with its sha256, once; the report then answers the filed table', async () => {
      before = await monthly('2026-10');
      h.clock.advance(60_000);
      const reviewed = await sign(h.keys.CS_LEAD, '2026-10', 'CUSTOMER_SERVICE', 'REVIEWED', '已核对');
      expect(reviewed.errors).toBeUndefined();
      const m = reviewed.data.signOffMonthlyRefundReport;
      const [cs] = await stored();
      expect(cs.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(sha256(cs.content!)).toBe(cs.checksum);
      expect(m.signOffs).toEqual([
        { table: 'CUSTOMER_SERVICE', stage: 'REVIEWED', actor: 'test-cs_lead', at: h.clock.now().toISOString(), note: '已核对', checksum: cs.checksum },
      ]);
      expect(m.filings[0]).toMatchObject({ status: 'REVIEWED', checksum: cs.checksum, filedAt: h.clock.now().toISOString(), overdue: true });
      expect(m.customerServiceRows).toEqual(before.customerServiceRows);
      // Twice: refused, and the first signature stands.
      const again = await sign(h.keys.CS_LEAD, '2026-10', 'CUSTOMER_SERVICE', 'REVIEWED');
      expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', status: 'REVIEWED' });
      const fin = await sign(h.keys.FINANCE_DIRECTOR, '2026-10', 'FINANCE', 'REVIEWED');
      expect(fin.data.signOffMonthlyRefundReport.signOffs.map((s: any) => [s.table, s.stage, s.actor])).toEqual([
        ['CUSTOMER_SERVICE', 'REVIEWED', 'test-cs_lead'],
        ['FINANCE', 'REVIEWED', 'test-finance_director'],
      ]);
      xlsxBefore = (await download('/reports/refunds/monthly/2026-10.xlsx')).body;
      csvBefore = (await download('/reports/refunds/monthly/2026-10.csv')).body;
      financeCsvBefore = (await download('/reports/refunds/monthly/2026-10.csv?table=finance')).body;
    });

    it('keeps the filed month as filed after later refunds, returns and cancellations in it, and lists them as late changes', async () => {
      const filed = await stored();
      h.clock.advance(3_600_000);
      // R3 (waiting at ACCOUNTANT_REVIEW) goes on to the director; R4 is returned by the cashier; R6 is cancelled.
      await k.approved(h.keys.ACCOUNTANT, r.R3.id, 'ACCOUNTANT_REVIEW');
      await k.approved(h.keys.FINANCE_DIRECTOR, r.R3.id, 'FINANCE_DIRECTOR_APPROVAL');
      await k.approved(h.keys.CASHIER, r.R4.id, 'CASHIER_CHECK', { decision: 'RETURN', comment: '金额有误' });
      const cancelled = await h.gql(h.keys.AGENT, CANCEL, { id: r.R6.id, reason: '顾客撤回' });
      expect(cancelled.errors).toBeUndefined();
      // A refund requested now belongs to the month it is requested in, not to the filed one.
      const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '12.00', customer: { id: 'C-late', phone: PHONE } });
      const late = await k.requested(incidentId, '12.00');

      const after = await monthly('2026-10');
      expect(after.customerServiceRows).toEqual(before.customerServiceRows);
      expect(after.financeRows).toEqual(before.financeRows);
      expect([after.totalCount, after.totalAmount]).toEqual([before.totalCount, before.totalAmount]);
      expect(await stored()).toEqual(filed);
      for (const f of await stored()) expect(sha256(f.content!)).toBe(f.checksum);
      expect(after.signOffs.map((s: any) => s.checksum)).toEqual(filed.map((f) => f.checksum));
      const changes = after.lateChanges as any[];
      const one = (table: string, refundNo: string, field: string | null) =>
        changes.filter((c) => c.table === table && c.refundNo === refundNo && c.field === field);
      expect(one('CUSTOMER_SERVICE', r.R6.refundNo, null)).toEqual([
        { table: 'CUSTOMER_SERVICE', refundNo: r.R6.refundNo, kind: 'REMOVED', field: null, filed: null, current: null },
      ]);
      expect(one('FINANCE', r.R6.refundNo, null)).toHaveLength(1);
      expect(one('FINANCE', r.R3.refundNo, 'accountantReviewedAt')).toEqual([
        {
          table: 'FINANCE',
          refundNo: r.R3.refundNo,
          kind: 'CHANGED',
          field: 'accountantReviewedAt',
          filed: null,
          current: expect.stringMatching(/^2026-11-23T/),
        },
      ]);
      expect(one('FINANCE', r.R3.refundNo, 'directorApprovedAt')).toHaveLength(1);
      expect(one('FINANCE', r.R4.refundNo, 'cashierCheckedAt')).toHaveLength(1);
      expect(one('CUSTOMER_SERVICE', r.R4.refundNo, 'financeAnsweredAt')).toHaveLength(1);
      expect(changes.some((c) => c.refundNo === late.refundNo)).toBe(false);
      expect((await monthly('2026-11')).customerServiceRows.map((x: any) => x.refundNo)).toContain(late.refundNo);

      // The downloads of the filed month are the same bytes.
      expect((await download('/reports/refunds/monthly/2026-10.xlsx')).body.equals(xlsxBefore)).toBe(true);
      expect((await download('/reports/refunds/monthly/2026-10.csv')).body.equals(csvBefore)).toBe(true);
      expect((await download('/reports/refunds/monthly/2026-10.csv?table=finance')).body.equals(financeCsvBefore)).toBe(true);
    });

    it('ARCHIVED by ADMIN after review, once; the month is then no longer overdue; the workbook carries the sign-offs', async () => {
      h.clock.advance(60_000);
      const archived = await sign(h.keys.ADMIN, '2026-10', 'CUSTOMER_SERVICE', 'ARCHIVED', '存档 A-12');
      expect(archived.errors).toBeUndefined();
      const m = archived.data.signOffMonthlyRefundReport;
      expect(m.filings.map((f: any) => [f.table, f.status, f.overdue])).toEqual([
        ['CUSTOMER_SERVICE', 'ARCHIVED', false],
        ['FINANCE', 'REVIEWED', true],
      ]);
      expect(m.overdue).toBe(true);
      expect(code(await sign(h.keys.ADMIN, '2026-10', 'CUSTOMER_SERVICE', 'ARCHIVED'))).toBe('CONFLICT');
      expect(code(await sign(h.keys.CS_LEAD, '2026-10', 'CUSTOMER_SERVICE', 'REVIEWED'))).toBe('CONFLICT');
      // Two at once: one signs, the other is refused.
      const both = await Promise.all([sign(h.keys.ADMIN, '2026-10', 'FINANCE', 'ARCHIVED'), sign(h.keys.ADMIN, '2026-10', 'FINANCE', 'ARCHIVED')]);
      expect(both.map(code).sort()).toEqual(['CONFLICT', undefined]);
      const done = both.find((x) => !x.errors)!.data.signOffMonthlyRefundReport;
      expect(done.overdue).toBe(false);
      expect(done.signOffs.map((s: any) => `${s.table}/${s.stage}/${s.actor}`)).toEqual([
        'CUSTOMER_SERVICE/REVIEWED/test-cs_lead',
        'FINANCE/REVIEWED/test-finance_director',
        'CUSTOMER_SERVICE/ARCHIVED/test-admin',
        'FINANCE/ARCHIVED/test-admin',
      ]);
      // The archive signature carries the checksum of what was reviewed.
      expect(done.signOffs[2].checksum).toBe(done.signOffs[0].checksum);

      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await download('/reports/refunds/monthly/2026-10.xlsx')).body);
      const cs = wb.getWorksheet('客服退单统计表')!;
      // Header, 5 refunds, 合计, a blank line, the two sign-off lines, the checksum.
      expect(cs.rowCount).toBe(1 + 5 + 1 + 1 + 2 + 1);
      expect([cs.getRow(7).getCell(1).value, cs.getRow(7).getCell(3).value, cs.getRow(7).getCell(7).value]).toEqual(['合计', '5笔', 1261.83]);
      expect((cs.getRow(9).values as unknown[]).slice(1)).toEqual(['部门主管审核', '审批人', 'test-cs_lead', '日期', '2026-11-23', '备注', '已核对']);
      expect((cs.getRow(10).values as unknown[]).slice(1)).toEqual(['行政人事部存档', '审批人', 'test-admin', '日期', '2026-11-23', '备注', '存档 A-12']);
      expect((cs.getRow(11).values as unknown[]).slice(1)).toEqual(['校验码(sha256)', done.signOffs[0].checksum]);
      expect(cs.headerFooter.oddFooter).toContain('审批人: test-cs_lead 日期: 2026-11-23');
      const fin = wb.getWorksheet('财务退单统计表')!;
      expect(fin.getRow(9).getCell(3).value).toBe('test-finance_director');
    });
  });

  describe('the filing deadline on the escalation scheduler', () => {
    const tickAt = async (iso: string) => {
      h.clock.set(new Date(iso));
      return h.app.services.escalation.tick();
    };

    it('warns at 80% of the working time to the due date, breaches after it, escalates to DEPARTMENT_MANAGER, and settles once archived', async () => {
      // November is over at 2026-12-01 00:00 Shanghai; due the same Tuesday, 09:00–18:00 working: warn at 16:12, breach after 24:00.
      await tickAt('2026-11-30T16:30:00Z');
      const rows = await h.app.services.ds.query(`SELECT table_name, status, start_at, due_at FROM report_filings WHERE month = '2026-11' ORDER BY table_name`);
      expect(rows.map((f: any) => f.table_name)).toEqual(['CUSTOMER_SERVICE', 'FINANCE']);
      await tickAt('2026-12-01T08:10:00Z');
      expect(await outbox('REPORT_FILING')).toEqual([]);
      await tickAt('2026-12-01T08:13:00Z');
      const warnings = await outbox('REPORT_FILING');
      expect(warnings.map((e) => [e.type, e.incidentId, e.data.month, e.data.table, e.data.dueAt])).toEqual([
        ['sla.warning', null, '2026-11', 'CUSTOMER_SERVICE', '2026-12-01T16:00:00.000Z'],
        ['sla.warning', null, '2026-11', 'FINANCE', '2026-12-01T16:00:00.000Z'],
      ]);
      // The customer-service table is reviewed and archived in time; finance is not.
      expect(code(await sign(h.keys.CS_LEAD, '2026-11', 'CUSTOMER_SERVICE', 'REVIEWED'))).toBeUndefined();
      expect(code(await sign(h.keys.ADMIN, '2026-11', 'CUSTOMER_SERVICE', 'ARCHIVED'))).toBeUndefined();
      await tickAt('2026-12-01T15:59:00Z');
      expect((await outbox('REPORT_FILING')).filter((e) => e.type !== 'sla.warning')).toEqual([]);
      const breached = await tickAt('2026-12-01T16:01:00Z');
      expect(breached.breaches).toBeGreaterThanOrEqual(1);
      const events = (await outbox('REPORT_FILING')).filter((e) => e.type !== 'sla.warning');
      expect(events.map((e) => [e.type, e.data.table, e.data.escalatedTo ?? null])).toEqual([
        ['sla.breached', 'FINANCE', null],
        ['incident.escalated', 'FINANCE', 'DEPARTMENT_MANAGER'],
      ]);
      expect((await monthly('2026-11')).filings.map((f: any) => f.overdue)).toEqual([false, true]);
      const breach = async () =>
        (await h.app.services.ds.query(`SELECT level, escalated_to, settled_at, incident_id FROM breaches WHERE subject_type = 'REPORT_FILING'`)) as any[];
      expect((await breach()).map((b) => [b.level, b.escalated_to, b.settled_at, b.incident_id])).toEqual([[1, 'DEPARTMENT_MANAGER', null, null]]);
      // Filed late, then archived: the breach settles and climbs no further.
      h.clock.set(new Date('2026-12-02T02:00:00Z'));
      expect(code(await sign(h.keys.FINANCE_DIRECTOR, '2026-11', 'FINANCE', 'REVIEWED'))).toBeUndefined();
      expect(code(await sign(h.keys.ADMIN, '2026-11', 'FINANCE', 'ARCHIVED'))).toBeUndefined();
      await tickAt('2026-12-02T02:01:00Z');
      expect((await breach())[0].settled_at).not.toBeNull();
      await tickAt('2026-12-03T02:01:00Z');
      expect((await outbox('REPORT_FILING')).filter((e) => e.type === 'incident.escalated')).toHaveLength(1);
    });
  });

  describe('shift handover records (工作交接单)', () => {
    const RECORD = `id shift handedOverBy handedOverTo handedOverAt acknowledgedAt acknowledgeBy acknowledgeNote completedWork notes cleaningDone checksum
      attendance { expected present late leftEarly absent }
      handover { from to paidTotalAmount paid { refundNo phone amount bank status } submittedToFinance { refundNo } returns { refundNo reason }
        openIncidents { id category status } tasks { kind incidentId refundNo code dueAt overdue } }`;
    const HAND_OVER = `mutation($i: HandOverShiftInput!) { handOverShift(input: $i) { ${RECORD} } }`;
    const ACK = `mutation($id: ID!, $n: String) { acknowledgeShiftHandover(id: $id, note: $n) { ${RECORD} } }`;
    const RECORDS = `query($from: DateTime!, $to: DateTime!) { shiftHandoverRecords(from: $from, to: $to) { ${RECORD} } }`;
    const input = (extra: Record<string, unknown> = {}) => ({
      from: '2026-12-02T00:00:00Z',
      to: '2026-12-02T10:00:00Z',
      shift: 'DAY',
      handedOverTo: 'test-cs_lead',
      attendance: { expected: 5, present: 4, late: 1, leftEarly: 0, absent: 1 },
      completedWork: ['受理退款申请 3 单', '回访顾客 12 位'],
      notes: '热线故障已报信息中心,待回复',
      cleaningDone: true,
      ...extra,
    });
    let record: any;

    it('refuses a bad form field by field, and hands over: the handover computed now, frozen with a checksum', async () => {
      h.clock.set(new Date('2026-12-02T10:05:00Z'));
      const bad: Array<[Record<string, unknown>, string]> = [
        [{ handedOverTo: 'test-agent' }, 'input.handedOverTo'],
        [{ handedOverTo: 'nobody' }, 'input.handedOverTo'],
        [{ handedOverTo: 'test-cashier' }, 'input.handedOverTo'],
        [{ attendance: { expected: 2, present: 3 } }, 'input.attendance.present'],
        [{ attendance: { expected: 5, present: 4, absent: 2 } }, 'input.attendance.absent'],
        [{ attendance: { expected: -1, present: 0 } }, 'input.attendance.expected'],
        [{ completedWork: ['ok', '  '] }, 'input.completedWork[1]'],
        [{ to: '2026-12-01T00:00:00Z' }, 'input.to'],
        [{ from: '2026-12-03T00:00:00Z', to: '2026-12-03T10:00:00Z' }, 'input.from'],
      ];
      for (const [extra, field] of bad) {
        const res = await h.gql(h.keys.AGENT, HAND_OVER, { i: input(extra) });
        expect([field, res.errors?.[0]?.extensions]).toEqual([field, expect.objectContaining({ code: 'BAD_USER_INPUT', field })]);
      }
      expect(await h.app.services.ds.query('SELECT id FROM shift_handover_records')).toEqual([]);
      const res = await h.gql(h.keys.AGENT, HAND_OVER, { i: input({ from: '2026-10-15T00:00:00Z', to: '2026-10-21T00:00:00Z' }) });
      expect(res.errors).toBeUndefined();
      record = res.data.handOverShift;
      expect(record).toMatchObject({
        shift: 'DAY',
        handedOverBy: 'test-agent',
        handedOverTo: 'test-cs_lead',
        handedOverAt: '2026-12-02T10:05:00.000Z',
        acknowledgedAt: null,
        acknowledgeBy: '2026-12-02T10:35:00.000Z',
        completedWork: ['受理退款申请 3 单', '回访顾客 12 位'],
        cleaningDone: true,
        attendance: { expected: 5, present: 4, late: 1, leftEarly: 0, absent: 1 },
      });
      expect(record.checksum).toMatch(/^[0-9a-f]{64}$/);
      // The handover as computed for that window: R2 paid, R3 returned by the accountant.
      expect(record.handover.paid).toEqual([{ refundNo: r.R2.refundNo, phone: PHONE, amount: '99.90', bank: '工商银行', status: 'COMPLETED' }]);
      expect(record.handover.returns.map((x: any) => x.refundNo)).toEqual([r.R3.refundNo]);
      const live = await h.gql(
        h.keys.AGENT,
        `query { shiftHandover(from: "2026-10-15T00:00:00Z", to: "2026-10-21T00:00:00Z") { paidTotalAmount tasks { kind incidentId refundNo code dueAt overdue } } }`,
      );
      expect(live.data.shiftHandover.tasks).toEqual(record.handover.tasks);
    });

    it('stays as handed over when the refunds and incidents change', async () => {
      h.clock.advance(60_000);
      // R3 (at PAYOUT now) is paid: the live handover changes, the record does not.
      await k.approved(h.keys.CASHIER, r.R3.id, 'PAYOUT');
      const [again] = (await h.gql(h.keys.CS_LEAD, RECORDS, { from: '2026-12-02T00:00:00Z', to: '2026-12-03T00:00:00Z' })).data.shiftHandoverRecords;
      expect(again).toEqual(record);
      const live = await h.gql(h.keys.AGENT, `query { shiftHandover(from: "2026-10-15T00:00:00Z", to: "2026-10-21T00:00:00Z") { tasks { refundNo code } } }`);
      expect(live.data.shiftHandover.tasks).not.toEqual(record.handover.tasks.map((t: any) => ({ refundNo: t.refundNo, code: t.code })));
      const [row] = await h.app.services.ds.query('SELECT checksum FROM shift_handover_records');
      expect(row.checksum).toBe(record.checksum);
      // Phones stay masked for roles that may not see them, in the frozen record too.
      const [analyst] = (await h.gql(h.keys.ANALYST, RECORDS, { from: '2026-12-02T00:00:00Z', to: '2026-12-03T00:00:00Z' })).data.shiftHandoverRecords;
      expect(analyst.handover.paid[0].phone).toBe('138****5678');
      for (const role of ['CASHIER', 'TECH'] as const)
        expect(code(await h.gql(h.keys[role], RECORDS, { from: '2026-12-02T00:00:00Z', to: '2026-12-03T00:00:00Z' }))).toBe('FORBIDDEN');
      const reversed = await h.gql(h.keys.AGENT, RECORDS, { from: '2026-12-03T00:00:00Z', to: '2026-12-02T00:00:00Z' });
      expect(reversed.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    });

    it('warns the CS_LEAD on duty once when not acknowledged within 30 minutes, without a breach', async () => {
      await h.app.services.escalation.tick();
      h.clock.set(new Date('2026-12-02T10:34:00Z'));
      await h.app.services.escalation.tick();
      expect(await outbox('SHIFT_HANDOVER')).toEqual([]);
      h.clock.set(new Date('2026-12-02T10:36:00Z'));
      const first = await h.app.services.escalation.tick();
      expect(first.warnings).toBeGreaterThanOrEqual(1);
      await h.app.services.escalation.tick();
      const events = await outbox('SHIFT_HANDOVER');
      expect(events).toEqual([
        {
          type: 'sla.warning',
          incidentId: null,
          data: expect.objectContaining({
            incidentId: null,
            handedOverBy: 'test-agent',
            handedOverTo: 'test-cs_lead',
            notify: { department: 'CUSTOMER_SERVICE', role: 'CS_LEAD' },
            subject: expect.objectContaining({ type: 'SHIFT_HANDOVER', id: record.id, kind: 'ACKNOWLEDGE', code: 'DAY' }),
            dueAt: '2026-12-02T10:35:00.000Z',
          }),
        },
      ]);
      expect(await h.app.services.ds.query(`SELECT id FROM breaches WHERE subject_type = 'SHIFT_HANDOVER'`)).toEqual([]);
    });

    it('is acknowledged by the person named only, once', async () => {
      for (const key of [h.keys.AGENT, h.keys.ANALYST, h.keys.ADMIN]) expect(code(await h.gql(key, ACK, { id: record.id }))).toBe('FORBIDDEN');
      expect(code(await h.gql(h.keys.CASHIER, ACK, { id: record.id }))).toBe('FORBIDDEN');
      expect(code(await h.gql(h.keys.CS_LEAD, ACK, { id: '999999' }))).toBe('NOT_FOUND');
      const ack = await h.gql(h.keys.CS_LEAD, ACK, { id: record.id, n: '已接班' });
      expect(ack.errors).toBeUndefined();
      expect(ack.data.acknowledgeShiftHandover).toEqual({ ...record, acknowledgedAt: h.clock.now().toISOString(), acknowledgeNote: '已接班' });
      expect(code(await h.gql(h.keys.CS_LEAD, ACK, { id: record.id }))).toBe('CONFLICT');
    });

    it('downloads as the paper 客服部值班交接单', async () => {
      const res = await download(`/reports/shift-handovers/${record.id}.xlsx`, h.keys.AGENT);
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body);
      const ws = wb.getWorksheet('客服部值班交接单')!;
      const rows = [] as unknown[][];
      ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString() : v))));
      const find = (label: string) => rows.find((x) => x[0] === label);
      expect(rows[0][0]).toBe('客服部值班交接单');
      expect(rows[1].slice(0, 4)).toEqual(['日期', '2026-12-02', '班次', '白班']);
      expect(find('交接人')!.slice(0, 4)).toEqual(['交接人', 'test-agent', '接交人', 'test-cs_lead']);
      expect(find('应到')).toEqual(['应到', 5, '实到', 4, '迟到', 1]);
      expect(find('早退')).toEqual(['早退', 0, '旷工', 1]);
      expect(rows.filter((x) => x[0] === 1 || x[0] === 2).map((x) => x[1])).toEqual(['受理退款申请 3 单', '回访顾客 12 位']);
      expect(rows.some((x) => x[1] === r.R2.refundNo && x[2] === PHONE && x[3] === 99.9)).toBe(true);
      expect(rows.some((x) => x[1] === r.R3.refundNo && x[3] === '缺少支付凭证')).toBe(true);
      expect(find('卫生是否打扫')).toEqual(['卫生是否打扫', '是']);
      expect(find('交接人签字')).toEqual(['交接人签字', 'test-agent', '接交人签字', 'test-cs_lead', '确认备注', '已接班']);
      expect(find('校验码(sha256)')![1]).toBe(record.checksum);
      // The same record, the same bytes; phones masked for an analyst.
      expect((await download(`/reports/shift-handovers/${record.id}.xlsx`, h.keys.AGENT)).body.equals(res.body)).toBe(true);
      const masked = new ExcelJS.Workbook();
      await masked.xlsx.load((await download(`/reports/shift-handovers/${record.id}.xlsx`, h.keys.ANALYST)).body);
      const cells: unknown[] = [];
      masked.getWorksheet('客服部值班交接单')!.eachRow((row) => cells.push(...(row.values as unknown[])));
      expect(cells).toContain('138****5678');
      expect(cells).not.toContain(PHONE);
      expect((await download(`/reports/shift-handovers/${record.id}.xlsx`, h.keys.CASHIER)).status).toBe(403);
      expect((await download('/reports/shift-handovers/999999.xlsx', h.keys.AGENT)).status).toBe(404);
    });
  });
});
