import os from 'node:os';
import { Harness, INCIDENT_FIELDS, REPORT, ref, startHarness } from './support/harness';

describe('incidents over GraphQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const report = (key: string, input: Record<string, unknown>) => h.gql(key, REPORT, { input: { source: 'erp', externalRef: ref(), ...input } });

  it('a FIRE is CRITICAL, owned by customer service, with 119 and evacuation and the rules that fired', async () => {
    const res = await report(h.keys.ERP, { category: 'ONSITE_EMERGENCY', subtype: 'FIRE', location: '服务大厅' });
    expect(res.errors).toBeUndefined();
    const { created, incident } = res.data.reportIncident;
    expect(created).toBe(true);
    expect(incident.severity).toBe('CRITICAL');
    expect(incident.ownerDepartment).toBe('CUSTOMER_SERVICE');
    const codes = incident.actions.map((a: any) => a.code);
    expect(codes).toEqual(expect.arrayContaining(['CALL_FIRE_SERVICE', 'EVACUATE']));
    expect(incident.notifyDepartments).toEqual(expect.arrayContaining(['FACILITIES', 'DEPARTMENT_MANAGER', 'GENERAL_MANAGER']));
    expect(incident.notifyDepartments).not.toContain('CUSTOMER_SERVICE');
    expect(incident.decision.firedRules.length).toBeGreaterThan(0);
    expect(incident.decision.ruleSetVersion).toMatch(/\w/);
    expect(incident.status).toBe('OPEN');
    expect(incident.version).toBe(1);
    // CRITICAL: acknowledge within 5 minutes, resolve within 4 hours of the report.
    const reported = Date.parse(incident.reportedAt);
    expect(Date.parse(incident.acknowledgeBy) - reported).toBe(5 * 60_000);
    expect(Date.parse(incident.resolveBy) - reported).toBe(4 * 3600_000);
  });

  it('over 5000 is strict: 5000.00 needs no police, 5000.01 does', async () => {
    const at = await report(h.keys.AGENT, { category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: '5000.00' });
    const over = await report(h.keys.AGENT, { category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: '5000.01' });
    expect(at.data.reportIncident.incident.policeReportRequired).toBe(false);
    expect(at.data.reportIncident.incident.amount).toBe('5000.00');
    const o = over.data.reportIncident.incident;
    expect(o.policeReportRequired).toBe(true);
    expect(o.severity).toBe('URGENT');
    expect(o.ownerDepartment).toBe('FINANCE');
    expect(o.notifyDepartments).toEqual(expect.arrayContaining(['SECURITY', 'DEPARTMENT_MANAGER']));
    expect(o.actions.map((a: any) => a.code)).toEqual(expect.arrayContaining(['POLICE_REPORT', 'PROTECT_SCENE_AND_PHOTOGRAPH', 'PRESERVE_CCTV']));
  });

  it('is idempotent per (source, externalRef); a different input under the same key is CONFLICT', async () => {
    const input = { source: 'erp', externalRef: ref('IDEM'), category: 'OVERCHARGE', amount: '12.5', customer: { id: 'C-1', phone: '13812345678' } };
    const first = await h.gql(h.keys.ERP, REPORT, { input });
    const again = await h.gql(h.keys.ERP, REPORT, { input: { ...input, amount: '12.50' } });
    expect(again.data!.reportIncident.created).toBe(false);
    expect(again.data!.reportIncident.incident.id).toBe(first.data!.reportIncident.incident.id);
    const other = await h.gql(h.keys.ERP, REPORT, { input: { ...input, amount: '13.00' } });
    expect(other.errors![0].extensions.code).toBe('CONFLICT');
  });

  it('settles 30 concurrent identical reports into one incident', async () => {
    const input = { source: 'erp', externalRef: ref('RACE'), category: 'SERVICE', subtype: 'ATTITUDE' };
    const results = await Promise.all(Array.from({ length: 30 }, () => h.gql(h.keys.ERP, REPORT, { input })));
    for (const r of results) expect(r.errors).toBeUndefined();
    const ids = new Set(results.map((r) => r.data!.reportIncident.incident.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.data!.reportIncident.created)).toHaveLength(1);
  });

  it('evaluate decides without storing', async () => {
    const input = { source: 'erp', externalRef: ref('DRY'), category: 'SYSTEM_FAILURE', subtype: 'NETWORK', outageMinutes: 31 };
    const res = await h.gql(
      h.keys.ANALYST,
      `query($input: ReportIncidentInput!) { evaluate(input: $input) { severity ownerDepartment actions { code dueAt } ruleSetVersion firedRules { name stage event } } }`,
      { input },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.evaluate.severity).toBe('SERIOUS');
    expect(res.data.evaluate.actions.map((a: any) => a.code)).toContain('INFORM_CUSTOMERS_OF_DELAY');
    const found = await h.gql(h.keys.ADMIN, `query($s: String!, $r: String!) { incidentByExternalRef(source: $s, externalRef: $r) { id } }`, {
      s: 'erp',
      r: input.externalRef,
    });
    expect(found.data.incidentByExternalRef).toBeNull();
  });

  it('reads by id and by external ref; an integration sees only its own source', async () => {
    const mine = (await report(h.keys.ERP, { category: 'ORDER_ERROR' })).data.reportIncident.incident;
    const byId = await h.gql(h.keys.ERP, `query($id: ID!) { incident(id: $id) { id externalRef } }`, { id: mine.id });
    expect(byId.data.incident.id).toBe(mine.id);
    const byRef = await h.gql(h.keys.ANALYST, `query($s: String!, $r: String!) { incidentByExternalRef(source: $s, externalRef: $r) { id } }`, {
      s: 'erp',
      r: mine.externalRef,
    });
    expect(byRef.data.incidentByExternalRef.id).toBe(mine.id);
    const foreign = await h.gql(h.keys.CRM, `query($id: ID!) { incident(id: $id) { id } }`, { id: mine.id });
    expect(foreign.data.incident).toBeNull();
    const wrongSource = await h.gql(h.keys.CRM, REPORT, { input: { source: 'erp', externalRef: ref(), category: 'SERVICE' } });
    expect(wrongSource.errors![0].extensions.code).toBe('FORBIDDEN');
    const list = await h.gql(h.keys.CRM, `{ incidents(first: 100) { totalCount edges { node { source } } } }`);
    expect(list.data.incidents.edges.every((e: any) => e.node.source === 'crm')).toBe(true);
  });

  it('masks phone numbers for roles that may not see them (注意保密)', async () => {
    const mine = (await report(h.keys.ERP, { category: 'SERVICE', customer: { id: 'C-9', name: '张三', phone: '13812345678' } })).data.reportIncident.incident;
    const q = `query($id: ID!) { incident(id: $id) { customer { phone name } } }`;
    expect((await h.gql(h.keys.AGENT, q, { id: mine.id })).data.incident.customer.phone).toBe('13812345678');
    expect((await h.gql(h.keys.ANALYST, q, { id: mine.id })).data.incident.customer.phone).toBe('138****5678');
    expect((await h.gql(h.keys.ERP, q, { id: mine.id })).data.incident.customer.phone).toBe('138****5678');
  });

  it('pages the list newest first with opaque cursors, filters and a total', async () => {
    const cat = 'LOGISTICS';
    for (let i = 0; i < 5; i++) {
      h.clock.advance(1000);
      await report(h.keys.AGENT, { category: cat, subtype: 'DELAYED' });
    }
    await report(h.keys.AGENT, { category: cat, subtype: 'DELAYED', drill: true });
    const q = `query($after: String) { incidents(first: 2, after: $after, filter: { category: ["LOGISTICS"] }) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id reportedAt drill } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: any = await h.gql(h.keys.ANALYST, q, { after });
      expect(res.errors).toBeUndefined();
      expect(res.data.incidents.totalCount).toBe(5);
      seen.push(...res.data.incidents.edges.map((e: any) => e.node.id));
      if (!res.data.incidents.pageInfo.hasNextPage) break;
      after = res.data.incidents.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
    const withDrills = await h.gql(h.keys.ANALYST, `{ incidents(filter: { category: ["LOGISTICS"], includeDrills: true }) { totalCount } }`);
    expect(withDrills.data.incidents.totalCount).toBe(6);
    const bad = await h.gql(h.keys.ANALYST, `{ incidents(after: "nonsense") { totalCount } }`);
    expect(bad.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    const capped = await h.gql(h.keys.ANALYST, `{ incidents(first: 100000) { edges { cursor } } }`);
    expect(capped.errors).toBeUndefined();
    // first: 0 asks only whether there is anything: no edges, but a next page when there is one.
    const none = await h.gql(
      h.keys.ANALYST,
      `{ incidents(first: 0, filter: { category: ["LOGISTICS"] }) { totalCount pageInfo { hasNextPage } edges { cursor } } }`,
    );
    expect(none.data.incidents).toEqual({ totalCount: 5, pageInfo: { hasNextPage: true }, edges: [] });
    const empty = await h.gql(
      h.keys.ANALYST,
      `{ incidents(first: 0, filter: { category: ["LOGISTICS"], from: "2030-01-01T00:00:00Z" }) { pageInfo { hasNextPage } } }`,
    );
    expect(empty.data.incidents.pageInfo.hasNextPage).toBe(false);
  });

  it('moves status with an optimistic lock and refuses impossible moves', async () => {
    const inc = (await report(h.keys.AGENT, { category: 'SERVICE', subtype: 'SLOW_RESPONSE' })).data.reportIncident.incident;
    const m = `mutation($id: ID!, $s: IncidentStatus!, $v: Int) { setIncidentStatus(id: $id, status: $s, expectedVersion: $v, note: "on it") { status version } }`;
    const ack = await h.gql(h.keys.AGENT, m, { id: inc.id, s: 'ACKNOWLEDGED', v: 1 });
    expect(ack.data.setIncidentStatus).toEqual({ status: 'ACKNOWLEDGED', version: 2 });
    const stale = await h.gql(h.keys.AGENT, m, { id: inc.id, s: 'RESOLVED', v: 1 });
    expect(stale.errors![0].extensions.code).toBe('CONFLICT');
    const back = await h.gql(h.keys.AGENT, m, { id: inc.id, s: 'OPEN', v: 2 });
    expect(back.errors![0].extensions.code).toBe('CONFLICT');
    // The apology is still open: RESOLVED is held up, naming it (the survey waits for the resolution).
    const held = await h.gql(h.keys.CS_LEAD, m, { id: inc.id, s: 'RESOLVED', v: 2 });
    expect(held.errors![0].extensions).toMatchObject({ code: 'ACTIONS_OUTSTANDING', outstanding: ['APOLOGIZE'] });
    expect(
      (await h.gql(h.keys.AGENT, `mutation($id: ID!) { completeAction(incidentId: $id, code: "APOLOGIZE") { version } }`, { id: inc.id })).data.completeAction
        .version,
    ).toBe(3);
    const resolved = await h.gql(h.keys.CS_LEAD, m, { id: inc.id, s: 'RESOLVED', v: 3 });
    expect(resolved.data.setIncidentStatus.status).toBe('RESOLVED');
    const analyst = await h.gql(h.keys.ANALYST, m, { id: inc.id, s: 'CLOSED' });
    expect(analyst.errors![0].extensions.code).toBe('FORBIDDEN');
    const missing = await h.gql(h.keys.AGENT, m, { id: '999999', s: 'CLOSED' });
    expect(missing.errors![0].extensions.code).toBe('NOT_FOUND');
    const hist = await h.gql(h.keys.AGENT, `query($id: ID!) { incident(id: $id) { history { kind fromStatus toStatus actor } } }`, { id: inc.id });
    expect(hist.data.incident.history.map((e: any) => e.kind)).toEqual(['REPORTED', 'STATUS_CHANGED', 'ACTION_COMPLETED', 'STATUS_CHANGED']);
  });

  it('completes actions and records satisfaction 1..5', async () => {
    const inc = (await report(h.keys.AGENT, { category: 'OVERCHARGE', amount: '88.00' })).data.reportIncident.incident;
    const done = await h.gql(
      h.keys.AGENT,
      `mutation($id: ID!) { completeAction(incidentId: $id, code: "APOLOGIZE", note: "道歉") { version actions { code done } } }`,
      { id: inc.id },
    );
    expect(done.errors).toBeUndefined();
    expect(done.data.completeAction.actions.find((a: any) => a.code === 'APOLOGIZE').done).toBe(true);
    const unknown = await h.gql(h.keys.AGENT, `mutation($id: ID!) { completeAction(incidentId: $id, code: "EVACUATE") { id } }`, { id: inc.id });
    expect(unknown.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    const bad = await h.gql(h.keys.AGENT, `mutation($id: ID!) { recordSatisfaction(incidentId: $id, score: 6) { id } }`, { id: inc.id });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'score' });
    const ok = await h.gql(
      h.keys.AGENT,
      `mutation($id: ID!) { recordSatisfaction(incidentId: $id, score: 4, comment: "满意") { satisfactionScore actions { code done } } }`,
      { id: inc.id },
    );
    expect(ok.data.recordSatisfaction.satisfactionScore).toBe(4);
    expect(ok.data.recordSatisfaction.actions.find((a: any) => a.code === 'SATISFACTION_SURVEY').done).toBe(true);
  });

  it('counts a customer’s earlier incidents and escalates the third repeat', async () => {
    const customer = { id: `C-${ref()}` };
    const severities: string[] = [];
    for (let i = 0; i < 4; i++) {
      h.clock.advance(60_000);
      const r = await report(h.keys.AGENT, { category: 'SERVICE', subtype: 'MISCOMMUNICATION', customer });
      severities.push(r.data.reportIncident.incident.severity);
    }
    expect(severities).toEqual(['GENERAL', 'GENERAL', 'GENERAL', 'SERIOUS']);
  });

  it('answers bad input with BAD_USER_INPUT and the field at fault, storing nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ category: 'NOPE' }, 'input.category'],
      [{ category: 'LOGISTICS', subtype: 'FIRE' }, 'input.subtype'],
      [{ category: 'OVERCHARGE', amount: '12.345' }, 'input.amount'],
      [{ category: 'OVERCHARGE', amount: '-5' }, 'input.amount'],
      [{ category: 'OVERCHARGE', amount: 12.5 }, 'input.amount'],
      [{ category: 'PROPERTY_LOSS', propertyOwner: 'NOBODY' }, 'input.propertyOwner'],
      [{ category: 'SERVICE', description: 'x'.repeat(5000) }, 'input.description'],
      [{ category: 'SERVICE', outageMinutes: -1 }, 'input.outageMinutes'],
    ];
    for (const [input, field] of cases) {
      const externalRef = ref('BAD');
      const res = await h.gql(h.keys.AGENT, REPORT, { input: { source: 'erp', externalRef, ...input } });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(JSON.stringify(res)).not.toMatch(/at .*\.(ts|js):\d+/);
      const found = await h.gql(h.keys.ADMIN, `query($r: String!) { incidentByExternalRef(source: "erp", externalRef: $r) { id } }`, { r: externalRef });
      expect(found.data.incidentByExternalRef).toBeNull();
    }
    const unknown = await h.gql(h.keys.AGENT, REPORT, { input: { source: 'erp', externalRef: ref(), category: 'NOPE' } });
    expect(unknown.errors![0].extensions.allowed).toContain('OVERCHARGE');
    const missing = await h.gql(h.keys.AGENT, REPORT, { input: { source: 'erp', category: 'SERVICE' } });
    expect(missing.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.externalRef' });
  });

  it('names the input path of a bad value however it came: a variable of any name, or written in the query', async () => {
    // A variable is named for the argument it stands for, not for itself.
    const otherName = await h.gql(h.keys.AGENT, `mutation($x: ReportIncidentInput!) { reportIncident(input: $x) { created } }`, {
      x: { source: 'erp', externalRef: ref() },
    });
    expect(otherName.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.category' });
    const badTime = await h.gql(h.keys.AGENT, `mutation($i: ReportIncidentInput!) { reportIncident(input: $i) { created } }`, {
      i: { source: 'erp', externalRef: ref(), category: 'SERVICE', occurredAt: 'yesterday' },
    });
    expect(badTime.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.occurredAt' });
    const nested = await h.gql(
      h.keys.AGENT,
      `mutation($t: DateTime) { reportIncident(input: { source: "erp", externalRef: "${ref()}", category: "SERVICE", occurredAt: $t }) { created } }`,
      { t: 'yesterday' },
    );
    expect(nested.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.occurredAt' });
    const status = await h.gql(h.keys.ADMIN, `mutation($s: IncidentStatus!) { setIncidentStatus(id: "1", status: $s) { id } }`, { s: 'DONE' });
    expect(status.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
    // Written in the query: the same code and path as through variables.
    const inline: Array<[string, string, string]> = [
      [
        h.keys.AGENT,
        `mutation { reportIncident(input: { source: "erp", externalRef: "${ref()}", category: "SERVICE", occurredAt: "yesterday" }) { created } }`,
        'input.occurredAt',
      ],
      [
        h.keys.AGENT,
        `mutation { reportIncident(input: { source: "erp", externalRef: "${ref()}", category: "SERVICE", outageMinutes: "abc" }) { created } }`,
        'input.outageMinutes',
      ],
      [
        h.keys.AGENT,
        `mutation { reportIncident(input: { source: "erp", externalRef: "${ref()}", category: "SERVICE", subtyp: "X" }) { created } }`,
        'input.subtyp',
      ],
      [h.keys.AGENT, `mutation { reportIncident(input: { source: "erp", externalRef: "${ref()}" }) { created } }`, 'input.category'],
      [
        h.keys.AGENT,
        `mutation { reportIncident(input: { source: "erp", externalRef: "${ref()}", category: "SERVICE", customer: { id: 7 } }) { created } }`,
        'input.customer.id',
      ],
      [h.keys.ADMIN, `mutation { setIncidentStatus(id: "1", status: DONE) { id } }`, 'status'],
      [h.keys.ADMIN, `{ incidents(filter: { status: [OPEN, DONE] }) { totalCount } }`, 'filter.status[1]'],
      [h.keys.ADMIN, `{ incidents(first: "ten") { totalCount } }`, 'first'],
      [h.keys.ADMIN, `mutation { setIncidentStatus(status: OPEN) { id } }`, 'id'],
    ];
    for (const [key, query, field] of inline) {
      const res = await h.gql(key, query);
      expect({ query, extensions: res.errors?.[0].extensions }).toEqual({ query, extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) });
    }
    // A document that is wrong in itself (not its values) keeps its own code.
    const unknownField = await h.gql(h.keys.ADMIN, `{ incidents { nope } }`);
    expect(unknownField.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses unknown catalog codes in list filters, listing the allowed ones', async () => {
    const cases: Array<[string, string]> = [
      ['{ incidents(filter: { category: ["SERVICE", "NOPE"] }) { totalCount } }', 'filter.category[1]'],
      ['{ incidents(filter: { ownerDepartment: ["NOPE"] }) { totalCount } }', 'filter.ownerDepartment[0]'],
      ['{ refunds(filter: { category: ["NOPE"] }) { totalCount } }', 'filter.category[0]'],
      ['{ refundAggregates(groupBy: [CATEGORY], filter: { category: ["NOPE"] }) { count } }', 'filter.category[0]'],
    ];
    for (const [query, field] of cases) {
      const res = await h.gql(h.keys.ADMIN, query);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors![0].extensions.allowed.length).toBeGreaterThan(0);
    }
    const known = await h.gql(h.keys.ADMIN, '{ incidents(filter: { category: ["SERVICE"], ownerDepartment: ["CUSTOMER_SERVICE"] }) { totalCount } }');
    expect(known.errors).toBeUndefined();
  });

  it('refuses callers without a valid key', async () => {
    const none = await h.gql(null, `{ catalog { departments } }`);
    expect(none.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    const wrong = await h.gql('trg_not-a-key', `{ catalog { departments } }`);
    expect(wrong.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    const name = `revoked-${ref()}`;
    const key = await h.key(name, ['AGENT']);
    expect((await h.gql(key, `{ activeRuleSet { version } }`)).errors).toBeUndefined();
    await h.app.services.apiKeys.revoke(name);
    expect((await h.gql(key, `{ activeRuleSet { version } }`)).errors![0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('serves the catalog and the active rule set', async () => {
    const res = await h.gql(
      h.keys.ANALYST,
      `{ catalog { categories { code subtypes label } departments actions refundSteps refundMethods severities } activeRuleSet { version checksum loadedAt ruleCount instance } }`,
    );
    expect(res.errors).toBeUndefined();
    const c = res.data.catalog;
    expect(c.categories.find((x: any) => x.code === 'OVERCHARGE').label).toContain('多收');
    expect(c.severities).toEqual(['GENERAL', 'SERIOUS', 'URGENT', 'CRITICAL']);
    expect(c.departments).toEqual(expect.arrayContaining(['IT', 'FACILITIES', 'GENERAL_MANAGER']));
    expect(res.data.activeRuleSet.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(res.data.activeRuleSet.ruleCount).toBeGreaterThan(30);
    expect(res.data.activeRuleSet.instance).toBe(`${os.hostname()}:${process.pid}`); // the answering process (here the test's own)
  });
});

describe('health', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('answers /healthz and /readyz', async () => {
    const request = (await import('supertest')).default;
    const health = await request(h.app.server).get('/healthz');
    expect(health.status).toBe(200);
    const ready = await request(h.app.server).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: true, rules: true });
  });
});

export { INCIDENT_FIELDS };
