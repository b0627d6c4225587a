import crypto from 'node:crypto';
import { signatureHeader } from '../webhooks/webhook-signature';

/** What a notification says, fixed when it is written (the incident may change later; the message told what was true then). */
export interface NotificationContent {
  incidentId: string;
  reason: string;
  severity: string;
  category: string;
  categoryLabel: string;
  subtypeLabel: string | null;
  place: string | null;
  drill: boolean;
  department: string;
  departmentLabel: string;
  /** The actions still due, with their due time in the business time zone ("11-23 10:05"). */
  actions: Array<{ label: string; due: string | null }>;
  /** What happened, for deadlines and escalations ("超时: 拨打119火警"). */
  detail: string | null;
  link: string | null;
  /** When it was written, in the business time zone. */
  at: string;
}

/** A person (or group) a message is for. */
export interface MessageRecipient {
  name: string;
  phone: string | null;
}

export const SEVERITY_LABELS: Record<string, string> = { CRITICAL: '特别紧急', URGENT: '紧急', SERIOUS: '严重', GENERAL: '一般' };
export const REASON_LABELS: Record<string, string> = {
  REPORTED: '新事件',
  AMENDED: '事件更新',
  WARNING: '即将超时',
  BREACH: '已超时',
  ESCALATED: '升级通知',
  REFUND_STEP: '退款待办',
};

/** One section per incident and reason; the recipients of the whole message are @-mentioned once at its end. Pure. */
export function messageTitle(items: readonly NotificationContent[]): string {
  const first = items[0];
  const head = `${first.drill ? '【演练】' : ''}【${REASON_LABELS[first.reason] ?? first.reason}】${first.categoryLabel}${first.subtypeLabel ? ` · ${first.subtypeLabel}` : ''}`;
  return items.length === 1 ? head : `${head} 等 ${items.length} 条`;
}

export function markdownOf(items: readonly NotificationContent[], recipients: readonly MessageRecipient[], mention: (r: MessageRecipient) => string): string {
  const sections = items.map((c) => {
    const lines = [
      `### ${c.drill ? '【演练】' : ''}【${REASON_LABELS[c.reason] ?? c.reason}】事件 #${c.incidentId}`,
      `- 级别: **${SEVERITY_LABELS[c.severity] ?? c.severity}**`,
      `- 类别: ${c.categoryLabel}${c.subtypeLabel ? ` / ${c.subtypeLabel}` : ''}`,
      `- 地点: ${c.place ?? '未填写'}`,
      `- 通知部门: ${c.departmentLabel}`,
      ...(c.detail ? [`- 情况: ${c.detail}`] : []),
      ...(c.actions.length ? ['- 待办:', ...c.actions.map((a) => `  - ${a.label}${a.due ? ` (${a.due} 前)` : ''}`)] : []),
      ...(c.link ? [`- [查看事件](${c.link})`] : [`- 时间: ${c.at}`]),
    ];
    return lines.join('\n');
  });
  const names = recipients.map(mention).filter(Boolean);
  return sections.join('\n\n') + (names.length ? `\n\n请 ${names.join(' ')} 立即处理` : '');
}

/** One HTTP request to a channel. */
export interface ChannelRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface ChannelTarget {
  kind: string;
  url: string;
  secret: string | null;
}

/**
 * The requests that carry one merged message to a channel, signed as each vendor documents:
 * - DINGTALK custom robot: markdown, `at.atMobiles`; with a secret (加签), `&timestamp=<ms>&sign=`
 *   url-encoded base64(HMAC-SHA256(key = secret, "<timestamp>\n<secret>")).
 * - WECOM group robot: markdown; its markdown cannot mention by phone, so a text message with
 *   `mentioned_mobile_list` follows when someone is named (the key is in the URL; no signing).
 * - FEISHU custom bot: an interactive card (lark_md); with a secret, `timestamp` (s) and `sign` =
 *   base64(HMAC-SHA256(key = "<timestamp>\n<secret>", empty message)) in the body.
 * - WEBHOOK: Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`), type
 *   `notification.sent`, with the recipients and the contents.
 * Pure but for the message id it is given and the time.
 */
