import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { ReadDb } from '../database/read-db';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { buildMonthlyTables, checkMonth, MonthlyRefund, MonthlyStep, MonthlyTables } from './monthly-report.rows';
import { rawDate, rawFen } from './sql-dialect';

/** A month's refund statistics (退单统计表) with the date they are due. */
export interface MonthlyReport extends MonthlyTables {
  month: string;
  /** The 1st of the next month, or the next working day of the business calendar. */
  dueDate: string;
}

/**
 * The monthly refund tables of POLICY.md §7 for customer service and finance. Reads one
 * business month through ix_refunds_business_month, in request order, and the steps of each
 * refund's latest attempt in one more query, both on a replica when there are some (`reads`).
 */
export class MonthlyReportService {
  constructor(private readonly reads: ReadDb, private readonly rules: RuleSetService) {}

  /** @throws BAD_USER_INPUT (field month) for anything but YYYY-MM. */
  async report(month: string): Promise<MonthlyReport> {
    checkMonth(month);
    const dueDate = this.rules.current().engine.calendar.monthDueDate(month);
    const { refunds, steps } = await this.reads.read(async (em) => ({
      refunds: await this.ofMonth(em, month)
        .select(['r.id AS id', 'r.requested_at AS requested_at', 'r.refund_no AS refund_no', 'r.order_no AS order_no', 'r.phone AS phone'])
        .addSelect(['r.bank AS bank', 'r.amount_fen AS amount_fen', 'r.requested_by AS requested_by'])
        .orderBy('r.requested_at', 'ASC').addOrderBy('r.id', 'ASC')
        .getRawMany(),
      steps: await this.ofMonth(em, month)
        .innerJoin('refund_steps', 's', 's.refund_id = r.id AND s.attempt = r.attempt')
        .select(['s.refund_id AS refund_id', 's.step AS step', 's.status AS status', 's.pending_since AS pending_since', 's.decided_at AS decided_at'])
        .getRawMany(),
    }));
    const tables = buildMonthlyTables(refunds.map(monthlyRefund), steps.map(monthlyStep));
    return { month, dueDate, ...tables };
  }

  /** The refunds a month's tables count: requested in that business month, not drills, not cancelled. */
  private ofMonth(em: EntityManager, month: string): SelectQueryBuilder<any> {
    return em.createQueryBuilder().from('refunds', 'r')
      .where('r.business_month = :month AND r.drill = :drill AND r.status <> :cancelled', { month, drill: false, cancelled: 'CANCELLED' });
  }
}

function monthlyRefund(r: Record<string, unknown>): MonthlyRefund {
  return {
    id: Number(r.id),
    requestedAt: rawDate(r.requested_at)!,
    refundNo: String(r.refund_no),
    orderNo: (r.order_no as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    bank: (r.bank as string | null) ?? null,
    amountFen: rawFen(r.amount_fen),
    requestedBy: String(r.requested_by),
  };
}

function monthlyStep(s: Record<string, unknown>): MonthlyStep {
  return { refundId: Number(s.refund_id), step: String(s.step), status: String(s.status), pendingSince: rawDate(s.pending_since), decidedAt: rawDate(s.decided_at) };
}
