import { rawDate } from '../database/raw-values';
import { EntityManager, In } from 'typeorm';
import type { Clock } from '../common/clock';
import { badInput } from '../common/errors';
import type { ReadDb } from '../database/read-db';
import { IncidentEntity } from '../incidents/incident.entity';
import type { IncidentReader, IncidentView } from '../incidents/incident.reader';
import { RefundEntity } from '../refunds/refund.entity';
import { RemedyEntity } from '../remedies/remedy.entity';
import type { RemedyView } from '../remedies/remedy.reader';
import { RemedyStepEntity } from '../remedies/remedy-step.entity';
import type { RefundReader, RefundView } from '../refunds/refund.reader';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { OPEN_INCIDENT_STATUSES, REPORT_STEPS } from './report-steps';
import { HandoverTask, handoverTasks } from './shift-handover.tasks';
import { UNFINISHED_REFUND_STATUSES } from '../refunds/refund.state-machine';

/** The longest window a handover covers. */
export const MAX_HANDOVER_DAYS = 31;

/** One return by finance (财务退回) in the window. */
export interface HandoverReturn {
  refundId: number;
  refundNo: string;
  step: string | null;
  reason: string | null;
  returnedAt: Date;
  returnedBy: string;
}

/** A shift handover (工作交接单) for [from, to). */
export interface ShiftHandover {
  from: Date;
  to: Date;
  paid: RefundView[];
  paidTotalFen: bigint;
  submittedToFinance: RefundView[];
  returnedByFinance: RefundView[];
  returns: HandoverReturn[];
  openIncidents: IncidentView[];
  tasks: HandoverTask[];
}

/**
 * The shift handover of the policy: refunds finance paid, refunds submitted to finance
 * (CASHIER_CHECK became pending) and refunds finance returned in the window, then what is
 * still open now — incidents not resolved, refunds in progress — with what the next shift
 * must do. Drills are left out unless asked for. Read on a replica when there are some (`reads`).
 */
export class ShiftHandoverService {
  constructor(
    private readonly reads: ReadDb,
    private readonly rules: RuleSetService,
    private readonly clock: Clock,
    private readonly incidents: IncidentReader,
    private readonly refunds: RefundReader,
  ) {}

  /** @throws BAD_USER_INPUT (field to) for an empty, reversed or over-long window. */
  async handover(from: Date, to: Date, includeDrills = false): Promise<ShiftHandover> {
    if (from.getTime() >= to.getTime()) throw badInput('to', 'must be after from');
    if (to.getTime() - from.getTime() > MAX_HANDOVER_DAYS * 86_400_000) throw badInput('to', `a handover covers at most ${MAX_HANDOVER_DAYS} days`);
    return this.reads.read((em) => this.compute(em, from, to, includeDrills));
  }

  /** The handover read with `em`, unchecked (a handover record freezes it inside its own transaction). */
  async compute(em: EntityManager, from: Date, to: Date, includeDrills: boolean): Promise<ShiftHandover> {
    const window = { from, to };
    const refunds = () => {
      const q = em.getRepository(RefundEntity).createQueryBuilder('r');
      if (!includeDrills) q.andWhere('r.drill = :drill', { drill: false });
      return q;
    };
    const paid = await refunds().andWhere('r.paid_at >= :from AND r.paid_at < :to', window).orderBy('r.paid_at', 'ASC').addOrderBy('r.id', 'ASC').getMany();
    const submitted = await refunds()
      .andWhere(
        (qb) =>
          `r.id IN ${qb
            .subQuery()
            .select('s.refund_id')
            .from('refund_steps', 's')
            .where('s.step = :entry AND s.pending_since >= :from AND s.pending_since < :to')
            .getQuery()}`,
      )
      .setParameters({ entry: REPORT_STEPS.financeEntry, ...window })
      .orderBy('r.requested_at', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
    const returnRows = await refunds()
      .innerJoin('refund_transitions', 't', 't.refund_id = r.id')
      .select(['t.refund_id AS refund_id', 'r.refund_no AS refund_no', 't.step AS step', 't.comment AS reason', 't.at AS at', 't.actor AS actor'])
      .andWhere('t.to_status = :returned AND t.at >= :from AND t.at < :to', { returned: 'RETURNED', ...window })
      .orderBy('t.at', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .getRawMany();
    const returns: HandoverReturn[] = returnRows.map((t) => ({
      refundId: Number(t.refund_id),
      refundNo: String(t.refund_no),
      step: t.step ?? null,
      reason: t.reason ?? null,
      returnedAt: rawDate(t.at)!,
      returnedBy: String(t.actor),
    }));
    const returnedIds = [...new Set(returns.map((t) => t.refundId))];
    const returned = returnedIds.length ? await em.getRepository(RefundEntity).findBy({ id: In(returnedIds) }) : [];
    const open = await this.openIncidents(em, to, includeDrills);
    const inProgress = await refunds()
      .andWhere('r.status IN (:...live)', { live: UNFINISHED_REFUND_STATUSES })
      .andWhere('r.requested_at < :to', { to })
      .orderBy('r.id', 'ASC')
      .getMany();
    const { catalog } = this.rules.current().engine.pack;
    const [paidViews, submittedViews, returnedViews, inProgressViews] = await Promise.all(
      [paid, submitted, returnedIds.map((id) => returned.find((r) => r.id === id)!), inProgress].map((list) => this.refunds.withSteps(list, em)),
    );
    return {
      from,
      to,
      paid: paidViews,
      paidTotalFen: paid.reduce((sum, r) => sum + r.amountFen, 0n),
      submittedToFinance: submittedViews,
      returnedByFinance: returnedViews,
      returns,
      openIncidents: open,
      tasks: handoverTasks(open, inProgressViews, catalog, this.clock.now(), await this.remediesInProgress(em, to, includeDrills)),
    };
  }

  /** Remedies in progress started before the end of the window, with their steps, oldest first. */
  private async remediesInProgress(em: EntityManager, to: Date, includeDrills: boolean): Promise<RemedyView[]> {
    const q = em.getRepository(RemedyEntity).createQueryBuilder('r').where('r.status = :s AND r.started_at < :to', { s: 'IN_PROGRESS', to });
    if (!includeDrills) q.andWhere('r.drill = :drill', { drill: false });
    const rows = await q.orderBy('r.id', 'ASC').getMany();
    if (!rows.length) return [];
    const steps = await em.getRepository(RemedyStepEntity).find({ where: { remedyId: In(rows.map((r) => r.id)) }, order: { position: 'ASC' } });
    return rows.map((entity) => ({ entity, steps: steps.filter((st) => st.remedyId === entity.id) }));
  }

  /** Incidents reported before the end of the window and not RESOLVED or CLOSED, oldest first. */
  private async openIncidents(em: EntityManager, to: Date, includeDrills: boolean): Promise<IncidentView[]> {
    const q = em
      .getRepository(IncidentEntity)
      .createQueryBuilder('i')
      .where('i.status IN (:...open) AND i.reported_at < :to', { open: OPEN_INCIDENT_STATUSES, to });
    if (!includeDrills) q.andWhere('i.drill = :drill', { drill: false });
    return this.incidents.withActions(await q.orderBy('i.reported_at', 'ASC').addOrderBy('i.id', 'ASC').getMany(), em);
  }
}
