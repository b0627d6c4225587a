import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Logger } from 'pino';
import type { Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { parseId } from '../common/cursor';
import { AppError, badInput, conflict, notFound } from '../common/errors';
import { isUniqueViolation } from '../database/errors';
import type { IncidentService } from '../incidents/incident.service';
import type { RuleSetService } from '../rulesets/rule-set.service';
import type { DrillScenario, DrillStep } from '../rules/types';
import { DrillRunEntity, DrillRunStepEntity } from './drill-run.entity';

/** The source of every drill incident; its externalRef is `drill-<run>-<step>`, so an injection replayed is the same incident. */
export const DRILL_SOURCE = 'drill';

/** Who injects a drill's steps (the history names it). */
export const DRILL_ACTOR: Actor = { keyId: 0, name: 'system:drill', roles: new Set(['ADMIN']), source: null };

const MINUTE = 60_000;
const LIVE = ['SCHEDULED', 'RUNNING'];

/**
 * Drills (预案演练): scenarios of the active pack scheduled as runs, their steps injected as drill
 * incidents by the escalation scheduler's pass (`injectDue`), aborted by a lead. Every injection
 * goes through the incident service as a real report or amendment would, with `drill: true` and
 * source `drill`: the live rules decide what the team must do.
 */
export class DrillRunService {
  constructor(
    private readonly ds: DataSource,
    private readonly rules: RuleSetService,
    private readonly incidents: IncidentService,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** The active pack's scenarios. */
  scenarios(): DrillScenario[] {
    return this.rules.current().engine.pack.drills ?? [];
  }

  /** Schedules `scenarioCode` for `startsAt` (now when absent; then its first steps are injected at once). */
  async schedule(actor: Actor, scenarioCode: string, startsAt: Date | null | undefined): Promise<DrillRunEntity> {
    const scenario = this.scenarios().find((s) => s.code === scenarioCode);
    if (!scenario)
      throw badInput(
        'scenario',
        `unknown drill scenario ${scenarioCode}; the pack has: ${
          this.scenarios()
            .map((s) => s.code)
            .join(', ') || '(none)'
        }`,
      );
    const now = this.clock.now();
    const start = startsAt ?? now;
    if (start.getTime() < now.getTime() - MINUTE) throw badInput('startsAt', 'must not be in the past');
    const row: Omit<DrillRunEntity, 'id'> = {
      scenarioCode: scenario.code,
      scenarioLabel: scenario.label,
      procedure: scenario.procedure,
      scenario,
      ruleSetVersion: this.rules.current().version,
      status: 'SCHEDULED',
      startsAt: start,
      nextStepAt: new Date(start.getTime() + scenario.steps[0].offsetMinutes * MINUTE),
      scheduledBy: actor.name,
      scheduledAt: now,
      finishedAt: null,
      abortedBy: null,
      abortNote: null,
      improvements: null,
      signedBy: null,
      signedAt: null,
    };
    const inserted = await this.ds.getRepository(DrillRunEntity).insert(row as QueryDeepPartialEntity<DrillRunEntity>);
    const id = Number(inserted.identifiers[0].id);
    if (start.getTime() <= now.getTime()) await this.injectRun(id, now);
    return this.get(String(id));
  }

  /** Stops a run that has not finished: no further step is injected. Its incidents stay as they are. */
  async abort(actor: Actor, id: string, note: string | null): Promise<DrillRunEntity> {
    const run = await this.get(id);
    if (note !== null && note.length > 500) throw badInput('note', 'at most 500 characters');
    const res = await this.ds
      .createQueryBuilder()
      .update(DrillRunEntity)
      .set({
        status: 'ABORTED',
        nextStepAt: null,
        finishedAt: this.clock.now(),
        abortedBy: actor.name,
        abortNote: note,
      } as QueryDeepPartialEntity<DrillRunEntity>)
      .where('id = :id AND status IN (:...live)', { id: run.id, live: LIVE })
      .execute();
    if (!res.affected) throw conflict(`drill run ${id} is ${run.status}: only a SCHEDULED or RUNNING run can be aborted`, { field: 'id' });
    return this.get(id);
  }

  async get(id: string): Promise<DrillRunEntity> {
    const runId = parseId(id);
    const run = runId === null ? null : await this.ds.getRepository(DrillRunEntity).findOneBy({ id: runId });
    if (!run) throw notFound(`drill run ${id}`);
    return run;
  }

  /** Runs newest first, of one scenario when given. */
  async list(scenarioCode: string | null, limit: number): Promise<DrillRunEntity[]> {
    return this.ds.getRepository(DrillRunEntity).find({
      where: scenarioCode ? { scenarioCode } : {},
      order: { startsAt: 'DESC', id: 'DESC' },
      take: Math.min(Math.max(limit, 1), 100),
    });
  }

  async steps(runId: number): Promise<DrillRunStepEntity[]> {
    return this.ds.getRepository(DrillRunStepEntity).find({ where: { runId }, order: { dueAt: 'ASC', id: 'ASC' } });
  }

  /**
   * One step of the escalation pass: injects every step now due of every live run. Each step is
   * its own write (a report or an amendment, then its step row); a failure is logged and retried
   * at the next pass. Returns the number of steps injected.
   */
  async injectDue(now: Date): Promise<number> {
    const due = await this.ds
      .getRepository(DrillRunEntity)
      .createQueryBuilder('r')
      .select('r.id', 'id')
      .where('r.status IN (:...live) AND r.next_step_at IS NOT NULL AND r.next_step_at <= :now', { live: LIVE, now })
      .orderBy('r.next_step_at')
      .limit(50)
      .getRawMany<{ id: unknown }>();
    let injected = 0;
    for (const { id } of due) {
      try {
        injected += await this.injectRun(Number(id), now);
      } catch (e) {
        this.log.error({ err: e, drillRunId: Number(id) }, 'drill: a step could not be injected');
      }
    }
    return injected;
  }

  private async injectRun(runId: number, now: Date): Promise<number> {
    let injected = 0;
    const run = await this.ds.getRepository(DrillRunEntity).findOneBy({ id: runId });
    if (!run || !LIVE.includes(run.status)) return 0;
    const done = new Map((await this.steps(runId)).map((s) => [s.stepId, s]));
    for (const step of run.scenario.steps) {
      const dueAt = new Date(run.startsAt.getTime() + step.offsetMinutes * MINUTE);
      if (dueAt.getTime() > now.getTime()) break;
      if (done.has(step.id)) continue;
      // An abort meanwhile stops the run before its next step.
      const current = await this.ds.getRepository(DrillRunEntity).findOneBy({ id: runId });
      if (!current || !LIVE.includes(current.status)) return injected;
      const incidentId = await this.injectStep(run, step, done);
      const row: Omit<DrillRunStepEntity, 'id'> = { runId, stepId: step.id, kind: 'report' in step ? 'REPORT' : 'AMEND', dueAt, injectedAt: now, incidentId };
      try {
        await this.ds.getRepository(DrillRunStepEntity).insert(row as QueryDeepPartialEntity<DrillRunStepEntity>);
        injected++;
      } catch (e) {
        if (!isUniqueViolation(e)) throw e; // another instance injected it (the same incident: the report is idempotent)
      }
      done.set(step.id, { ...row, id: 0 });
    }
    const next = run.scenario.steps.find((s) => !done.has(s.id));
    const set: Partial<DrillRunEntity> = next
      ? { status: 'RUNNING', nextStepAt: new Date(run.startsAt.getTime() + next.offsetMinutes * MINUTE) }
      : { status: 'COMPLETED', nextStepAt: null, finishedAt: now };
    await this.ds
      .createQueryBuilder()
      .update(DrillRunEntity)
      .set(set as QueryDeepPartialEntity<DrillRunEntity>)
      .where('id = :id AND status IN (:...live)', { id: runId, live: LIVE })
      .execute();
    return injected;
  }

  private async injectStep(run: DrillRunEntity, step: DrillStep, done: Map<string, { incidentId: number }>): Promise<number> {
    if ('report' in step) {
      const { incident } = await this.incidents.report(DRILL_ACTOR, {
        ...(step.report as Record<string, unknown>),
        source: DRILL_SOURCE,
        externalRef: `drill-${run.id}-${step.id}`,
        drill: true,
      } as never);
      return incident.entity.id;
    }
    const { step: target, ...facts } = step.amend;
    const of = done.get(target);
    if (!of) throw new AppError('CONFLICT', `drill run ${run.id}: step ${step.id} amends ${target}, which was not injected`);
    await this.incidents.amendments.amend(DRILL_ACTOR, { ...facts, id: String(of.incidentId) } as never);
    return of.incidentId;
  }
}
