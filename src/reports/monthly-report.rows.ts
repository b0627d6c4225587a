import { badInput } from '../common/errors';
import { maskPhone } from '../auth/phone-mask';
import { REPORT_STEPS } from './report-steps';

/**
 * The two monthly refund tables of the policy (退单统计表), built from plain rows: no I/O.
 * A refund belongs to the month it was requested in (business zone), unless it is a drill or
 * was cancelled. Rows are numbered in request order.
 */
export interface MonthlyRefund {
  id: number;
  requestedAt: Date;
  refundNo: string;
  orderNo: string | null;
  phone: string | null;
  bank: string | null;
  amountFen: bigint;
  requestedBy: string;
}

/** A step of a refund's latest attempt. */
export interface MonthlyStep {
  refundId: number;
  step: string;
  status: string;
  pendingSince: Date | null;
  decidedAt: Date | null;
}

interface RowBase {
  rowNo: number;
  submittedAt: Date;
  refundNo: string;
  orderNo: string | null;
  bank: string | null;
  amountFen: bigint;
  submitter: string;
  customerToldAt: Date | null;
}

/** 客服退单统计表 */
export interface CustomerServiceRow extends RowBase {
  /** The phone, always masked (138****5678): the policy files the table with "contact (masked phone)", whoever reads it. */
  contact: string | null;
  sentToTechAt: Date | null;
  sentToFinanceAt: Date | null;
  financeAnsweredAt: Date | null;
}

/** 财务退单统计表 */
export interface FinanceRow extends RowBase {
  cashierCheckedAt: Date | null;
  accountantReviewedAt: Date | null;
  directorApprovedAt: Date | null;
}

export interface MonthlyTables {
  customerServiceRows: CustomerServiceRow[];
  financeRows: FinanceRow[];
  totalCount: number;
  totalFen: bigint;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Refuses anything but YYYY-MM (`field` month). */
/** Years a month may name: refunds are requested now, and calendars beyond these make no sense ("9999-12" ran past the calendar code's range). */
export const MONTH_YEARS = { min: 2000, max: 2099 } as const;

export function checkMonth(month: string): string {
  const m = typeof month === 'string' ? MONTH.exec(month) : null;
  if (!m) throw badInput('month', `"${String(month).slice(0, 20)}" is not a month YYYY-MM`);
  if (Number(m[1]) < MONTH_YEARS.min || Number(m[1]) > MONTH_YEARS.max)
    throw badInput('month', `must be a month of the years ${MONTH_YEARS.min} to ${MONTH_YEARS.max}`, MONTH_YEARS);
  return month;
}

/**
 * Both tables. `refunds` in request order; `steps` those of each refund's latest attempt.
 * Columns read the latest attempt: sent to tech / to finance = when TECH_VERIFY /
 * CASHIER_CHECK became pending; finance answered = when a finance step returned the request,
 * else when PAYOUT was approved; customer told = CUSTOMER_NOTIFIED approved; cashier checked,
 * accountant reviewed = when those steps were decided (a return is a check too); director
 * approved = when FINANCE_DIRECTOR_APPROVAL was approved (a director's return is no approval).
 */
export function buildMonthlyTables(refunds: readonly MonthlyRefund[], steps: readonly MonthlyStep[]): MonthlyTables {
  const byRefund = new Map<number, Map<string, MonthlyStep>>();
  for (const s of steps) {
    const own = byRefund.get(s.refundId) ?? new Map<string, MonthlyStep>();
    own.set(s.step, s);
    byRefund.set(s.refundId, own);
  }
  const customerServiceRows: CustomerServiceRow[] = [];
  const financeRows: FinanceRow[] = [];
  let totalFen = 0n;
  refunds.forEach((r, i) => {
    const own = byRefund.get(r.id) ?? new Map<string, MonthlyStep>();
    const decided = (step: string) => own.get(step)?.decidedAt ?? null;
    const approved = (step: string) => (own.get(step)?.status === 'APPROVED' ? decided(step) : null);
    const returned = [...own.values()].find((s) => s.status === 'RETURNED');
    const base: RowBase = {
      rowNo: i + 1,
      submittedAt: r.requestedAt,
      refundNo: r.refundNo,
      orderNo: r.orderNo,
      bank: r.bank,
      amountFen: r.amountFen,
      submitter: r.requestedBy,
      customerToldAt: approved(REPORT_STEPS.customerNotified),
    };
    customerServiceRows.push({
      ...base,
      contact: maskPhone(r.phone),
      sentToTechAt: own.get(REPORT_STEPS.tech)?.pendingSince ?? null,
      sentToFinanceAt: own.get(REPORT_STEPS.financeEntry)?.pendingSince ?? null,
      financeAnsweredAt: returned?.decidedAt ?? approved(REPORT_STEPS.payout),
    });
    financeRows.push({
      ...base,
      cashierCheckedAt: decided(REPORT_STEPS.cashier),
      accountantReviewedAt: decided(REPORT_STEPS.accountant),
      directorApprovedAt: approved(REPORT_STEPS.director),
    });
    totalFen += r.amountFen;
  });
  return { customerServiceRows, financeRows, totalCount: refunds.length, totalFen };
}
