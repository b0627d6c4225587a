import crypto from 'node:crypto';
import type { ReportIncidentInput } from '../incidents/incident.inputs';
import { prng } from '../common/prng';

/**
 * Realistic demo incidents (every category of the catalog), drawn from a seeded PRNG so the
 * same seed always gives the same data. Pure: no I/O.
 */

/** A PRNG of its own per key, so skipping one incident does not change the others. */
export function prngFor(seed: number, key: string): () => number {
  return prng(crypto.createHash('sha256').update(`${seed}:${key}`).digest().readUInt32LE(0));
}

export type Random = () => number;
export const pick = <T>(rnd: Random, list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
export const chance = (rnd: Random, p: number) => rnd() < p;
export const between = (rnd: Random, min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));

/** Yuan with fen, e.g. "238.47", between min and max yuan. */
export function yuan(rnd: Random, min: number, max: number): string {
  const fen = between(rnd, min * 100, max * 100);
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

export const BANKS = ['招商银行', '工商银行', '建设银行', '农业银行', '中国银行', '交通银行', '支付宝', '微信支付'] as const;
const METHOD_OF_BANK: Record<string, string> = { 支付宝: 'ALIPAY', 微信支付: 'WECHAT' };
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴'];
const CHANNELS = ['hotline', 'counter', 'app', 'wechat'];

/** How often each category is reported (per 100). */
const WEIGHTS: Array<[string, number]> = [
  ['OVERCHARGE', 18],
  ['PAYMENT_FAULT', 16],
  ['PRODUCT_QUALITY', 14],
  ['LOGISTICS', 12],
  ['ORDER_ERROR', 9],
  ['SERVICE', 9],
  ['AGITATED_CUSTOMER', 6],
  ['SYSTEM_FAILURE', 5],
  ['PROPERTY_LOSS', 4],
  ['PERSONAL_SAFETY', 3],
  ['ONSITE_EMERGENCY', 4],
];

export interface DemoIncident {
  input: ReportIncidentInput;
  /** Ask for a refund of this much (all of the amount, or part of it); null for none. */
  refund: { amount: string; method: string; bank: string } | null;
}

/** Every category the demo reports, most frequent first. */
export const DEMO_CATEGORIES = WEIGHTS.map(([c]) => c);

/**
 * How busy each calendar month is (per 1): the 双十一 peak in November and the run-up to the
 * new year, a quiet 春节 February — so the statistics by month have a shape.
 */
export const MONTH_WEIGHTS: Record<number, number> = { 1: 1.1, 2: 0.6, 3: 0.9, 4: 0.9, 5: 1, 6: 1.1, 7: 1, 8: 0.9, 9: 1, 10: 1, 11: 1.9, 12: 1.3 };

/** A few customers who complain again and again: the statistics' repeat customers. */
const FREQUENT_CUSTOMERS = ['CUST-8801', 'CUST-8802', 'CUST-8803'];

/**
 * One incident: category by weight (unless given), facts that fit it, a customer, maybe a
 * refund. `month` (1–12) tilts the mix: logistics complaints triple in November, and a bad
 * batch of goods (功能故障) makes product quality the top complaint from May to July.
 */
export function demoIncident(rnd: Random, externalRef: string, category?: string, month = 0): DemoIncident {
  category ??= weighted(rnd, month);
  const phone = `1${pick(rnd, ['38', '39', '58', '86', '77'])}${String(between(rnd, 0, 99_999_999)).padStart(8, '0')}`;
  const input: ReportIncidentInput = {
    source: 'demo',
    externalRef,
    category,
    channel: pick(rnd, CHANNELS),
    orderNo: `SO${between(rnd, 10_000_000, 99_999_999)}`,
    customer: {
      id: chance(rnd, 0.07) ? pick(rnd, FREQUENT_CUSTOMERS) : `CUST-${between(rnd, 1, 400)}`,
      name: `${pick(rnd, SURNAMES)}先生`,
      phone,
      tier: pick(rnd, ['regular', 'regular', 'vip']),
    },
    drill: false,
  };
  const facts = FACTS[category](rnd);
  if (category === 'PRODUCT_QUALITY' && month >= 5 && month <= 7 && chance(rnd, 0.6)) facts.input.subtype = 'FUNCTION_FAILURE';
  Object.assign(input, facts.input);
  if (facts.amount) input.amount = facts.amount;
  let refund: DemoIncident['refund'] = null;
  if (facts.amount && facts.refundable) {
    const bank = pick(rnd, BANKS);
    const part = chance(rnd, 0.8) ? facts.amount : yuan(rnd, 1, Math.max(1, Math.floor(Number(facts.amount) / 2)));
    refund = { amount: part, bank, method: METHOD_OF_BANK[bank] ?? (chance(rnd, 0.85) ? 'ORIGINAL_PAYMENT' : pick(rnd, ['BANK_TRANSFER', 'CASH'])) };
  }
  return { input, refund };
}

function weighted(rnd: Random, month: number): string {
  const weights = WEIGHTS.map(([c, w]): [string, number] => [
    c,
    c === 'LOGISTICS' && month === 11 ? w * 3 : c === 'PRODUCT_QUALITY' && month >= 5 && month <= 7 ? w * 2.5 : w,
  ]);
  let roll = rnd() * weights.reduce((s, [, w]) => s + w, 0);
  return weights.find(([, w]) => (roll -= w) < 0)?.[0] ?? 'OVERCHARGE';
}

/** `total` incidents over the months (YYYY-MM) by their weights, exactly (largest remainders). */
export function spreadOverMonths(total: number, months: readonly string[]): number[] {
  const weights = months.map((m) => MONTH_WEIGHTS[Number(m.slice(5, 7))] ?? 1);
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const missing = total - counts.reduce((s, c) => s + c, 0);
  for (let k = 0; k < missing; k++) counts[order[k][1]] += 1;
  return counts;
}

interface Facts {
  input: Partial<ReportIncidentInput>;
  amount?: string;
  /** The rule pack gives this category a refund chain. */
  refundable?: boolean;
}

const FACTS: Record<string, (rnd: Random) => Facts> = {
  // A few overcharge drills (预案演练) with their refunds show that reports leave drills out.
  OVERCHARGE: (rnd) => ({ input: { description: '收银重复扣款', drill: chance(rnd, 0.03) }, amount: yuan(rnd, 5, 900), refundable: true }),
  PAYMENT_FAULT: (rnd) => ({
    input: { subtype: pick(rnd, ['NO_ORDER_ISSUED', 'ORDER_CONFLICT', 'PAYMENT_TIMEOUT']), description: '扣款成功未出单' },
    amount: yuan(rnd, 10, 3000),
    refundable: true,
  }),
  PRODUCT_QUALITY: (rnd) => ({
    input: { subtype: pick(rnd, ['COSMETIC_DEFECT', 'MINOR_MALFUNCTION', 'FUNCTION_FAILURE', 'SERIOUS_DEFECT']), legalThreat: chance(rnd, 0.05) },
    amount: chance(rnd, 0.03) ? yuan(rnd, 50_001, 80_000) : yuan(rnd, 20, 6000),
    refundable: true,
  }),
  LOGISTICS: (rnd) => ({ input: { subtype: pick(rnd, ['DAMAGED', 'LOST', 'DELAYED', 'TRANSPORT_ACCIDENT']) }, amount: yuan(rnd, 15, 2500), refundable: true }),
  ORDER_ERROR: (rnd) => ({ input: { description: '发错货' }, amount: yuan(rnd, 10, 1200), refundable: true }),
  SERVICE: (rnd) => ({
    input: { subtype: pick(rnd, ['SLOW_RESPONSE', 'ATTITUDE', 'MISCOMMUNICATION']) },
    ...(chance(rnd, 0.3) ? { amount: yuan(rnd, 5, 200), refundable: true } : {}),
  }),
  AGITATED_CUSTOMER: (rnd) => ({ input: { escalating: chance(rnd, 0.3), mediaAttention: chance(rnd, 0.05), location: '客服大厅' } }),
  SYSTEM_FAILURE: (rnd) => ({ input: { subtype: pick(rnd, ['COMPUTER', 'NETWORK', 'POWER_OUTAGE', 'HOTLINE']), outageMinutes: between(rnd, 5, 120) } }),
  PROPERTY_LOSS: (rnd) => ({
    input: { subtype: pick(rnd, ['LOST', 'STOLEN', 'DAMAGED']), propertyOwner: pick(rnd, ['COMPANY', 'CUSTOMER']) },
    amount: yuan(rnd, 50, 8000),
  }),
  PERSONAL_SAFETY: (rnd) => ({
    input: {
      subtype: pick(rnd, ['TRAFFIC_ACCIDENT', 'ANIMAL_BITE', 'UNLAWFUL_RESTRAINT', 'ASSAULT', 'WORK_INJURY']),
      injured: chance(rnd, 0.4),
      location: '门店',
    },
  }),
  // On-site emergencies are mostly rehearsed (预案演练): flagged as drills, left out of the reports.
  ONSITE_EMERGENCY: (rnd) => ({
    input: {
      subtype: pick(rnd, [
        'CUSTOMER_ILLNESS',
        'FAMILY_DISTURBANCE',
        'BOMB_OR_POISON_THREAT',
        'FIGHT_THEFT_ROBBERY',
        'TROUBLEMAKER',
        'FIRE',
        'ELECTRICAL_FAULT',
      ]),
      drill: chance(rnd, 0.6),
      location: '客服大厅',
    },
  }),
};
