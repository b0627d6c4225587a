/**
 * The remedy workflow (货物售后): pure transitions, no I/O. A remedy is IN_PROGRESS from its
 * start, one step PENDING at a time, in order; doing the last step COMPLETES it; it may be
 * CANCELLED with a reason while in progress. COMPLETED and CANCELLED are final.
 */
import { AppError, badInput, conflict, forbidden } from '../common/errors';
import { assertWorkflow } from '../common/workflow-table';

export const REMEDY_STATUSES = ['IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
export type RemedyStatus = (typeof REMEDY_STATUSES)[number];

/** The moves the workflow allows, checked at boot (`assertRemedyWorkflow`). */
export const REMEDY_TRANSITIONS: Readonly<Record<RemedyStatus, readonly RemedyStatus[]>> = {
  IN_PROGRESS: ['IN_PROGRESS', 'COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};

export type RemedyStepStatus = 'WAITING' | 'PENDING' | 'APPROVED';

export interface RemedyStepState {
  position: number;
  step: string;
  role: string;
  needsTracking: boolean;
  status: RemedyStepStatus;
}

export interface AdvanceRequest {
  step: string;
  trackingNo: string | null;
}

/** Every status reaches a final one, and final ones go nowhere: a broken table fails at boot. */
export function assertRemedyWorkflow(table: Readonly<Record<RemedyStatus, readonly RemedyStatus[]>> = REMEDY_TRANSITIONS): void {
  assertWorkflow('remedy', table, REMEDY_STATUSES, 'IN_PROGRESS', ['COMPLETED', 'CANCELLED']);
}

/** CONFLICT unless the workflow allows `from` → `to`. */
export function assertRemedyMove(from: RemedyStatus, to: RemedyStatus, what: string): void {
  if (!REMEDY_TRANSITIONS[from].includes(to)) throw conflict(`cannot ${what} a remedy that is ${from}`, { status: from });
}

/** The steps as they are at the start: the first PENDING, the rest WAITING. */
export function freshRemedySteps<T extends Omit<RemedyStepState, 'status' | 'position'>>(
  steps: readonly T[],
): Array<T & { position: number; status: RemedyStepStatus }> {
  return steps.map((s, i) => ({ ...s, position: i + 1, status: i === 0 ? 'PENDING' : 'WAITING' }));
}

/**
 * Why the actor may not do `req` on this remedy now, or null when they may: the remedy must be
 * in progress, `step` its current step (a stale view is a CONFLICT), the caller must hold the
 * step's role, and a step that needs a tracking number must be given one.
 */
export function advanceRefusal(
  status: RemedyStatus,
  currentStep: string | null,
  steps: readonly RemedyStepState[],
  roles: ReadonlySet<string>,
  req: AdvanceRequest,
): AppError | null {
  if (status !== 'IN_PROGRESS') return conflict(`the remedy is ${status}; no step is waiting`, { status });
  if (req.step !== currentStep) return conflict(`the remedy's current step is ${currentStep}, not ${req.step}`, { field: 'input.step', currentStep });
  const pending = steps.find((s) => s.status === 'PENDING' && s.step === currentStep);
  if (!pending) return conflict(`step ${req.step} is not pending`, { field: 'input.step', currentStep });
  if (!roles.has(pending.role)) return forbidden(`step ${pending.step} is done by ${pending.role}`);
  if (pending.needsTracking && !req.trackingNo) return badInput('input.trackingNo', `step ${pending.step} needs the tracking number (运单号)`);
  return null;
}

/** What doing the pending step leads to: the next step made PENDING, or the remedy COMPLETED. */
export function advanceOutcome(steps: readonly RemedyStepState[]): { done: number; next: RemedyStepState | null; toStatus: RemedyStatus } {
  const ordered = [...steps].sort((a, b) => a.position - b.position);
  const at = ordered.findIndex((s) => s.status === 'PENDING');
  if (at === -1) throw new Error('a remedy in progress has a pending step');
  const next = ordered[at + 1] ?? null;
  return { done: ordered[at].position, next, toStatus: next ? 'IN_PROGRESS' : 'COMPLETED' };
}