export function channelRequests(
  ch: ChannelTarget,
  items: readonly NotificationContent[],
  recipients: readonly MessageRecipient[],
  messageId: string,
  now: Date,
): ChannelRequest[] {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const phones = [...new Set(recipients.map((r) => r.phone).filter((p): p is string => !!p))];
  const title = messageTitle(items);
  switch (ch.kind) {
    case 'DINGTALK': {
      const text = markdownOf(items, recipients, (r) => (r.phone ? `@${r.phone}` : r.name));
      let url = ch.url;
      if (ch.secret) {
        const timestamp = String(now.getTime());
        const sign = crypto.createHmac('sha256', ch.secret).update(`${timestamp}\n${ch.secret}`, 'utf8').digest('base64');
        url += `${url.includes('?') ? '&' : '?'}timestamp=${timestamp}&sign=${encodeURIComponent(sign)}`;
      }
      return [
        {
          url,
          headers: json,
          body: JSON.stringify({ msgtype: 'markdown', markdown: { title, text: `#### ${title}\n\n${text}` }, at: { atMobiles: phones, isAtAll: false } }),
        },
      ];
    }
    case 'WECOM': {
      const out: ChannelRequest[] = [
        {
          url: ch.url,
          headers: json,
          body: JSON.stringify({ msgtype: 'markdown', markdown: { content: `**${title}**\n${markdownOf(items, [], () => '')}` } }),
        },
      ];
      if (phones.length) {
        out.push({
          url: ch.url,
          headers: json,
          body: JSON.stringify({
            msgtype: 'text',
            text: { content: `${title}: 请 ${recipients.map((r) => r.name).join('、')} 立即处理`, mentioned_mobile_list: phones },
          }),
        });
      }
      return out;
    }
    case 'FEISHU': {
      const card = {
        header: {
          title: { tag: 'plain_text', content: title },
          template: items.some((i) => i.severity === 'CRITICAL' || i.reason === 'BREACH' || i.reason === 'ESCALATED') ? 'red' : 'orange',
        },
        elements: [{ tag: 'div', text: { tag: 'lark_md', content: markdownOf(items, recipients, (r) => r.name).replace(/^### (.*)$/gm, '**$1**') } }],
      };
      const signed: Record<string, string> = {};
      if (ch.secret) {
        const timestamp = String(Math.floor(now.getTime() / 1000));
        signed.timestamp = timestamp;
        signed.sign = crypto.createHmac('sha256', `${timestamp}\n${ch.secret}`).update('').digest('base64');
      }
      return [{ url: ch.url, headers: json, body: JSON.stringify({ ...signed, msg_type: 'interactive', card }) }];
    }
    case 'WEBHOOK': {
      const timestamp = Math.floor(now.getTime() / 1000);
      const body = JSON.stringify({ type: 'notification.sent', timestamp: now.toISOString(), data: { messageId, title, recipients, notifications: items } });
      const headers: Record<string, string> = { ...json, 'webhook-id': messageId, 'webhook-timestamp': String(timestamp) };
      if (ch.secret) headers['webhook-signature'] = signatureHeader([ch.secret], messageId, timestamp, body);
      return [{ url: ch.url, headers, body }];
    }
    default:
      throw new Error(`unknown channel kind ${ch.kind}`);
  }
}

/** What a vendor's answer means: accepted, throttled (its rate limit: wait for the window), or failed. */
export type ChannelVerdict = { ok: true } | { ok: false; throttled: boolean; error: string };

/** DingTalk 130101 (send too fast), WeCom 45009 (api freq out of limit), Feishu 11232 / 9499 (frequency limited), HTTP 429. */
export const THROTTLE_CODES: Record<string, number[]> = { DINGTALK: [130101], WECOM: [45009], FEISHU: [11232, 9499] };

export function verdictOf(kind: string, status: number, body: string): ChannelVerdict {
  if (status === 429) return { ok: false, throttled: true, error: 'HTTP 429' };
  if (status < 200 || status >= 300) return { ok: false, throttled: false, error: `HTTP ${status}` };
  if (kind === 'WEBHOOK') return { ok: true };
  let parsed: { errcode?: unknown; errmsg?: unknown; code?: unknown; msg?: unknown; StatusCode?: unknown };
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, throttled: false, error: `HTTP ${status}, not JSON` };
  }
  const code = Number(kind === 'FEISHU' ? (parsed.code ?? parsed.StatusCode) : parsed.errcode);
  if (code === 0) return { ok: true };
  const message = String((kind === 'FEISHU' ? parsed.msg : parsed.errmsg) ?? '');
  return {
    ok: false,
    throttled: (THROTTLE_CODES[kind] ?? []).includes(code),
    error: `${kind} ${Number.isNaN(code) ? 'answered no code' : code} ${message}`.trim(),
  };
}

/** Messages per minute each kind of robot accepts (DingTalk and WeCom: 20; Feishu: 100); a webhook has no documented limit. */
export const RATE_PER_MINUTE: Record<string, number> = { DINGTALK: 20, WECOM: 20, FEISHU: 100, WEBHOOK: 600 };
