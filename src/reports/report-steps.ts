import { PAYOUT_STEP } from '../refunds/refund.state-machine';

/**
 * The refund steps the report columns of §7 are read from, named once.
 * Every column reads the latest attempt of a refund: a resubmitted request is reported as it
 * went the last time.
 */
export const REPORT_STEPS = {
  /** 转技术时间: TECH_VERIFY became pending (PAYMENT_FAULT chains only). */
  tech: 'TECH_VERIFY',
  /** 转财务时间: the request reached finance, i.e. CASHIER_CHECK became pending. */
  financeEntry: 'CASHIER_CHECK',
  cashier: 'CASHIER_CHECK',
  accountant: 'ACCOUNTANT_REVIEW',
  director: 'FINANCE_DIRECTOR_APPROVAL',
  payout: PAYOUT_STEP,
  customerNotified: 'CUSTOMER_NOTIFIED',
} as const;

/** Incident statuses that are still open work. */
export const OPEN_INCIDENT_STATUSES = ['OPEN', 'ACKNOWLEDGED'] as const;
