import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '../../../src/webhooks/webhook-signature';

/** One message a fake vendor accepted (or refused), as it arrived. */
export interface Received {
  vendor: 'dingtalk' | 'wecom' | 'feishu' | 'webhook';
  robot: string;
  body: any;
  answer: any;
  status: number;
}

const MINUTE = 60_000;

/**
 * DingTalk, WeCom and Feishu group robots and a Standard Webhooks receiver on 127.0.0.1, each
 * checking the signature as its vendor documents it and answering as the vendor's API does,
 * throttling included (20 messages a minute per DingTalk/WeCom robot, then 130101 / 45009;
 * Feishu 11232). `now` is the vendors' clock (the tests' clock). A robot can be told to answer
 * HTTP 500 (`broken`) or to count as busy (`saturate`: another sender used its minute up).
 */
export class VendorReceivers {
  readonly received: Received[] = [];
  readonly broken = new Set<string>();
  private readonly sent = new Map<string, number[]>();
  private server!: http.Server;
  base = '';

  constructor(
    private readonly now: () => Date,
    readonly secrets: { dingtalk: string; feishu: string; webhook: string },
  ) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://x');
        const { status, answer, vendor, robot } = this.handle(url, req.headers, raw);
        let body: any = null;
        try {
          body = JSON.parse(raw);
        } catch {
          /* kept null */
        }
        this.received.push({ vendor, robot, body, answer, status });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Another sender used this robot's minute up. */
  saturate(robot: string): void {
    this.sent.set(
      robot,
      Array.from({ length: 20 }, () => this.now().getTime()),
    );
  }

  of(vendor: Received['vendor'], robot?: string): Received[] {
    return this.received.filter((r) => r.vendor === vendor && (robot === undefined || r.robot === robot));
  }

  /** True when the robot may take one more message this minute (and counts it). */
  private take(robot: string, limit: number): boolean {
    const t = this.now().getTime();
    const recent = (this.sent.get(robot) ?? []).filter((at) => t - at < MINUTE);
    if (recent.length >= limit) {
      this.sent.set(robot, recent);
      return false;
    }
    recent.push(t);
    this.sent.set(robot, recent);
    return true;
  }

  private handle(url: URL, headers: http.IncomingHttpHeaders, raw: string): { status: number; answer: any; vendor: Received['vendor']; robot: string } {
    if (url.pathname === '/dingtalk/robot/send') {
      const robot = `dingtalk:${url.searchParams.get('access_token')}`;
      const answer = (errcode: number, errmsg: string) => ({ status: 200, answer: { errcode, errmsg }, vendor: 'dingtalk' as const, robot });
      // 加签: timestamp (ms) within an hour, sign = urlEncode(base64(HmacSHA256(secret, timestamp + "\n" + secret))).
      const timestamp = url.searchParams.get('timestamp') ?? '';
      const sign = url.searchParams.get('sign') ?? '';
      const expected = crypto.createHmac('sha256', this.secrets.dingtalk).update(`${timestamp}\n${this.secrets.dingtalk}`).digest('base64');
      if (Math.abs(Number(timestamp) - this.now().getTime()) > 3_600_000 || sign !== expected) return answer(310000, 'sign not match');
      if (this.broken.has(robot)) return { status: 500, answer: {}, vendor: 'dingtalk', robot };
      const body = JSON.parse(raw);
      if (body.msgtype !== 'markdown' || typeof body.markdown?.title !== 'string' || typeof body.markdown?.text !== 'string')
        return answer(300001, 'param error');
      for (const m of body.at?.atMobiles ?? []) if (!body.markdown.text.includes(`@${m}`)) return answer(300001, `@${m} not in text`);
      if (!this.take(robot, 20)) return answer(130101, 'send too fast, exceed 20 times per minute');
      return answer(0, 'ok');
    }
    if (url.pathname === '/wecom/cgi-bin/webhook/send') {
      const robot = `wecom:${url.searchParams.get('key')}`;
      const answer = (errcode: number, errmsg: string) => ({ status: 200, answer: { errcode, errmsg }, vendor: 'wecom' as const, robot });
      if (this.broken.has(robot)) return { status: 500, answer: {}, vendor: 'wecom', robot };
      const body = JSON.parse(raw);
      const ok =
        (body.msgtype === 'markdown' && typeof body.markdown?.content === 'string') ||
        (body.msgtype === 'text' &&
          typeof body.text?.content === 'string' &&
          (body.text.mentioned_mobile_list ?? []).every((m: unknown) => typeof m === 'string'));
      if (!ok) return answer(40008, 'invalid message type');
      if (!this.take(robot, 20)) return answer(45009, 'api freq out of limit');
      return answer(0, 'ok');
    }
    if (url.pathname.startsWith('/feishu/open-apis/bot/v2/hook/')) {
      const robot = `feishu:${url.pathname.split('/').pop()}`;
      const answer = (code: number, msg: string) => ({ status: 200, answer: { code, msg, data: {} }, vendor: 'feishu' as const, robot });
      const body = JSON.parse(raw);
      // timestamp (s) within an hour; sign = base64(HmacSHA256(key = timestamp + "\n" + secret, "")).
      const expected = crypto.createHmac('sha256', `${body.timestamp}\n${this.secrets.feishu}`).update('').digest('base64');
      if (Math.abs(Number(body.timestamp) * 1000 - this.now().getTime()) > 3_600_000 || body.sign !== expected)
        return answer(19021, 'sign match fail or timestamp is not within one hour from current time');
      if (this.broken.has(robot)) return { status: 500, answer: {}, vendor: 'feishu', robot };
      if (!((body.msg_type === 'interactive' && body.card?.elements) || (body.msg_type === 'text' && body.content?.text))) return answer(9499, 'Bad Request');
      if (!this.take(robot, 100)) return answer(11232, 'frequency limited');
      return answer(0, 'success');
    }
    const robot = `webhook:${url.pathname}`;
    const ok = verify(
      this.secrets.webhook,
      String(headers['webhook-id']),
      String(headers['webhook-timestamp']),
      raw,
      String(headers['webhook-signature'] ?? ''),
    );
    if (!ok) return { status: 401, answer: { error: 'bad signature' }, vendor: 'webhook', robot };
    if (this.broken.has(robot)) return { status: 500, answer: {}, vendor: 'webhook', robot };
    return { status: 200, answer: { received: true }, vendor: 'webhook', robot };
  }
}
