import type { Actor } from '../auth/actor';
import { canSeePhone, isStaff } from '../auth/actor';
import { maskPhone } from '../money/money';
import type { Catalog, FiredRule } from '../rules/types';
import type { IncidentView } from './incident.reader';
import type { DecisionGql, FiredRuleGql, IncidentGql, RequiredActionGql } from './incident.objects';
import type { IncidentActionEntity } from './incident-action.entity';
import { fromStoredDecision } from './incident.types';
import type { Decision, DecidedAction } from '../rules/types';
import type { IncidentStatusGql, SeverityGql } from '../graphql/enums';

/** A fired rule for GraphQL: reasons flattened so clients can select them. */
export function firedRuleGql(r: FiredRule): FiredRuleGql {
  return { name: r.name, stage: r.stage, event: r.event, facts: r.facts ?? null, reasonZh: r.reason?.zh ?? null, reasonEn: r.reason?.en ?? null };
}

function decidedActionGql(a: DecidedAction, catalog: Catalog, now: Date): RequiredActionGql {
  return { code: a.code, dueAt: a.dueAt, done: false, label: catalog.actions[a.code]?.label ?? null, retainUntil: a.retainUntil ?? null, overdue: !!a.dueAt && a.dueAt < now };
}

function storedActionGql(a: IncidentActionEntity, catalog: Catalog, now: Date): RequiredActionGql {
  return {
    code: a.code, dueAt: a.dueAt, done: a.done, label: catalog.actions[a.code]?.label ?? null, doneAt: a.doneAt, doneBy: a.doneBy, note: a.note,
    retainUntil: a.retainUntil, overdue: !a.done && !!a.dueAt && a.dueAt < now, evidence: a.evidence ?? null,
  };
}

/**
 * A fired rule as a caller that may not see the customer's whole history sees it (an
 * INTEGRATION key): the 30-day repeat count is decided over every source — it is the same
 * customer — but its value, which counts other sources' incidents, is left out of the facts and
 * shown in the reasons as "多" / "several".
 */
export function withoutSharedHistory(r: FiredRuleGql): FiredRuleGql {
  const facts = r.facts as Record<string, unknown> | null;
  if (!facts || !('repeatIncidents30d' in facts)) return r;
  const { repeatIncidents30d: count, ...rest } = facts;
  const hide = (text: string | null | undefined, word: string) => (text == null ? null : text.replace(new RegExp(`(?<!\\d)${Number(count)}(?!\\d)`, 'g'), word));
  return { ...r, facts: rest, reasonZh: hide(r.reasonZh, '多'), reasonEn: hide(r.reasonEn, 'several') };
}

/** A decision for GraphQL; `actions` overrides the decided ones with their live state; made at `decidedAt` (a dry run: now). With an `actor` that is not staff, the repeat count is hidden (withoutSharedHistory). */
export function decisionGql(d: Decision, catalog: Catalog, now: Date, actions?: RequiredActionGql[], decidedAt: Date = now, actor?: Actor): DecisionGql {
  return {
    severity: d.severity as SeverityGql,
    ownerDepartment: d.ownerDepartment,
    notifyDepartments: d.notifyDepartments,
    actions: actions ?? d.actions.map((a) => decidedActionGql(a, catalog, now)),
    policeReportRequired: d.policeReportRequired,
    refundSteps: d.refundSteps,
    acknowledgeBy: d.acknowledgeBy,
    resolveBy: d.resolveBy,
    ruleSetVersion: d.ruleSetVersion,
    firedRules: actor && !isStaff(actor) ? d.firedRules.map((r) => withoutSharedHistory(firedRuleGql(r))) : d.firedRules.map(firedRuleGql),
    decidedAt,
    fallback: d.fallback === true,
  };
}

/** An incident for GraphQL, with the phone masked unless the actor may see it (注意保密). */
export function incidentGql(view: IncidentView, catalog: Catalog, actor: Actor, now: Date): IncidentGql {
  const e = view.entity;
  const r = e.report as Record<string, any>;
  const actions = view.actions.map((a) => storedActionGql(a, catalog, now));
  const decision = fromStoredDecision(e.decision);
  const customer = r.customer as { id: string | null; name: string | null; phone: string | null; tier: string | null } | null;
  return {
    id: String(e.id),
    source: e.source,
    externalRef: e.externalRef,
    category: e.category,
    subtype: e.subtype,
    status: e.status as IncidentStatusGql,
    severity: e.severity as SeverityGql,
    ownerDepartment: e.ownerDepartment,
    notifyDepartments: decision.notifyDepartments,
    actions,
    policeReportRequired: e.policeReportRequired,
    amount: e.amountFen,
    occurredAt: e.occurredAt,
    reportedAt: e.reportedAt,
    acknowledgeBy: e.acknowledgeBy,
    resolveBy: e.resolveBy,
    drill: e.drill,
    decision: decisionGql(decision, catalog, now, actions, e.reportedAt, actor),
    satisfactionScore: e.satisfactionScore,
    version: e.version,
    propertyOwner: r.propertyOwner ?? null,
    injured: r.injured ?? null,
    outageMinutes: r.outageMinutes ?? null,
    escalating: r.escalating ?? null,
    mediaAttention: r.mediaAttention ?? null,
    legalThreat: r.legalThreat ?? null,
    channel: r.channel ?? null,
    location: r.location ?? null,
    orderNo: r.orderNo ?? null,
    description: r.description ?? null,
    customer: customer
      ? { ...customer, phone: canSeePhone(actor) ? customer.phone : maskPhone(customer.phone) }
      : null,
    satisfactionComment: e.satisfactionComment,
    acknowledgedAt: e.acknowledgedAt,
    resolvedAt: e.resolvedAt,
    repeatIncidents30d: Number(r.repeatIncidents30d ?? 0),
  };
}
