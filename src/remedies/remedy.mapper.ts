import type { StepStatusGql } from '../graphql/enums';
import type { RemedyView } from './remedy.reader';
import type { RemedyTransitionEntity } from './remedy-transition.entity';
import type { RemedyGql, RemedyHistoryEntryGql, RemedyStatusGql } from './remedy.objects';

export function remedyGql(v: RemedyView): RemedyGql {
  const e = v.entity;
  return {
    id: String(e.id),
    incidentId: String(e.incidentId),
    kind: e.kind,
    status: e.status as RemedyStatusGql,
    currentStep: e.currentStep,
    steps: v.steps.map((s) => ({
      step: s.step,
      status: s.status as StepStatusGql,
      actor: s.actor,
      note: s.note,
      trackingNo: s.trackingNo,
      decidedAt: s.decidedAt,
      dueAt: s.dueAt,
      role: s.role,
      needsTrackingNo: s.needsTracking,
    })),
    orderNo: e.orderNo,
    items: e.items,
    startedBy: e.startedBy,
    startedAt: e.startedAt,
    completedAt: e.completedAt,
    version: e.version,
    cancelledAt: e.cancelledAt,
    cancelReason: e.cancelReason,
  };
}

export function remedyHistoryGql(t: RemedyTransitionEntity): RemedyHistoryEntryGql {
  return { at: t.at, actor: t.actor, kind: t.kind, fromStatus: t.fromStatus, toStatus: t.toStatus, step: t.step, note: t.note };
}
