import type { Actor } from '../auth/actor';
import { canSeePhone } from '../auth/actor';
import type { RefundStatusGql, StepStatusGql } from '../graphql/enums';
import { maskPhone } from '../auth/phone-mask';
import type { Catalog } from '../rules/types';
import type { RefundGql, RefundHistoryEntryGql, RefundStepGql } from './refund.objects';
import type { RefundView } from './refund.reader';
import { LIVE_REFUND_STATUSES } from './refund.state-machine';
import type { RefundStepEntity } from './refund-step.entity';
import type { RefundTransitionEntity } from './refund-transition.entity';

export function refundStepGql(s: RefundStepEntity, refundStatus: string, catalog: Catalog, now: Date): RefundStepGql {
  return {
    step: s.step,
    status: s.status as StepStatusGql,
    actor: s.actor,
    comment: s.comment,
    decidedAt: s.decidedAt,
    dueAt: s.dueAt,
    attempt: s.attempt,
    position: s.position,
    label: catalog.refundSteps[s.step]?.label ?? null,
    role: s.role,
    approval: s.approval,
    pendingSince: s.pendingSince,
    overdue: s.status === 'PENDING' && (LIVE_REFUND_STATUSES as readonly string[]).includes(refundStatus) && !!s.dueAt && s.dueAt < now,
    late: !!s.decidedAt && !!s.dueAt && s.decidedAt > s.dueAt,
    stepId: s.id,
  };
}

/** A refund for GraphQL, with the phone masked unless the actor may see it (注意保密). */
export function refundGql(view: RefundView, catalog: Catalog, actor: Actor, now: Date): RefundGql {
  const e = view.entity;
  const steps = view.steps.map((s) => refundStepGql(s, e.status, catalog, now));
  return {
    id: String(e.id),
    refundNo: e.refundNo,
    amount: e.amountFen,
    method: e.method,
    status: e.status as RefundStatusGql,
    currentStep: e.currentStep,
    steps,
    orderNo: e.orderNo,
    bank: e.bank,
    requestedBy: e.requestedBy,
    requestedAt: e.requestedAt,
    paidAt: e.paidAt,
    attempt: e.attempt,
    version: e.version,
    incidentId: String(e.incidentId),
    chain: e.chain,
    phone: canSeePhone(actor) ? e.phone : maskPhone(e.phone),
    purchasedAt: e.purchasedAt,
    faultDescription: e.faultDescription,
    customerOpinion: e.customerOpinion,
    completedAt: e.completedAt,
    returnedAt: e.returnedAt,
    returnReason: e.returnReason,
    cancelledAt: e.cancelledAt,
    cancelReason: e.cancelReason,
    drill: e.drill,
    category: e.category,
    ownerDepartment: e.ownerDepartment,
    ruleSetVersion: e.ruleSetVersion,
    overdue: steps.some((s) => s.overdue),
  };
}

export function refundHistoryGql(t: RefundTransitionEntity): RefundHistoryEntryGql {
  return {
    at: t.at,
    actor: t.actor,
    kind: t.kind,
    fromStatus: t.fromStatus,
    toStatus: t.toStatus,
    step: t.step,
    decision: t.decision,
    attempt: t.attempt,
    comment: t.comment,
  };
}
