import { personOf, Role, StaffRef } from '../auth/actor';
import { AppError, badInput, conflict } from '../common/errors';
import { assertWorkflow } from '../common/workflow-table';

/**
 * The refund workflow of the policy as plain data and pure functions (no I/O), so the
 * service only reads, asks here, and writes.
 */
export const REFUND_STATUSES = ['IN_APPROVAL', 'RETURNED', 'PAID', 'COMPLETED', 'CANCELLED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export const STEP_STATUSES = ['WAITING', 'PENDING', 'APPROVED', 'RETURNED'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export type StepDecision = 'APPROVE' | 'RETURN';

export const INITIAL_STATUS: RefundStatus = 'IN_APPROVAL';
export const FINAL_STATUSES: readonly RefundStatus[] = ['COMPLETED', 'CANCELLED'];

/** Refunds whose pending step is still waiting on someone: only their steps can be overdue or breach. */
export const LIVE_REFUND_STATUSES = ['IN_APPROVAL', 'PAID'] as const satisfies readonly RefundStatus[];
/** The same, as an SQL list for statements that name it inline: `r.status IN (${LIVE_REFUND_STATUSES_SQL})`. */
export const LIVE_REFUND_STATUSES_SQL = LIVE_REFUND_STATUSES.map((s) => `'${s}'`).join(', ');
/** Refunds not yet finished (a RETURNED one waits on its requester to resubmit or cancel). */
export const UNFINISHED_REFUND_STATUSES: readonly RefundStatus[] = REFUND_STATUSES.filter((s) => !FINAL_STATUSES.includes(s));

/**
 * Status moves a refund may make; anything else is a CONFLICT. Approving a step that leads to
 * another one keeps the status (not a move). Cancelling is possible until the money has left
 * (PAID). Checked at boot by `assertRefundWorkflow`.
 */
export const REFUND_TRANSITIONS: Record<RefundStatus, readonly RefundStatus[]> = {
  IN_APPROVAL: ['RETURNED', 'PAID', 'COMPLETED', 'CANCELLED'],
  RETURNED: ['IN_APPROVAL', 'CANCELLED'],
  PAID: ['COMPLETED'],
  COMPLETED: [],
  CANCELLED: [],
};

/** Approving this step pays the refund out (status PAID, paidAt set). */
export const PAYOUT_STEP = 'PAYOUT';

/** Called once at boot: a broken workflow table refuses to start. */
export function assertRefundWorkflow(table: Record<RefundStatus, readonly RefundStatus[]> = REFUND_TRANSITIONS): void {
  assertWorkflow('refund', table, REFUND_STATUSES, INITIAL_STATUS, FINAL_STATUSES);
}

/**
 * Throws CONFLICT unless the table allows `from → to`. `stay`: the operation may also leave a
 * non-final status as it is (a step approved with more to come).
 */
export function assertMove(from: RefundStatus, to: RefundStatus, what: string, stay = false): void {
  if (stay && from === to && !FINAL_STATUSES.includes(from)) return;
  if (!REFUND_TRANSITIONS[from].includes(to)) {
    throw conflict(`cannot ${what} a refund that is ${from}; from ${from} it may go to ${REFUND_TRANSITIONS[from].join(', ') || 'nowhere (final)'}`, {
      status: from,
    });
  }
}

/** What a step row carries for the rules below (frozen from the catalog when the attempt began). */
export interface StepState {
  attempt: number;
  position: number;
  step: string;
  role: string;
  approval: boolean;
  canReturn: boolean;
  status: StepStatus;
  actor: string | null;
  /** The person who decided it (personOf); absent on steps decided before people were kept, then `key:<actor>`. */
  signer?: string | null;
}

/** The catalog's say on one step. */
export interface StepRule {
  role: string;
  approval: boolean;
  canReturn: boolean;
}

/** The steps of a new attempt: the first PENDING, the rest WAITING. */
export function freshSteps(chain: readonly string[], ruleOf: (step: string) => StepRule, attempt: number): StepState[] {
  return chain.map((step, position) => {
    const r = ruleOf(step);
    return { attempt, position, step, role: r.role, approval: r.approval, canReturn: r.canReturn, status: position === 0 ? 'PENDING' : 'WAITING', actor: null };
  });
}

export interface RefundState {
  status: RefundStatus;
  currentStep: string | null;
  attempt: number;
  requestedBy: string;
  /** The person who requested it (personOf); absent on old refunds, then `key:<requestedBy>`. */
  requesterPerson?: string | null;
}

export interface DecisionRequest {
  step: string;
  decision: StepDecision;
  comment: string | null;
}

/**
 * Why this actor may not take this decision now, or null when they may.
 * `steps` are all the refund's steps, every attempt. Order: state (CONFLICT), then who
 * (FORBIDDEN), then the form of the decision (BAD_USER_INPUT).
 */
export function refusal(
  refund: RefundState,
  steps: readonly StepState[],
  actor: { name: string; roles: ReadonlySet<Role>; staff?: StaffRef | null },
  req: DecisionRequest,
): AppError | null {
  const chain = steps.filter((s) => s.attempt === refund.attempt);
  if (!chain.some((s) => s.step === req.step)) {
    return badInput('input.step', `${req.step} is not a step of this refund; its steps are ${chain.map((s) => s.step).join(', ')}`, {
      allowed: chain.map((s) => s.step),
    });
  }
  const current = chain.find((s) => s.status === 'PENDING');
  if (!current || refund.currentStep === null) return conflict(`the refund is ${refund.status}: no step is waiting for a decision`, { status: refund.status });
  if (current.step !== req.step) return conflict(`the refund is at step ${current.step}, not ${req.step}`, { currentStep: current.step });
  if (!actor.roles.has(current.role as Role))
    return new AppError('FORBIDDEN', `step ${current.step} is decided by the role ${current.role}`, { role: current.role });
  if (current.approval) {
    // People, not keys: the same person through two integrations, or a key and a sign-in, is one person.
    const person = personOf(actor);
    if (person === (refund.requesterPerson ?? `key:${refund.requestedBy}`))
      return new AppError('FORBIDDEN', `${actor.name} requested this refund and may not sign its approval steps`);
    // One person, one approval step: the same step signed again in a later attempt is fine.
    const other = steps.find(
      (s) => s.approval && s.actor !== null && (s.signer ?? `key:${s.actor}`) === person && s.status !== 'PENDING' && s.step !== current.step,
    );
    if (other)
      return new AppError('FORBIDDEN', `${actor.name} already signed ${other.step} of this refund; one person signs at most one approval step`, {
        signedStep: other.step,
      });
  }
  if (req.decision === 'RETURN') {
    if (!current.canReturn) return badInput('input.decision', `step ${current.step} cannot return the request; only finance steps may`);
    if (!req.comment || !req.comment.trim()) return badInput('input.comment', 'a returned request needs the reason');
  }
  return null;
}

/** What a decision does: the refund's next status and step, and which step rows change. */
export interface DecisionOutcome {
  toStatus: RefundStatus;
  /** Position of the step decided (APPROVED or RETURNED). */
  decided: number;
  decidedStatus: StepStatus;
  /** Position of the step that becomes PENDING, if any. */
  next: number | null;
  currentStep: string | null;
  paid: boolean;
  completed: boolean;
}

/** The effect of an allowed decision on the current attempt's steps (in position order). */
export function outcomeOf(status: RefundStatus, attemptSteps: readonly StepState[], req: DecisionRequest): DecisionOutcome {
  const current = attemptSteps.find((s) => s.status === 'PENDING');
  if (!current) throw new Error('outcomeOf: no pending step');
  if (req.decision === 'RETURN') {
    return { toStatus: 'RETURNED', decided: current.position, decidedStatus: 'RETURNED', next: null, currentStep: null, paid: false, completed: false };
  }
  const next = attemptSteps.find((s) => s.position > current.position) ?? null;
  const paid = current.step === PAYOUT_STEP;
  const completed = next === null;
  return {
    toStatus: completed ? 'COMPLETED' : paid || status === 'PAID' ? 'PAID' : 'IN_APPROVAL',
    decided: current.position,
    decidedStatus: 'APPROVED',
    next: next?.position ?? null,
    currentStep: next?.step ?? null,
    paid,
    completed,
  };
}
