import crypto from 'node:crypto';
import { channelRequests, NotificationContent, verdictOf } from './notification-message';

const content: NotificationContent = {
  incidentId: '7',
  reason: 'REPORTED',
  severity: 'CRITICAL',
  category: 'ONSITE_EMERGENCY',
  categoryLabel: '现场突发事件',
  subtypeLabel: '火警',
  place: '一楼大厅',
  drill: false,
  department: 'FACILITIES',
  departmentLabel: '物业管理部',
  actions: [{ label: '拨打119火警', due: '11-23 10:00' }],
  detail: null,
  link: 'https://desk.example.com/incidents/7',
  at: '11-23 10:00',
};
const now = new Date('2026-11-23T02:00:00.000Z');
const people = [{ name: '郑强', phone: '13800040001' }];

describe('vendor messages', () => {
  it('DingTalk: 加签 in the URL (ms timestamp, url-encoded base64 HMAC-SHA256 keyed with the secret), markdown, @ by mobile', () => {
    const [r] = channelRequests(
      { kind: 'DINGTALK', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret: 'SECxyz' },
      [content],
      people,
      'ntf_1',
      now,
    );
    const url = new URL(r.url);
    expect(url.searchParams.get('timestamp')).toBe(String(now.getTime()));
    const expected = crypto.createHmac('sha256', 'SECxyz').update(`${now.getTime()}\nSECxyz`).digest('base64');
    expect(url.searchParams.get('sign')).toBe(expected);
    expect(r.url).toContain(`sign=${encodeURIComponent(expected)}`);
    const body = JSON.parse(r.body);
    expect(body).toMatchObject({ msgtype: 'markdown', at: { atMobiles: ['13800040001'], isAtAll: false } });
    expect(body.markdown.text).toContain('@13800040001');
  });

  it('Feishu: timestamp in seconds and sign = base64(HMAC-SHA256 keyed with "timestamp\\nsecret" over nothing) in the body', () => {
    const [r] = channelRequests({ kind: 'FEISHU', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/h', secret: 's3' }, [content], people, 'ntf_1', now);
    const body = JSON.parse(r.body);
    const ts = String(now.getTime() / 1000);
    expect(body).toMatchObject({ timestamp: ts, sign: crypto.createHmac('sha256', `${ts}\ns3`).update('').digest('base64'), msg_type: 'interactive' });
  });

  it('WeCom: markdown, then a text with mentioned_mobile_list only when someone is named', () => {
    const ch = { kind: 'WECOM', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', secret: null };
    expect(channelRequests(ch, [content], people, 'ntf_1', now).map((r) => JSON.parse(r.body).msgtype)).toEqual(['markdown', 'text']);
    expect(channelRequests(ch, [content], [], 'ntf_1', now).map((r) => JSON.parse(r.body).msgtype)).toEqual(['markdown']);
  });

  it("reads each vendor's answer: ok, throttled, failed", () => {
    expect(verdictOf('DINGTALK', 200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true });
    expect(verdictOf('DINGTALK', 200, '{"errcode":130101,"errmsg":"send too fast"}')).toMatchObject({ ok: false, throttled: true });
    expect(verdictOf('WECOM', 200, '{"errcode":45009,"errmsg":"api freq out of limit"}')).toMatchObject({ ok: false, throttled: true });
    expect(verdictOf('FEISHU', 200, '{"code":11232,"msg":"frequency limited"}')).toMatchObject({ ok: false, throttled: true });
    expect(verdictOf('FEISHU', 200, '{"code":19021,"msg":"sign match fail"}')).toMatchObject({ ok: false, throttled: false });
    expect(verdictOf('WEBHOOK', 204, '')).toEqual({ ok: true });
    expect(verdictOf('WEBHOOK', 429, '')).toMatchObject({ throttled: true });
    expect(verdictOf('DINGTALK', 502, '')).toMatchObject({ ok: false, throttled: false, error: 'HTTP 502' });
    expect(verdictOf('DINGTALK', 200, '<html>')).toMatchObject({ ok: false, throttled: false });
  });
});
