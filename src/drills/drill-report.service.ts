import { In, LessThan, type DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { badInput, conflict } from '../common/errors';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { BreachEntity } from '../escalation/breach.entity';
import { IncidentActionEntity } from '../incidents/incident-action.entity';
import { IncidentEntity } from '../incidents/incident.entity';
import { RefundEntity } from '../refunds/refund.entity';
import { RefundStepEntity } from '../refunds/refund-step.entity';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { DrillRunEntity } from './drill-run.entity';
import type { DrillRunService } from './drill-run.service';
import { DrillScoreItem, minutesBetween, onTimeRate, verdictOf } from './drill-score';

/** One incident a drill made, as the team handled it. */
export interface DrillIncidentScore {
  incidentId: number;
  stepId: string;
  severity: string;
  reportedAt: Date;
  minutesToAcknowledge: number | null;
  acknowledgeLate: boolean;
  minutesToResolve: number | null;
  resolveLate: boolean;
  /** Deadlines breached, and rungs of the ladder climbed. */
  breaches: number;
  escalations: number;
}

/** A run's 演练总结. */
export interface DrillReport {
  run: DrillRunEntity;
  asOf: Date;
  incidents: DrillIncidentScore[];
  items: DrillScoreItem[];
  onTimeRate: number | null;
  onTime: number;
  late: number;
  missed: number;
  pending: number;
  /** Earlier runs of the same scenario, newest first (at most 5), with their own rates. */
  previous: Array<{ run: DrillRunEntity; onTimeRate: number | null }>;
}

const MAX_IMPROVEMENTS = 5000;

/** Scores drill runs from what was recorded on their incidents (actions, acknowledgement, refunds, breaches). */
export class DrillReportService {
  constructor(
    private readonly ds: DataSource,
    private readonly runs: DrillRunService,
    private readonly rules: RuleSetService,
    private readonly clock: Clock,
  ) {}

  async report(id: string): Promise<DrillReport> {
    const run = await this.runs.get(id);
    const scored = await this.score(run);
    const earlier = await this.ds.getRepository(DrillRunEntity).find({
      where: { scenarioCode: run.scenarioCode, startsAt: LessThan(run.startsAt), status: In(['RUNNING', 'COMPLETED']) },
      order: { startsAt: 'DESC', id: 'DESC' },
      take: 5,
    });
    const previous = [];
    for (const r of earlier) previous.push({ run: r, onTimeRate: (await this.score(r)).onTimeRate });
    return { run, ...scored, previous };
  }

  /** The lead's 改进措施 and signature, once: the summary is then final. */
  async sign(actor: Actor, id: string, improvements: string): Promise<DrillReport> {
    const text = improvements.trim();
    if (!text) throw badInput('improvements', 'must not be empty');
    if (text.length > MAX_IMPROVEMENTS) throw badInput('improvements', `at most ${MAX_IMPROVEMENTS} characters`);
    const run = await this.runs.get(id);
    if (run.status === 'SCHEDULED') throw conflict(`drill run ${id} has not started: nothing to sum up`, { field: 'id' });
    const res = await this.ds
      .createQueryBuilder()
      .update(DrillRunEntity)
      .set({ improvements: text, signedBy: actor.name, signedAt: this.clock.now() } as QueryDeepPartialEntity<DrillRunEntity>)
      .where('id = :id AND signed_at IS NULL', { id: run.id })
      .execute();
    if (!res.affected) throw conflict(`the summary of drill run ${id} is already signed`, { field: 'id' });
    return this.report(id);
  }

  private async score(run: DrillRunEntity): Promise<Omit<DrillReport, 'run' | 'previous'>> {
    const asOf = this.clock.now();
    const steps = await this.runs.steps(run.id);
    const reportSteps = steps.filter((s) => s.kind === 'REPORT');
    const ids = reportSteps.map((s) => s.incidentId);
    const catalog = this.rules.current().engine.pack.catalog;
    if (ids.length === 0) return { asOf, incidents: [], items: [], onTimeRate: null, onTime: 0, late: 0, missed: 0, pending: 0 };
    const [incidents, actions, refunds, breaches] = await Promise.all([
      this.ds.getRepository(IncidentEntity).findBy({ id: In(ids) }),
      this.ds.getRepository(IncidentActionEntity).find({ where: { incidentId: In(ids) }, order: { incidentId: 'ASC', position: 'ASC', id: 'ASC' } }),
      this.ds.getRepository(RefundEntity).find({ where: { incidentId: In(ids) }, order: { id: 'ASC' } }),
      this.ds.getRepository(BreachEntity).findBy({ incidentId: In(ids) }),
    ]);
    const refundSteps = refunds.length
      ? await this.ds
          .getRepository(RefundStepEntity)
          .find({ where: { refundId: In(refunds.map((r) => r.id)) }, order: { refundId: 'ASC', attempt: 'ASC', position: 'ASC' } })
      : [];
    const refundById = new Map(refunds.map((r) => [r.id, r]));
    const items: DrillScoreItem[] = [];
    for (const a of actions) {
      items.push(
        verdictOf(
          {
            kind: 'ACTION',
            incidentId: a.incidentId,
            code: a.code,
            label: catalog.actions[a.code]?.label ?? a.code,
            dueAt: a.dueAt,
            doneAt: a.status === 'DONE' ? a.doneAt : null,
            doneBy: a.status === 'DONE' ? a.doneBy : null,
            waived: a.status === 'WAIVED' || a.status === 'WITHDRAWN',
          },
          asOf,
        ),
      );
    }
    for (const s of refundSteps) {
      if (!s.pendingSince && !s.decidedAt) continue; // never reached
      items.push(
        verdictOf(
          {
            kind: 'REFUND_STEP',
            incidentId: refundById.get(s.refundId)!.incidentId,
            code: s.step,
            label: catalog.refundSteps[s.step]?.label ?? s.step,
            dueAt: s.dueAt,
            doneAt: s.decidedAt,
            doneBy: s.actor,
            waived: false,
          },
          asOf,
        ),
      );
    }
    const scores: DrillIncidentScore[] = reportSteps.map((step) => {
      const i = incidents.find((x) => x.id === step.incidentId)!;
      const mine = breaches.filter((b) => b.incidentId === i.id);
      return {
        incidentId: i.id,
        stepId: step.stepId,
        severity: i.severity,
        reportedAt: i.reportedAt,
        minutesToAcknowledge: minutesBetween(i.reportedAt, i.acknowledgedAt),
        acknowledgeLate: lateAgainst(i.acknowledgeBy, i.acknowledgedAt, asOf),
        minutesToResolve: minutesBetween(i.reportedAt, i.resolvedAt),
        resolveLate: lateAgainst(i.resolveBy, i.resolvedAt, asOf),
        breaches: mine.length,
        escalations: mine.reduce((n, b) => n + b.level, 0),
      };
    });
    const count = (v: string) => items.filter((i) => i.verdict === v).length;
    return {
      asOf,
      incidents: scores,
      items,
      onTimeRate: onTimeRate(items),
      onTime: count('ON_TIME'),
      late: count('LATE'),
      missed: count('MISSED'),
      pending: count('PENDING'),
    };
  }
}

function lateAgainst(due: Date | null, done: Date | null, asOf: Date): boolean {
  if (!due) return false;
  return (done ?? asOf).getTime() > due.getTime();
}
