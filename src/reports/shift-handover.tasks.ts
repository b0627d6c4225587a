import type { IncidentView } from '../incidents/incident.reader';
import type { RefundView } from '../refunds/refund.reader';
import type { RemedyView } from '../remedies/remedy.reader';
import type { Catalog } from '../rules/types';
import { LIVE_REFUND_STATUSES } from '../refunds/refund.state-machine';

/**
 * What the next shift must do (工作交接单), from the open incidents and the refunds still in
 * progress. Pure: the caller reads them and passes the time.
 */
export const TASK_KINDS = ['ACKNOWLEDGE', 'ACTION', 'REFUND_STEP', 'RESUBMIT_OR_CANCEL', 'REMEDY_STEP', 'RESOLVE'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface HandoverTask {
  kind: TaskKind;
  incidentId: number;
  refundId: number | null;
  refundNo: string | null;
  /** ACKNOWLEDGE, RESOLVE, an action code, or a refund step. */
  code: string;
  /** The catalog label (中文) of the action or step. */
  label: string | null;
  /** Who must act: the step's role for refunds; customer service for the rest. */
  role: string | null;
  dueAt: Date | null;
  overdue: boolean;
  /** For a returned refund: finance's reason; for a remedy step: the remedy, as `KIND #id`. */
  note: string | null;
}

/**
 * One task per open duty: acknowledging an OPEN incident, each of its actions not done that
 * has a due time (actions due only after resolution wait), resolving it, each refund's
 * pending step, each returned refund that customer service must resubmit or cancel, and each
 * pending step of a remedy in progress (货物售后, `remedies`).
 * Ordered by due time (none last), then incident, then kind.
 */
export function handoverTasks(
  incidents: readonly IncidentView[],
  refunds: readonly RefundView[],
  catalog: Catalog,
  now: Date,
  remedies: readonly RemedyView[] = [],
): HandoverTask[] {
  const tasks: HandoverTask[] = [];
  const task = (t: Omit<HandoverTask, 'overdue' | 'refundId' | 'refundNo' | 'note' | 'role'> & Partial<HandoverTask>): void => {
    tasks.push({ refundId: null, refundNo: null, note: null, role: 'CUSTOMER_SERVICE', ...t, overdue: !!t.dueAt && t.dueAt < now });
  };
  for (const { entity: i, actions } of incidents) {
    if (i.status === 'OPEN') task({ kind: 'ACKNOWLEDGE', incidentId: i.id, code: 'ACKNOWLEDGE', label: '确认受理', dueAt: i.acknowledgeBy });
    for (const a of actions) {
      if (!a.done && a.dueAt)
        task({ kind: 'ACTION', incidentId: i.id, code: a.code, label: catalog.actions[a.code]?.label ?? null, dueAt: a.dueAt, role: i.ownerDepartment });
    }
    task({ kind: 'RESOLVE', incidentId: i.id, code: 'RESOLVE', label: '处理完毕', dueAt: i.resolveBy, role: i.ownerDepartment });
  }
  for (const { entity: r, steps } of refunds) {
    const refund = { incidentId: r.incidentId, refundId: r.id, refundNo: r.refundNo };
    if ((LIVE_REFUND_STATUSES as readonly string[]).includes(r.status)) {
      const pending = steps.find((s) => s.attempt === r.attempt && s.status === 'PENDING');
      if (pending)
        task({
          ...refund,
          kind: 'REFUND_STEP',
          code: pending.step,
          label: catalog.refundSteps[pending.step]?.label ?? null,
          role: pending.role,
          dueAt: pending.dueAt,
        });
    } else if (r.status === 'RETURNED') {
      const returned = steps.find((s) => s.attempt === r.attempt && s.status === 'RETURNED');
      task({ ...refund, kind: 'RESUBMIT_OR_CANCEL', code: returned?.step ?? 'RETURNED', label: '财务退回:重新提交或取消', dueAt: null, note: r.returnReason });
    }
  }
  for (const { entity: r, steps } of remedies) {
    const pending = r.status === 'IN_PROGRESS' ? steps.find((s) => s.status === 'PENDING') : undefined;
    if (!pending) continue;
    const label = catalog.remedyKinds?.[r.kind]?.steps.find((s) => s.code === pending.step)?.label ?? null;
    task({ kind: 'REMEDY_STEP', incidentId: r.incidentId, code: pending.step, label, role: pending.role, dueAt: pending.dueAt, note: `${r.kind} #${r.id}` });
  }
  const time = (t: HandoverTask) => t.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return tasks.sort(
    (a, b) =>
      time(a) - time(b) || a.incidentId - b.incidentId || TASK_KINDS.indexOf(a.kind) - TASK_KINDS.indexOf(b.kind) || (a.refundId ?? 0) - (b.refundId ?? 0),
  );
}
