import { seedPeople } from '../../src/cli/demo-people';
import { Harness, startHarness } from './support/harness';
import { addStaff } from './support/staff-requests';

const CONTACT = 'id kind name department role phone';
const UPSERT = `mutation($input: ContactInput!) { upsertContact(input: $input) { ${CONTACT} } }`;
const CONTACTS = `query($kind: String) { contacts(kind: $kind) { ${CONTACT} } }`;
const SET = `mutation($shifts: [OnCallShiftInput!]!) { setOnCall(shifts: $shifts) { department from to staff { employeeNo name phone } } }`;
const ON_CALL = `query($d: String!, $at: DateTime) { onCall(department: $d, at: $at) { employeeNo name phone } }`;

describe('contacts (联络人, 紧急应变外部联系通信录) and on-call (值班)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: new Date('2026-11-23T02:00:00Z') });
    await addStaff(h, [
      { employeeNo: 'FC1', name: '郑强', department: 'FACILITIES', roles: ['AGENT'], phone: '13800040001' },
      { employeeNo: 'FC2', name: '冯伟', department: 'FACILITIES', roles: ['AGENT'], phone: '13800040002' },
      { employeeNo: 'OLD', name: '离职', department: 'FACILITIES', roles: ['AGENT'], active: false },
    ]);
  });
  afterAll(() => h.close());

  it('ADMIN keeps contacts; every staff role reads them, phones masked per role', async () => {
    const fire = await h.gql(h.keys.ADMIN, UPSERT, { input: { kind: 'external', name: '火警', role: '119', phone: '119' } });
    expect(fire.data.upsertContact).toMatchObject({ kind: 'EXTERNAL', name: '火警', department: null, phone: '119' });
    const lead = await h.gql(h.keys.ADMIN, UPSERT, {
      input: { kind: 'INTERNAL', name: '郑强', department: 'FACILITIES', role: '联络人', phone: '13800040001' },
    });
    const id = lead.data.upsertContact.id;
    const renamed = await h.gql(h.keys.ADMIN, UPSERT, { input: { id, kind: 'INTERNAL', name: '郑强 (物业)', department: 'FACILITIES', phone: '13800040001' } });
    expect(renamed.data.upsertContact).toMatchObject({ id, name: '郑强 (物业)' });
    expect((await h.gql(h.keys.AGENT, CONTACTS, { kind: 'INTERNAL' })).data.contacts).toEqual([expect.objectContaining({ id, phone: '13800040001' })]);
    expect((await h.gql(h.keys.ANALYST, CONTACTS, { kind: 'INTERNAL' })).data.contacts).toEqual([expect.objectContaining({ id, phone: '138****0001' })]);
    expect((await h.gql(h.keys.ANALYST, CONTACTS, {})).data.contacts).toHaveLength(2);
    for (const k of [h.keys.AGENT, h.keys.ERP])
      expect((await h.gql(k, UPSERT, { input: { kind: 'EXTERNAL', name: 'x' } })).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await h.gql(h.keys.ERP, CONTACTS, {})).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(await h.gql(h.keys.ADMIN, `mutation($id: ID!) { deleteContact(id: $id) }`, { id })).toMatchObject({ data: { deleteContact: true } });
    expect(await h.gql(h.keys.ADMIN, `mutation($id: ID!) { deleteContact(id: $id) }`, { id })).toMatchObject({ data: { deleteContact: false } });
  });

  it('refuses a bad contact, naming the field', async () => {
    const cases = [
      [{ kind: 'FRIEND', name: 'x' }, 'input.kind'],
      [{ kind: 'EXTERNAL', name: ' ' }, 'input.name'],
      [{ kind: 'INTERNAL', name: 'x' }, 'input.department'],
      [{ kind: 'INTERNAL', name: 'x', department: 'MARS' }, 'input.department'],
      [{ kind: 'EXTERNAL', name: 'x', phone: 'call me' }, 'input.phone'],
    ] as const;
    for (const [input, field] of cases)
      expect((await h.gql(h.keys.ADMIN, UPSERT, { input })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect((await h.gql(h.keys.ADMIN, UPSERT, { input: { id: '999999', kind: 'EXTERNAL', name: 'x' } })).errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('setOnCall replaces the overlapping roster; onCall answers who holds the duty at a time', async () => {
    const day = { department: 'FACILITIES', employeeNo: 'FC1', from: '2026-11-23T00:00:00Z', to: '2026-11-23T12:00:00Z' };
    const night = { department: 'facilities', employeeNo: 'FC2', from: '2026-11-23T12:00:00Z', to: '2026-11-24T00:00:00Z' };
    const set = await h.gql(h.keys.ADMIN, SET, { shifts: [day, night] });
    expect(set.data.setOnCall.map((s: any) => [s.department, s.staff.employeeNo, s.from])).toEqual([
      ['FACILITIES', 'FC1', '2026-11-23T00:00:00.000Z'],
      ['FACILITIES', 'FC2', '2026-11-23T12:00:00.000Z'],
    ]);
    expect((await h.gql(h.keys.AGENT, ON_CALL, { d: 'FACILITIES' })).data.onCall).toEqual([{ employeeNo: 'FC1', name: '郑强', phone: '13800040001' }]);
    expect((await h.gql(h.keys.CASHIER, ON_CALL, { d: 'FACILITIES', at: '2026-11-23T13:00:00Z' })).data.onCall).toEqual([
      { employeeNo: 'FC2', name: '冯伟', phone: '138****0002' },
    ]);
    expect((await h.gql(h.keys.AGENT, ON_CALL, { d: 'FACILITIES', at: '2026-11-24T00:00:00Z' })).data.onCall).toEqual([]);
    // Both on duty in the morning from now on: the morning's shift is replaced, the night stays.
    await h.gql(h.keys.ADMIN, SET, {
      shifts: [
        { ...day, employeeNo: 'FC1' },
        { ...day, employeeNo: 'FC2' },
      ],
    });
    expect((await h.gql(h.keys.AGENT, ON_CALL, { d: 'FACILITIES' })).data.onCall.map((m: any) => m.employeeNo)).toEqual(['FC1', 'FC2']);
    expect((await h.gql(h.keys.AGENT, ON_CALL, { d: 'FACILITIES', at: '2026-11-23T13:00:00Z' })).data.onCall.map((m: any) => m.employeeNo)).toEqual(['FC2']);
  });

  it('refuses a shift that ends before it starts, an unknown or inactive member, and writes none of the batch', async () => {
    const ok = { department: 'SECURITY', employeeNo: 'FC1', from: '2026-11-25T00:00:00Z', to: '2026-11-25T12:00:00Z' };
    const cases = [
      [{ ...ok, to: ok.from }, 'shifts.1.to'],
      [{ ...ok, employeeNo: 'NOBODY' }, 'shifts.1.employeeNo'],
      [{ ...ok, employeeNo: 'OLD' }, 'shifts.1.employeeNo'],
      [{ ...ok, department: 'MARS' }, 'shifts.1.department'],
    ] as const;
    for (const [bad, field] of cases)
      expect((await h.gql(h.keys.ADMIN, SET, { shifts: [ok, bad] })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect((await h.gql(h.keys.AGENT, ON_CALL, { d: 'SECURITY', at: '2026-11-25T01:00:00Z' })).data.onCall).toEqual([]);
    expect((await h.gql(h.keys.AGENT, SET, { shifts: [ok] })).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('the demo seed fills the directory, 110/119/120, property management, IT and a roster, and runs twice without duplicating', async () => {
    const until = new Date('2026-11-23T02:00:00Z');
    await seedPeople(h.app.services, until);
    const again = await seedPeople(h.app.services, until);
    expect(again.contacts).toBe(0);
    const external = (await h.gql(h.keys.AGENT, CONTACTS, { kind: 'EXTERNAL' })).data.contacts.map((c: any) => c.phone);
    expect(external).toEqual(expect.arrayContaining(['110', '119', '120', '02168880000', '02168881234']));
    const at = '2026-11-23T03:00:00Z'; // 11:00 in Shanghai: the day shift
    expect((await h.gql(h.keys.AGENT, ON_CALL, { d: 'FACILITIES', at })).data.onCall).toHaveLength(1);
    expect((await h.gql(h.keys.AGENT, ON_CALL, { d: 'GENERAL_MANAGER', at })).data.onCall.map((m: any) => m.name)).toEqual(['朱总']);
  });
});
