import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Actor, Role } from '../auth/actor';
import { hasAnyRole } from '../auth/actor';
import type { Clock } from '../common/clock';
import { badInput, conflict, forbidden } from '../common/errors';
import { dialectOf, forUpdate } from '../database/dialect';
import { isUniqueViolation } from '../database/errors';
import type { Transactions } from '../database/transaction';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { checkMonth } from './monthly-report.rows';
import type { MonthlyReport, MonthlyReportService } from './monthly-report.service';
import { ensureFilingRow, filingWindow, ReportTable } from './report-filing.clock';
import { fileTable } from './report-filing.content';
import { ReportFilingEntity, ReportSignOffEntity } from './report-filing.entity';

export const SIGN_OFF_STAGES = ['REVIEWED', 'ARCHIVED'] as const;
export type SignOffStage = (typeof SIGN_OFF_STAGES)[number];

/** 部门主管审核: who reviews each table (the policy); 行政人事部 (ADMIN) archives both. */
export const REVIEWER_ROLE: Record<ReportTable, Role> = { CUSTOMER_SERVICE: 'CS_LEAD', FINANCE: 'FINANCE_DIRECTOR' };
export const ARCHIVER_ROLE: Role = 'ADMIN';

const MAX_NOTE = 2000;

/**
 * Filing the monthly tables (the policy): REVIEWED by the table's supervisor once the month is
 * over — which freezes the table as it stands, with its sha256 — then ARCHIVED by ADMIN; each
 * once, in that order. Nothing updates or deletes a filed table afterwards.
 */
export class ReportFilingService {
  constructor(
    private readonly tx: Transactions,
    private readonly rules: RuleSetService,
    private readonly clock: Clock,
    private readonly monthly: MonthlyReportService,
  ) {}

  /**
   * @throws FORBIDDEN for a role that does not sign this table at this stage; BAD_USER_INPUT
   * (month) for a malformed month or one not over yet, (note) for a note over 2000 characters;
   * CONFLICT for a stage out of order or signed already (`extensions.status` names where the
   * table stands).
   */
  async signOff(actor: Actor, month: string, table: ReportTable, stage: SignOffStage, note: string | null): Promise<MonthlyReport> {
    checkMonth(month);
    const signer = stage === 'REVIEWED' ? REVIEWER_ROLE[table] : ARCHIVER_ROLE;
    if (!hasAnyRole(actor, [signer])) throw forbidden(`${stage} of the ${table} table is signed by ${signer}`);
    if (note !== null && note !== undefined && note.length > MAX_NOTE) throw badInput('note', `at most ${MAX_NOTE} characters`);
    const calendar = this.rules.current().engine.calendar;
    const now = this.clock.now();
    if (now.getTime() < filingWindow(calendar, month).startAt.getTime()) throw badInput('month', `${month} is not over yet: it cannot be filed before it ends`);
    await this.tx.run(async (em) => {
      await ensureFilingRow(em, calendar, month, table);
      const filing = await lockedFiling(em, month, table);
      const expected = stage === 'REVIEWED' ? 'OPEN' : 'REVIEWED';
      if (filing.status !== expected) {
        const why = filing.status === stage || (stage === 'REVIEWED' && filing.status === 'ARCHIVED') ? 'is signed already' : `needs ${expected} first`;
        throw conflict(`${stage} of the ${table} table of ${month} ${why} (it is ${filing.status})`, { status: filing.status });
      }
      let checksum = filing.checksum ?? '';
      const set: Partial<ReportFilingEntity> = { status: stage };
      if (stage === 'REVIEWED') {
        const filed = fileTable(month, table, await this.monthly.tables(em, month));
        checksum = filed.checksum;
        Object.assign(set, { content: filed.content, checksum, filedAt: now });
      }
      const res = await em
        .createQueryBuilder()
        .update(ReportFilingEntity)
        .set(set as QueryDeepPartialEntity<ReportFilingEntity>)
        .where('id = :id AND status = :expected', { id: filing.id, expected })
        .execute();
      if (!res.affected) throw conflict(`${stage} of the ${table} table of ${month} is signed already`, { status: stage });
      const row: Omit<ReportSignOffEntity, 'id'> = {
        filingId: filing.id,
        month,
        tableName: table,
        stage,
        actor: actor.name,
        at: now,
        note: note ?? null,
        checksum,
      };
      try {
        await em.insert(ReportSignOffEntity, row as QueryDeepPartialEntity<ReportSignOffEntity>);
      } catch (e) {
        if (isUniqueViolation(e)) throw conflict(`${stage} of the ${table} table of ${month} is signed already`, { status: stage });
        throw e;
      }
    });
    return this.monthly.report(month, { primary: true });
  }
}

/** The filing row, locked to the end of the transaction on MySQL (SQLite transactions are serial). */
async function lockedFiling(em: EntityManager, month: string, table: ReportTable): Promise<ReportFilingEntity> {
  const d = dialectOf(em);
  if (d !== 'sqlite') await em.query(`SELECT id FROM report_filings WHERE month = ? AND table_name = ?${forUpdate(d)}`, [month, table]);
  return em.findOneByOrFail(ReportFilingEntity, { month, tableName: table });
}
