import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Actor } from '../auth/actor';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { RefundStepEntity } from './refund-step.entity';
import type { RefundTransitionEntity } from './refund-transition.entity';
import { type RefundHistoryKind, writeHistory } from '../history/history.writer';
import type { StepState, StepStatus } from './refund.state-machine';

/** The writes a request and a change of a refund share: its steps, their due times, its history. */

export type RefundTransition = Pick<RefundTransitionEntity, 'fromStatus' | 'toStatus' | 'step' | 'decision' | 'comment' | 'attempt'> & {
  kind: RefundHistoryKind;
};

/**
 * Due time of a step that becomes pending at `now`: its catalog time limit on the business
 * calendar, counted from now or, for a step with `dueFrom`, from when that step of the same
 * attempt became pending (one deadline for the whole phase).
 */
export function stepDueAt(
  rules: RuleSetService,
  step: string,
  now: Date,
  attempt: ReadonlyArray<{ step: string; pendingSince: Date | null }> = [],
): Date | null {
  const { engine } = rules.current();
  const def = engine.pack.catalog.refundSteps[step];
  if (!def?.due) return null;
  const phaseStart = def.dueFrom ? attempt.find((s) => s.step === def.dueFrom)?.pendingSince : null;
  return engine.calendar.addDuration(phaseStart ?? now, def.due);
}

export async function insertRefundSteps(em: EntityManager, rules: RuleSetService, refundId: number, steps: StepState[], now: Date): Promise<void> {
  await em.insert(
    RefundStepEntity,
    steps.map((s) => ({
      refundId,
      attempt: s.attempt,
      position: s.position,
      step: s.step,
      role: s.role,
      approval: s.approval,
      canReturn: s.canReturn,
      status: s.status,
      actor: null,
      signer: null,
      comment: null,
      decidedAt: null,
      pendingSince: s.status === 'PENDING' ? now : null,
      dueAt: s.status === 'PENDING' ? stepDueAt(rules, s.step, now) : null,
    })) as QueryDeepPartialEntity<RefundStepEntity>[],
  );
}

/** One row of the refund's history. */
export function recordRefundTransition(em: EntityManager, refundId: number, at: Date, actor: Actor, t: RefundTransition): Promise<void> {
  return writeHistory(em, {
    entity: 'REFUND',
    subjectId: refundId,
    at,
    actor: actor.name,
    kind: t.kind,
    fromStatus: t.fromStatus,
    toStatus: t.toStatus,
    step: t.step,
    note: t.comment,
    detail: { decision: t.decision, attempt: t.attempt },
  });
}

/** A step row as the state machine reads it. */
export function stepState(s: RefundStepEntity): StepState {
  return {
    attempt: s.attempt,
    position: s.position,
    step: s.step,
    role: s.role,
    approval: s.approval,
    canReturn: s.canReturn,
    status: s.status as StepStatus,
    actor: s.actor,
    signer: s.signer,
  };
}
