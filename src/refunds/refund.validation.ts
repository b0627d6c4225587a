import { badInput } from '../common/errors';
import type { Catalog } from '../rules/types';
import { LIMITS, phone, text } from '../common/text-input';
import { amount, code } from '../incidents/incident.validation';
import type { RequestRefundInput } from './refund.inputs';

/** Longest accepted text per refund field (characters), beyond the incident ones. */
export const REFUND_LIMITS = { bank: 128, faultDescription: LIMITS.description, customerOpinion: LIMITS.note, reason: LIMITS.note } as const;

/** A purchase time may be this far ahead of our clock (the caller's clock may run fast). */
const CLOCK_SKEW_MS = 5 * 60_000;

/** A request form (退款申请单) after checking: exact amount in fen, method from the catalog, strings bounded. */
export interface RefundForm {
  amountFen: bigint;
  method: string;
  orderNo: string | null;
  purchasedAt: Date | null;
  bank: string | null;
  phone: string | null;
  faultDescription: string | null;
  customerOpinion: string | null;
}

/** Checks a refund request against the active catalog. Throws BAD_USER_INPUT naming the field. */
export function normalizeRefundForm(input: RequestRefundInput, catalog: Catalog, now: Date): RefundForm {
  const amountFen = amount('input.amount', input.amount, true)!;
  if (amountFen <= 0n) throw badInput('input.amount', 'must be more than 0');
  const purchasedAt = input.purchasedAt ?? null;
  if (purchasedAt && purchasedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw badInput('input.purchasedAt', 'is in the future');
  return {
    amountFen,
    method: code('input.method', input.method, Object.keys(catalog.refundMethods), true)!,
    orderNo: text('input.orderNo', input.orderNo, LIMITS.orderNo),
    purchasedAt,
    bank: text('input.bank', input.bank, REFUND_LIMITS.bank),
    phone: phone('input.phone', input.phone),
    faultDescription: text('input.faultDescription', input.faultDescription, REFUND_LIMITS.faultDescription),
    customerOpinion: text('input.customerOpinion', input.customerOpinion, REFUND_LIMITS.customerOpinion),
  };
}
