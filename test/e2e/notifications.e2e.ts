import { generateSecret } from '../../src/webhooks/webhook-signature';
import { Harness, REPORT, ref, startHarness } from './support/harness';
import { addStaff } from './support/staff-requests';
import { VendorReceivers } from './support/vendor-receivers';

const NOTIFICATIONS = `query($id: ID) { notifications(incidentId: $id, first: 200) { id reason recipient channel status attempts sentAt incident { id } } }`;
const MINUTE = 60_000;

/** From a FIRE report to messages at the facilities duty officer and the general manager, through 127.0.0.1 robots. */
describe('notifications through DingTalk, WeCom, Feishu and a Standard Webhooks endpoint', () => {
  let h: Harness;
  let rx: VendorReceivers;
  const channels: Record<string, number> = {};
  const fire = async () => {
    const res = await h.gql(h.keys.AGENT, REPORT, {
      input: { source: 'hall', externalRef: ref('FIRE'), category: 'ONSITE_EMERGENCY', subtype: 'FIRE', location: '一楼服务大厅' },
    });
    expect(res.errors).toBeUndefined();
    return res.data.reportIncident.incident;
  };
  const dispatch = () => h.app.services.people.dispatcher.runOnce();

  beforeAll(async () => {
    h = await startHarness({ now: new Date('2026-11-23T02:00:00Z'), env: { NOTIFICATION_LINK: 'https://desk.example.com/incidents/{id}' } });
    rx = new VendorReceivers(() => h.clock.now(), { dingtalk: 'SEC0123456789abcdef', feishu: 'feishu-secret', webhook: generateSecret() });
    await rx.start();
    await addStaff(h, [
      { employeeNo: 'FC1', name: '郑强', department: 'FACILITIES', roles: ['AGENT'], phone: '13800040001' },
      { employeeNo: 'FC2', name: '冯伟', department: 'FACILITIES', roles: ['AGENT'], phone: '13800040002' },
      { employeeNo: 'GM1', name: '朱总', department: 'GENERAL_MANAGER', roles: ['PRESIDENT'], phone: '13800099999' },
    ]);
    await h.app.services.people.onCall.set(
      [
        { department: 'FACILITIES', employeeNo: 'FC1', from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-23T12:00:00Z') },
        { department: 'GENERAL_MANAGER', employeeNo: 'GM1', from: new Date('2026-11-22T16:00:00Z'), to: new Date('2026-11-23T16:00:00Z') },
      ],
      'test',
    );
    const add = async (department: string, kind: string, url: string, secret: string | null) =>
      (await h.app.services.people.notifications.addChannel({ department, kind, url: `${rx.base}${url}`, secret })).id;
    channels.dingtalk = await add('FACILITIES', 'DINGTALK', '/dingtalk/robot/send?access_token=facilities', rx.secrets.dingtalk);
    channels.feishu = await add('FACILITIES', 'FEISHU', '/feishu/open-apis/bot/v2/hook/facilities', rx.secrets.feishu);
    channels.wecom = await add('GENERAL_MANAGER', 'WECOM', '/wecom/cgi-bin/webhook/send?key=gm', null);
    channels.webhook = await add('DEPARTMENT_MANAGER', 'WEBHOOK', '/hooks/managers', rx.secrets.webhook);
  });
  afterAll(async () => {
    await h?.close();
    await rx?.close();
  });

  it('a FIRE report reaches the facilities duty officer and the general manager, signed as each vendor documents', async () => {
    const incident = await fire();
    expect(incident.notifyDepartments).toEqual(expect.arrayContaining(['FACILITIES', 'GENERAL_MANAGER', 'DEPARTMENT_MANAGER']));
    // Written with the report (the outbox), sent later by the worker.
    const pending = (await h.gql(h.keys.AGENT, NOTIFICATIONS, { id: incident.id })).data.notifications;
    const sent = (n: any) => [n.recipient, n.channel, n.status];
    expect(
      pending
        .filter((n: any) => n.status !== 'NO_CHANNEL')
        .map(sent)
        .sort(),
    ).toEqual(
      [
        ['部门经理', `WEBHOOK #${channels.webhook}`, 'PENDING'],
        ['朱总 GM1 (13800099999)', `WECOM #${channels.wecom}`, 'PENDING'],
        ['郑强 FC1 (13800040001)', `DINGTALK #${channels.dingtalk}`, 'PENDING'],
        ['郑强 FC1 (13800040001)', `FEISHU #${channels.feishu}`, 'PENDING'],
      ].sort(),
    );
    expect(pending.every((n: any) => n.reason === 'REPORTED' && n.incident.id === incident.id)).toBe(true);

    expect(await dispatch()).toMatchObject({ sent: 4, failed: 0, throttled: 0 });
    const [ding] = rx.of('dingtalk');
    expect(ding.answer).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(ding.body.at).toEqual({ atMobiles: ['13800040001'], isAtAll: false });
    for (const text of ['火警', '特别紧急', '一楼服务大厅', '拨打119火警', '疏散人员', `https://desk.example.com/incidents/${incident.id}`, '@13800040001']) {
      expect(ding.body.markdown.text).toContain(text);
    }
    const wecom = rx.of('wecom');
    expect(wecom.map((r) => [r.body.msgtype, r.answer.errcode])).toEqual([
      ['markdown', 0],
      ['text', 0],
    ]);
    expect(wecom[0].body.markdown.content).toContain('一楼服务大厅');
    expect(wecom[1].body.text.mentioned_mobile_list).toEqual(['13800099999']);
    const [feishu] = rx.of('feishu');
    expect(feishu.answer.code).toBe(0);
    expect(feishu.body.card.elements[0].text.content).toContain('郑强');
    const [hook] = rx.of('webhook');
    expect(hook.status).toBe(200);
    expect(hook.body.data.recipients).toEqual([]);
    expect(hook.body.data.notifications[0]).toMatchObject({ incidentId: incident.id, reason: 'REPORTED', severity: 'CRITICAL', place: '一楼服务大厅' });

    const after = (await h.gql(h.keys.ANALYST, NOTIFICATIONS, { id: incident.id })).data.notifications.filter((n: any) => n.status !== 'NO_CHANNEL');
    expect(after.every((n: any) => n.status === 'SENT' && n.attempts === 1 && n.sentAt)).toBe(true);
    // An analyst sees the people told, never their phones in clear.
    expect(after.map((n: any) => n.recipient)).toEqual(expect.arrayContaining(['郑强 FC1 (138****0001)', '朱总 GM1 (138****9999)']));
    expect((await h.gql(h.keys.ERP, NOTIFICATIONS, { id: incident.id })).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it("keeps DingTalk's 20 messages a minute per robot by merging what waits into the next message", async () => {
    h.clock.advance(2 * MINUTE);
    const before = rx.of('dingtalk').length;
    const incidents = [];
    for (let i = 0; i < 24; i++) {
      incidents.push(await fire());
      await dispatch();
    }
    const thisMinute = rx.of('dingtalk').slice(before);
    expect(thisMinute).toHaveLength(20); // the robot's minute, used up; the other 4 wait
    expect(thisMinute.every((r) => r.answer.errcode === 0)).toBe(true);
    const waiting = (await h.gql(h.keys.AGENT, NOTIFICATIONS, { id: incidents[23].id })).data.notifications.find((n: any) => n.channel.startsWith('DINGTALK'));
    expect(waiting).toMatchObject({ status: 'PENDING', attempts: 0 });
    h.clock.advance(MINUTE);
    await dispatch();
    const merged = rx.of('dingtalk').slice(before + 20);
    expect(merged).toHaveLength(1);
    for (const inc of incidents.slice(20)) expect(merged[0].body.markdown.text).toContain(`事件 #${inc.id}`);
    expect(merged[0].body.markdown.title).toMatch(/等 4 条$/);
    expect(rx.received.some((r) => r.answer?.errcode === 130101)).toBe(false);
  });

  it("waits out a robot's throttling answer (another sender used its minute up) and sends the merged message after it", async () => {
    h.clock.advance(2 * MINUTE);
    rx.saturate('wecom:gm');
    const incident = await fire();
    expect(await dispatch()).toMatchObject({ throttled: 1 });
    expect(rx.of('wecom').at(-1)!.answer).toEqual({ errcode: 45009, errmsg: 'api freq out of limit' });
    const gm = async () => (await h.gql(h.keys.ADMIN, NOTIFICATIONS, { id: incident.id })).data.notifications.find((n: any) => n.channel.startsWith('WECOM'));
    expect(await gm()).toMatchObject({ status: 'PENDING', attempts: 1 });
    h.clock.advance(5 * MINUTE);
    await dispatch();
    expect((await gm()).status).toBe('PENDING'); // WeCom throttles for 10 minutes
    h.clock.advance(6 * MINUTE);
    await dispatch();
    expect(await gm()).toMatchObject({ status: 'SENT', attempts: 2 });
  });

  it('retries a failing channel with backoff, parks it dead after 24 hours, and sends it again on redelivery; the incident is never held up', async () => {
    h.clock.advance(MINUTE);
    rx.broken.add('webhook:/hooks/managers');
    const incident = await fire();
    expect((await h.gql(h.keys.AGENT, `query($id: ID!) { incident(id: $id) { id status } }`, { id: incident.id })).data.incident.id).toBe(incident.id);
    const hook = async () =>
      (await h.gql(h.keys.ADMIN, NOTIFICATIONS, { id: incident.id })).data.notifications.find((n: any) => n.channel.startsWith('WEBHOOK'));
    expect(await dispatch()).toMatchObject({ failed: 1 });
    expect(await hook()).toMatchObject({ status: 'PENDING', attempts: 1 });
    for (let i = 0; i < 40 && (await hook()).status !== 'DEAD'; i++) {
      h.clock.advance(4 * 60 * MINUTE);
      await dispatch();
    }
    const dead = await hook();
    expect(dead.status).toBe('DEAD');
    expect(dead.attempts).toBeGreaterThan(2);
    rx.broken.delete('webhook:/hooks/managers');
    await h.app.services.people.notifications.redeliver(dead.id);
    await dispatch();
    expect(await hook()).toMatchObject({ status: 'SENT', attempts: 1 });
  });

  it('tells people of missed deadlines and escalations, and any change can call the one entry point', async () => {
    h.clock.set(new Date('2026-11-23T03:00:00Z'));
    const incident = await fire();
    await dispatch();
    h.clock.advance(10 * MINUTE); // CALL_FIRE_SERVICE was due at once; the acknowledgement in 5 minutes
    await h.app.services.escalation.tick();
    const reasons = (await h.gql(h.keys.ADMIN, NOTIFICATIONS, { id: incident.id })).data.notifications.map((n: any) => n.reason);
    expect(reasons).toEqual(expect.arrayContaining(['BREACH', 'ESCALATED']));
    await dispatch();
    const escalated = rx.of('webhook').at(-1)!.body.data.notifications;
    expect(escalated.some((n: any) => n.reason === 'ESCALATED' && /升级至部门经理/.test(n.detail))).toBe(true);

    // An amendment (or any other change) tells people through the same function, in its own transaction.
    const written = await h.app.services.tx.run((em) =>
      h.app.services.people.notifications.notify(em, Number(incident.id), 'AMENDED', { departments: ['GENERAL_MANAGER'] }),
    );
    expect(written).toBe(1);
    await dispatch();
    expect(rx.of('wecom').at(-2)!.body.markdown.content).toContain('事件更新');
  });
});
