import ExcelJS from 'exceljs';
import request from 'supertest';
import { rebuildIncidentRollups } from '../../src/reports/incident-rollup.store';
import { Harness, REPORT, ref, startHarness } from './support/harness';

/**
 * Complaint statistics (客诉统计分析) over HTTP, against figures worked out by hand from a
 * small history: six incidents and a drill, a day boundary in Asia/Shanghai, a repeat
 * customer, breaches recorded by the scheduler, late and on-time acknowledgements and
 * resolutions, satisfaction scores.
 *
 * Deadlines of the shipped pack: GENERAL acknowledge 4 working hours, resolve 5 working days;
 * SERIOUS (a customer with 3 earlier incidents in 30 days: one level up) 1 hour / 3 working days.
 *
 *   I1 10-12 02:00Z PQ COSMETIC  C1 erp hotline 100.00  ack +5 min, resolved +1 h, satisfaction 4
 *   I2 10-14 02:00Z PQ MINOR     C1 erp app     250.50  ack +5 min; resolve due 10-21 02:00Z,
 *                                                       breached at the 10-21 03:00Z tick, resolved 11-02 02:00Z (456 h), satisfaction 2
 *   I3 10-16 02:00Z PQ COSMETIC  C1 erp hotline  —      acknowledge due 10-16 06:00Z, breached at the tick, acknowledged 10-26 (late)
 *   D  10-18 02:00Z PQ COSMETIC  C1 erp hotline 5000.00 a drill (预案演练): breached at the tick too; 3 earlier → repeat
 *   I4 10-31 15:59Z PQ COSMETIC  C1 erp hotline  10.00  = 10-31 23:59 in Shanghai; I1–I3 earlier → repeat, SERIOUS; open
 *   I5 10-31 16:00Z SERVICE SLOW C2 crm app      20.25  = 11-01 00:00 in Shanghai; ack +5 min, resolved +2 h 30, satisfaction 5
 *   I6 11-02 03:00Z PQ COSMETIC  C1 erp app       0.01  I1–I4 earlier → repeat, SERIOUS; open
 */
