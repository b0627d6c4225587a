import { rawDate, rawFen } from '../database/raw-values';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Clock } from '../common/clock';
import type { ReadDb } from '../database/read-db';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { buildMonthlyTables, checkMonth, MonthlyRefund, MonthlyStep, MonthlyTables } from './monthly-report.rows';
import { filingWindow, REPORT_TABLES, ReportTable } from './report-filing.clock';
import { LateChange, lateChanges, parseFiled, tableRows } from './report-filing.content';
import { ReportFilingEntity, ReportSignOffEntity } from './report-filing.entity';

/** Where one table of a month stands as a document to file. */
export interface TableFiling {
  table: ReportTable;
  /** OPEN (not reviewed yet), REVIEWED (frozen as filed) or ARCHIVED. */
  status: string;
  dueAt: Date;
  /** Past its due time and not ARCHIVED. */
  overdue: boolean;
  /** sha256 of the table as filed; null until REVIEWED. */
  checksum: string | null;
  filedAt: Date | null;
  totalCount: number;
  totalFen: bigint;
}

export interface ReportSignOff {
  table: ReportTable;
  stage: string;
  actor: string;
  at: Date;
  note: string | null;
  checksum: string;
}

/**
 * A month's refund statistics (退单统计表) with the date they are due. A table that was
 * REVIEWED answers as filed; `lateChanges` lists what changed since in the refunds it lists.
 */
export interface MonthlyReport extends MonthlyTables {
  month: string;
  /** The 1st of the next month, or the next working day of the business calendar. */
  dueDate: string;
  /** The end of the due date (business zone). */
  dueAt: Date;
  /** Some table is past its due time and not ARCHIVED. */
  overdue: boolean;
  /** Per table, customer service first. totalCount and totalFen above are the customer-service table's. */
  filings: TableFiling[];
  signOffs: ReportSignOff[];
  lateChanges: LateChange[];
}

/**
 * The monthly refund tables of the policy for customer service and finance. Reads one
 * business month through ix_refunds_business_month, in request order, and the steps of each
 * refund's latest attempt in one more query, both on a replica when there are some (`reads`),
 * then puts a filed table in place of the computed one.
 */
export class MonthlyReportService {
  constructor(
    private readonly ds: DataSource,
    private readonly reads: ReadDb,
    private readonly rules: RuleSetService,
    private readonly clock: Clock,
  ) {}

  /**
   * `primary`: read on the primary (right after a sign-off, to see it).
   * @throws BAD_USER_INPUT (field month) for anything but YYYY-MM.
   */
  async report(month: string, opts: { primary?: boolean } = {}): Promise<MonthlyReport> {
    checkMonth(month);
    const window = filingWindow(this.rules.current().engine.calendar, month);
    const work = async (em: EntityManager) => ({
      live: await this.tables(em, month),
      filings: await em.find(ReportFilingEntity, { where: { month } }),
      signOffs: await em.find(ReportSignOffEntity, { where: { month }, order: { id: 'ASC' } }),
    });
    const { live, filings, signOffs } = opts.primary ? await work(this.ds.manager) : await this.reads.read(work);
    const now = this.clock.now();
    const filed = (table: ReportTable) => {
      const f = filings.find((x) => x.tableName === table);
      return f?.content ? parseFiled(f.content) : null;
    };
    const cs = filed('CUSTOMER_SERVICE');
    const fin = filed('FINANCE');
    const tables: MonthlyTables = {
      customerServiceRows: (cs?.rows ?? live.customerServiceRows) as MonthlyTables['customerServiceRows'],
      financeRows: (fin?.rows ?? live.financeRows) as MonthlyTables['financeRows'],
      totalCount: cs?.totalCount ?? live.totalCount,
      totalFen: cs?.totalFen ?? live.totalFen,
    };
    const tableFilings: TableFiling[] = REPORT_TABLES.map((table) => {
      const f = filings.find((x) => x.tableName === table);
      const status = f?.status ?? 'OPEN';
      const dueAt = f?.dueAt ?? window.dueAt;
      const rows = tableRows(tables, table);
      return {
        table,
        status,
        dueAt,
        overdue: status !== 'ARCHIVED' && now.getTime() > dueAt.getTime(),
        checksum: f?.checksum ?? null,
        filedAt: f?.filedAt ?? null,
        totalCount: rows.length,
        totalFen: rows.reduce((sum, r) => sum + r.amountFen, 0n),
      };
    });
    return {
      month,
      dueDate: window.dueDate,
      dueAt: window.dueAt,
      ...tables,
      overdue: tableFilings.some((f) => f.overdue),
      filings: tableFilings,
      signOffs: signOffs.map((s) => ({ table: s.tableName as ReportTable, stage: s.stage, actor: s.actor, at: s.at, note: s.note, checksum: s.checksum })),
      lateChanges: [
        ...(cs ? lateChanges('CUSTOMER_SERVICE', cs.rows, live.customerServiceRows) : []),
        ...(fin ? lateChanges('FINANCE', fin.rows, live.financeRows) : []),
      ],
    };
  }

  /** Both tables as the refunds stand now, read with `em` (a write transaction files them from here). */
  async tables(em: EntityManager, month: string): Promise<MonthlyTables> {
    const refunds = await this.ofMonth(em, month)
      .select(['r.id AS id', 'r.requested_at AS requested_at', 'r.refund_no AS refund_no', 'r.order_no AS order_no', 'r.phone AS phone'])
      .addSelect(['r.bank AS bank', 'r.amount_fen AS amount_fen', 'r.requested_by AS requested_by'])
      .orderBy('r.requested_at', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getRawMany();
    const steps = await this.ofMonth(em, month)
      .innerJoin('refund_steps', 's', 's.refund_id = r.id AND s.attempt = r.attempt')
      .select(['s.refund_id AS refund_id', 's.step AS step', 's.status AS status', 's.pending_since AS pending_since', 's.decided_at AS decided_at'])
      .getRawMany();
    return buildMonthlyTables(refunds.map(monthlyRefund), steps.map(monthlyStep));
  }

  /** The refunds a month's tables count: requested in that business month, not drills, not cancelled. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a query builder over raw columns
  private ofMonth(em: EntityManager, month: string): SelectQueryBuilder<any> {
    return em
      .createQueryBuilder()
      .from('refunds', 'r')
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
  return {
    refundId: Number(s.refund_id),
    step: String(s.step),
    status: String(s.status),
    pendingSince: rawDate(s.pending_since),
    decidedAt: rawDate(s.decided_at),
  };
}
