import type { Harness } from './harness';
import { CANCEL, refundKit, RESUBMIT } from './refunds';

/**
 * Refunds placed around October 2026 in Shanghai time (UTC+8) for the report tests, made
 * through the real GraphQL mutations with the harness clock. Times below are UTC.
 *
 * | refund | requested (UTC)      | Shanghai month | bank     | amount  | what happens |
 * |--------|----------------------|----------------|----------|---------|--------------|
 * | R6     | 2026-09-30T16:10Z    | 2026-10 (1st)  | (none)   | 7.77    | waits at CASHIER_CHECK |
 * | R1     | 2026-10-09T02:00Z    | 2026-10        | 招商银行 | 120.50  | completed; payout late; paid after 12.5 h |
 * | R2     | 2026-10-15T03:00Z    | 2026-10        | 工商银行 | 99.90   | PAYMENT_FAULT, 7 steps 5 min apart; paid after 0.5 h |
 * | R3     | 2026-10-20T02:00Z    | 2026-10        | 招商银行 | 1000.33 | returned by the accountant, resubmitted, waits at ACCOUNTANT_REVIEW |
 * | R8     | 2026-10-25T02:00Z    | 2026-10        | 建设银行 | 88.88   | cancelled |
 * | R7     | 2026-10-26T02:00Z    | 2026-10        | 农业银行 | 500.00  | a drill |
 * | R4     | 2026-10-31T15:59Z    | 2026-10 (31st) | 工商银行 | 33.33   | waits at CASHIER_CHECK |
 * | R5     | 2026-10-31T16:30Z    | 2026-11 (1st)  | 招商银行 | 50.00   | waits at CASHIER_CHECK |
 *
 * Afterwards the clock stands at 2026-11-23T02:00Z, so every step still pending is overdue.
 */
export const RETURN_REASON = '缺少支付凭证';
export const PHONE = '13812345678';
export const QUERY_TIME = '2026-11-23T02:00:00Z';

export type RefundName = 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'R6' | 'R7' | 'R8';

export async function buildReportScenario(h: Harness): Promise<Record<RefundName, any>> {
  const k = refundKit(h);
  const at = (iso: string) => h.clock.set(new Date(iso));
  const minutes = (n: number) => h.clock.advance(n * 60_000);
  const refund = async (iso: string, category: string, amount: string, bank: string | null, extra: Record<string, unknown> = {}) => {
    at(iso);
    const incidentId = await k.incident({ category, amount, orderNo: `SO-${iso.slice(0, 10)}`, customer: { id: `C-${iso}`, phone: PHONE }, ...extra });
    return k.requested(incidentId, amount, h.keys.AGENT, bank ? { bank } : {});
  };
  const walk = async (id: string, steps: Array<[string, string]>, gap = 5) => {
    let last: any;
    for (const [step, key] of steps) {
      minutes(gap);
      last = await k.approved(key, id, step);
    }
    return last;
  };
  const finance: Array<[string, string]> = [
    ['ACCOUNTANT_REVIEW', h.keys.ACCOUNTANT],
    ['FINANCE_DIRECTOR_APPROVAL', h.keys.FINANCE_DIRECTOR],
    ['PAYOUT', h.keys.CASHIER],
    ['CUSTOMER_NOTIFIED', h.keys.AGENT],
  ];
  const r: Partial<Record<RefundName, any>> = {};

  r.R6 = await refund('2026-09-30T16:10:00Z', 'OVERCHARGE', '7.77', null);

  r.R1 = await refund('2026-10-09T02:00:00Z', 'OVERCHARGE', '120.50', '招商银行');
  at('2026-10-09T07:00:00Z');
  await k.approved(h.keys.CASHIER, r.R1.id, 'CASHIER_CHECK');
  r.R1 = await walk(r.R1.id, finance.slice(0, 2), 10);
  at('2026-10-09T14:20:00Z'); // finance's 12 hours from the cashier's start ended at 14:00Z: PAYOUT is late
  r.R1 = await walk(r.R1.id, finance.slice(2), 10); // PAYOUT at 14:30Z: 12.5 hours after the request

  r.R2 = await refund('2026-10-15T03:00:00Z', 'PAYMENT_FAULT', '99.90', '工商银行', { subtype: 'NO_ORDER_ISSUED' });
  r.R2 = await walk(r.R2.id, [['CS_REVIEW', h.keys.CS_LEAD], ['TECH_VERIFY', h.keys.TECH], ['CASHIER_CHECK', h.keys.CASHIER], ...finance]);

  r.R3 = await refund('2026-10-20T02:00:00Z', 'OVERCHARGE', '1000.33', '招商银行');
  await walk(r.R3.id, [['CASHIER_CHECK', h.keys.CASHIER]]);
  minutes(5);
  await k.approved(h.keys.ACCOUNTANT, r.R3.id, 'ACCOUNTANT_REVIEW', { decision: 'RETURN', comment: RETURN_REASON });
  minutes(30);
  const resubmitted = await h.gql(h.keys.AGENT, RESUBMIT, { id: r.R3.id, comment: '已补凭证' });
  if (resubmitted.errors) throw new Error(JSON.stringify(resubmitted.errors));
  r.R3 = await walk(r.R3.id, [['CASHIER_CHECK', h.keys.CASHIER]]);

  r.R8 = await refund('2026-10-25T02:00:00Z', 'OVERCHARGE', '88.88', '建设银行');
  minutes(5);
  const cancelled = await h.gql(h.keys.AGENT, CANCEL, { id: r.R8.id, reason: '顾客撤回' });
  if (cancelled.errors) throw new Error(JSON.stringify(cancelled.errors));
  r.R8 = cancelled.data.cancelRefund;

  r.R7 = await refund('2026-10-26T02:00:00Z', 'OVERCHARGE', '500.00', '农业银行', { drill: true });
  r.R4 = await refund('2026-10-31T15:59:00Z', 'ORDER_ERROR', '33.33', '工商银行');
  r.R5 = await refund('2026-10-31T16:30:00Z', 'OVERCHARGE', '50.00', '招商银行');

  // An open incident without a refund, reported in the handover window below.
  at('2026-10-20T01:00:00Z');
  await k.incident({ category: 'SYSTEM_FAILURE', subtype: 'HOTLINE' });
  at(QUERY_TIME);
  return r as Record<RefundName, any>;
}