describe('complaint statistics (incidentAggregates)', () => {
  let h: Harness;
  const at = (iso: string) => h.clock.set(new Date(iso));
  const MIN = 60_000;

  async function report(when: string, input: Record<string, unknown>): Promise<string> {
    at(when);
    const res = await h.gql(h.keys.AGENT, REPORT, {
      input: { source: 'erp', externalRef: ref('ST'), category: 'PRODUCT_QUALITY', subtype: 'COSMETIC_DEFECT', ...input },
    });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    const id = res.data.reportIncident.incident.id;
    // A remedy is arranged at once (ARRANGE_REMEDY done): these figures are about the incident's own clocks.
    const actions =
      res.data.reportIncident.incident.actions ??
      (await h.gql(h.keys.ADMIN, 'query($id: ID!) { incident(id: $id) { actions { code } } }', { id })).data.incident.actions;
    if (actions.some((a: { code: string }) => a.code === 'ARRANGE_REMEDY')) {
      const done = await h.gql(h.keys.AGENT, 'mutation($id: ID!) { completeAction(incidentId: $id, code: "ARRANGE_REMEDY") { id } }', { id });
      if (done.errors) throw new Error(JSON.stringify(done.errors));
    }
    return id;
  }
  async function status(id: string, s: string, when: string) {
    at(when);
    const res = await h.gql(h.keys.CS_LEAD, 'mutation($id: ID!, $s: IncidentStatus!) { setIncidentStatus(id: $id, status: $s) { status } }', { id, s });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
  }
  async function satisfaction(id: string, score: number) {
    const res = await h.gql(h.keys.AGENT, 'mutation($id: ID!, $s: Int!) { recordSatisfaction(incidentId: $id, score: $s) { id } }', { id, s: score });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
  }
  const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * MIN).toISOString();

  const ids: Record<string, string> = {};
  let tick: Record<string, number>;

  beforeAll(async () => {
    h = await startHarness({ now: new Date('2026-10-12T02:00:00Z') });
    const c1 = { id: 'C1', phone: '13800001111' };
    ids.I1 = await report('2026-10-12T02:00:00Z', { customer: c1, channel: 'hotline', amount: '100.00' });
    await status(ids.I1, 'ACKNOWLEDGED', '2026-10-12T02:05:00Z');
    await status(ids.I1, 'RESOLVED', '2026-10-12T03:00:00Z');
    await satisfaction(ids.I1, 4);
    ids.I2 = await report('2026-10-14T02:00:00Z', { subtype: 'MINOR_MALFUNCTION', customer: c1, channel: 'app', amount: '250.50' });
    await status(ids.I2, 'ACKNOWLEDGED', '2026-10-14T02:05:00Z');
    ids.I3 = await report('2026-10-16T02:00:00Z', { customer: c1, channel: 'hotline' });
    ids.D = await report('2026-10-18T02:00:00Z', { customer: c1, channel: 'hotline', amount: '5000.00', drill: true });
    at('2026-10-21T03:00:00Z');
    tick = (await h.app.services.escalation.tick()) as unknown as Record<string, number>;
    await status(ids.I3, 'ACKNOWLEDGED', '2026-10-26T02:00:00Z');
    ids.I4 = await report('2026-10-31T15:59:00Z', { customer: c1, channel: 'hotline', amount: '10.00' });
    const i5 = '2026-10-31T16:00:00Z';
    ids.I5 = await report(i5, { source: 'crm', category: 'SERVICE', subtype: 'SLOW_RESPONSE', customer: { id: 'C2' }, channel: 'app', amount: '20.25' });
    await status(ids.I5, 'ACKNOWLEDGED', plus(i5, 5));
    at(plus(i5, 10));
    await h.gql(h.keys.AGENT, 'mutation($id: ID!) { completeAction(incidentId: $id, code: "APOLOGIZE") { id } }', { id: ids.I5 });
    await status(ids.I5, 'RESOLVED', plus(i5, 150));
    await satisfaction(ids.I5, 5);
    await status(ids.I2, 'RESOLVED', '2026-11-02T02:00:00Z');
    await satisfaction(ids.I2, 2);
    ids.I6 = await report('2026-11-02T03:00:00Z', { customer: c1, channel: 'app', amount: '0.01' });
  });
  afterAll(async () => h.close());

  const FIELDS =
    'keys count acknowledgedOnTimeRate resolvedOnTimeRate averageHoursToResolve breaches surveyed averageSatisfaction repeatCustomerIncidents totalAmount acknowledged resolved';
  const QUERY = `query($g: [IncidentGroupBy!]!, $f: IncidentFilter) { incidentAggregates(groupBy: $g, filter: $f) { ${FIELDS} } }`;
  async function stats(groupBy: string[], filter?: Record<string, unknown>, key = h.keys.ANALYST): Promise<any[]> {
    const res = await h.gql(key, QUERY, { g: groupBy, f: filter });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.incidentAggregates;
  }
  const YEAR = { from: '2025-12-31T16:00:00Z', to: '2026-12-31T16:00:00Z' };

  it('the scheduler breached I2 (resolve), I3 (acknowledge) and the drill (acknowledge), nothing else', () => {
    expect(tick).toMatchObject({ breaches: 3 });
  });

  it('by MONTH × CATEGORY: the hand-computed figures, months in Shanghai time, the drill left out', async () => {
    const rows = await stats(['MONTH', 'CATEGORY'], YEAR);
    expect(rows).toEqual([
      {
        keys: ['2026-10', 'PRODUCT_QUALITY'],
        count: 4,
        acknowledged: 3,
        acknowledgedOnTimeRate: 2 / 3, // I1, I2 in time; I3 ten days late
        resolved: 2,
        resolvedOnTimeRate: 0.5,
        averageHoursToResolve: 228.5, // I1 1 h in time, I2 456 h late
        breaches: 2,
        surveyed: 2,
        averageSatisfaction: 3,
        repeatCustomerIncidents: 1,
        totalAmount: '360.50',
      },
      {
        keys: ['2026-11', 'PRODUCT_QUALITY'],
        count: 1,
        acknowledged: 0,
        acknowledgedOnTimeRate: null,
        resolved: 0,
        resolvedOnTimeRate: null,
        averageHoursToResolve: null,
        breaches: 0,
        surveyed: 0,
        averageSatisfaction: null,
        repeatCustomerIncidents: 1,
        totalAmount: '0.01',
      },
      {
        keys: ['2026-11', 'SERVICE'],
        count: 1,
        acknowledged: 1,
        acknowledgedOnTimeRate: 1,
        resolved: 1,
        resolvedOnTimeRate: 1,
        averageHoursToResolve: 2.5,
        breaches: 0,
        surveyed: 1,
        averageSatisfaction: 5,
        repeatCustomerIncidents: 0,
        totalAmount: '20.25',
      },
    ]);
  });

  it('counts the drill only when the filter asks for drills', async () => {
    const [october] = await stats(['MONTH'], { ...YEAR, includeDrills: true });
    expect(october).toMatchObject({ keys: ['2026-10'], count: 5, breaches: 3, repeatCustomerIncidents: 2, totalAmount: '5360.50', acknowledged: 3 });
    const [total] = await stats([], YEAR);
    expect(total).toMatchObject({ keys: [], count: 6, breaches: 2, totalAmount: '380.76', surveyed: 3, averageSatisfaction: 3.67, repeatCustomerIncidents: 2 });
  });

  it('puts 2026-10-31T15:59Z and 2026-10-31T16:00Z on two days but in one ISO week', async () => {
    const window = { from: '2026-10-31T00:00:00Z', to: '2026-11-03T00:00:00Z' };
    expect((await stats(['DAY', 'CATEGORY'], window)).map((r) => [...r.keys, r.count, r.totalAmount])).toEqual([
      ['2026-10-31', 'PRODUCT_QUALITY', 1, '10.00'],
      ['2026-11-01', 'SERVICE', 1, '20.25'],
      ['2026-11-02', 'PRODUCT_QUALITY', 1, '0.01'],
    ]);
    expect((await stats(['WEEK'], window)).map((r) => [...r.keys, r.count])).toEqual([
      ['2026-W44', 2],
      ['2026-W45', 1],
    ]);
  });

  it('groups by SEVERITY (a repeat customer is one level up), SOURCE × CHANNEL, SUBTYPE, OWNER_DEPARTMENT and STATUS', async () => {
    const pick = (rows: any[]) => rows.map((r) => [...r.keys, r.count]);
    expect(pick(await stats(['SEVERITY']))).toEqual([
      ['GENERAL', 4],
      ['SERIOUS', 2],
    ]);
    expect(pick(await stats(['SOURCE', 'CHANNEL']))).toEqual([
      ['crm', 'app', 1],
      ['erp', 'app', 2],
      ['erp', 'hotline', 3],
    ]);
    expect(pick(await stats(['SUBTYPE']))).toEqual([
      ['COSMETIC_DEFECT', 4],
      ['MINOR_MALFUNCTION', 1],
      ['SLOW_RESPONSE', 1],
    ]);
    expect(pick(await stats(['OWNER_DEPARTMENT']))).toEqual([
      ['AFTER_SALES', 5],
      ['CUSTOMER_SERVICE', 1],
    ]);
    expect(pick(await stats(['STATUS']))).toEqual([
      ['ACKNOWLEDGED', 1],
      ['OPEN', 2],
      ['RESOLVED', 3],
    ]);
  });

  it('filters like the incident list: status, severity, category, source, customer', async () => {
    expect((await stats([], { status: ['RESOLVED'] }))[0]).toMatchObject({ count: 3, resolved: 3, averageHoursToResolve: 153.17 });
    expect((await stats([], { severity: ['SERIOUS'] }))[0]).toMatchObject({ count: 2, repeatCustomerIncidents: 2 });
    expect((await stats([], { category: ['SERVICE'], source: 'crm' }))[0]).toMatchObject({ count: 1, totalAmount: '20.25' });
    expect((await stats(['MONTH'], { customerId: 'C1' })).map((r) => [...r.keys, r.count])).toEqual([
      ['2026-10', 4],
      ['2026-11', 1],
    ]);
    expect(await stats([], { category: ['ORDER_ERROR'] })).toEqual([
      expect.objectContaining({ keys: [], count: 0, totalAmount: '0.00', acknowledgedOnTimeRate: null }),
    ]);
    expect(await stats(['MONTH'], { category: ['ORDER_ERROR'] })).toEqual([]);
  });

  it('answers the same from the rollup and from the incidents, and the rollup equals a rebuild', async () => {
    const service = h.app.services.reports.incidentAggregates;
    const filter = { from: new Date(YEAR.from), to: new Date(YEAR.to), includeDrills: true };
    for (const groupBy of [['MONTH', 'CATEGORY'], ['MONTH', 'SEVERITY', 'STATUS'], ['SOURCE', 'CHANNEL', 'SUBTYPE'], []] as const) {
      expect(service.plan([...groupBy], filter).rollup).toBe(true);
      expect(await service.aggregate([...groupBy], filter)).toEqual(await service.aggregate([...groupBy], filter, { scan: true }));
    }
    // A window that cuts a month reads the incidents.
    expect(service.plan(['MONTH'], { from: new Date('2026-10-01T00:00:00Z') }).rollup).toBe(false);
    const cells = () =>
      h.app.services.ds
        .query(
          'SELECT * FROM incident_rollups WHERE incident_count <> 0 ORDER BY business_month, drill, category, subtype, severity, owner_department, source, channel, status',
        )
        .then((rows: Array<Record<string, unknown>>) => rows.map(({ id: _id, ...r }) => Object.values(r).map(String).join('|')));
    const incremental = await cells();
    await h.app.services.tx.run((em) => rebuildIncidentRollups(em));
    expect(await cells()).toEqual(incremental);
  });

  it('refuses bad input with the field at fault', async () => {
    const code = async (g: string[], f?: Record<string, unknown>) => (await h.gql(h.keys.ANALYST, QUERY, { g, f })).errors?.[0]?.extensions;
    expect(await code(['MONTH', 'MONTH'])).toMatchObject({ code: 'BAD_USER_INPUT', field: 'groupBy' });
    expect(await code(['MONTH'], { category: ['NOPE'] })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.category[0]' });
    expect(await code(['MONTH'], { from: '2026-11-01T00:00:00Z', to: '2026-10-01T00:00:00Z' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
    expect((await code(['NOPE']))?.code).toBe('BAD_USER_INPUT');
  });

  it('is for ANALYST, CS_LEAD, FINANCE_DIRECTOR, ACCOUNTANT and ADMIN', async () => {
    for (const role of ['ANALYST', 'CS_LEAD', 'FINANCE_DIRECTOR', 'ACCOUNTANT', 'ADMIN'] as const)
      expect(await stats(['MONTH'], YEAR, h.keys[role])).toHaveLength(2);
    for (const key of [h.keys.AGENT, h.keys.CASHIER, h.keys.TECH, h.keys.PRESIDENT, h.keys.ERP]) {
      expect((await h.gql(key, QUERY, { g: ['MONTH'] })).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    }
  });

  describe('downloads', () => {
    const get = (path: string, key: string | null = h.keys.CS_LEAD) => {
      const req = request(h.app.server)
        .get(path)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      return key ? req.set('authorization', `Bearer ${key}`) : req;
    };
    const QS = `groupBy=MONTH,CATEGORY&from=${YEAR.from}&to=${YEAR.to}`;

    it('as CSV with Chinese headers, the figures of the query and a 合计 row', async () => {
      const res = await get(`/reports/incidents/statistics.csv?${QS}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toContain(encodeURIComponent('客诉统计分析表.csv'));
      const lines = (res.body as Buffer)
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines).toEqual([
        '月份,类别,事件数,已受理,按时受理率,已解决,按时解决率,平均解决时长(小时),超时次数,回访数,平均满意度,重复投诉顾客事件数,涉及金额',
        '2026-10,PRODUCT_QUALITY,4,3,66.67%,2,50.00%,228.50,2,2,3.00,1,360.50',
        '2026-11,PRODUCT_QUALITY,1,0,,0,,,0,0,,1,0.01',
        '2026-11,SERVICE,1,1,100.00%,1,100.00%,2.50,0,1,5.00,0,20.25',
        '合计,,6,4,75.00%,3,66.67%,153.17,2,3,3.67,2,380.76',
      ]);
    });

    it('as a workbook, the same rows', async () => {
      const res = await get(`/reports/incidents/statistics.xlsx?${QS}&includeDrills=true`);
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body);
      const ws = wb.getWorksheet('客诉统计分析表')!;
      expect((ws.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['月份', '类别', '事件数']);
      expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(['2026-10', 'PRODUCT_QUALITY', 5, 3, 2 / 3, 2, 0.5, 228.5, 3, 2, 3, 2, 5360.5]);
      expect(ws.getRow(5).getCell(1).value).toBe('合计');
      expect(ws.getRow(5).getCell(3).value).toBe(7);
    });

    it('without a grouping, one line of totals', async () => {
      const res = await get('/reports/incidents/statistics.csv?groupBy=&severity=SERIOUS');
      expect(
        (res.body as Buffer)
          .toString('utf8')
          .replace(/^\uFEFF/, '')
          .trimEnd()
          .split('\r\n'),
      ).toEqual([
        '事件数,已受理,按时受理率,已解决,按时解决率,平均解决时长(小时),超时次数,回访数,平均满意度,重复投诉顾客事件数,涉及金额',
        '2,0,,0,,,0,0,,2,10.01',
      ]);
    });

    it('with the same keys and roles: 401, 403, 400 naming the parameter', async () => {
      expect((await get('/reports/incidents/statistics.csv', null)).status).toBe(401);
      expect((await get('/reports/incidents/statistics.csv', h.keys.AGENT)).status).toBe(403);
      const bad = await get('/reports/incidents/statistics.csv?groupBy=MONTH,NOPE');
      expect(bad.status).toBe(400);
      expect(JSON.parse((bad.body as Buffer).toString()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'groupBy[1]' });
      const from = await get('/reports/incidents/statistics.csv?from=yesterday');
      expect(JSON.parse((from.body as Buffer).toString()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    });
  });
});
