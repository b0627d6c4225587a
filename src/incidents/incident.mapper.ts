import type { Actor } from '../auth/actor';
import { canSeePhone, isStaff } from '../auth/actor';
import { maskPhone } from '../auth/phone-mask';
import type { Catalog, FiredRule } from '../rules/types';
import { FACTS } from '../rules/facts';
import type { IncidentView } from './incident.reader';
import type { DecisionGql, FiredRuleGql, IncidentGql, RequiredActionGql } from './incident.objects';
import type { IncidentActionEntity } from './incident-action.entity';
import { fromStoredDecision, StoredDecision } from './incident.types';
import { lateOf } from './action-lifecycle';
import type { ActionStatusGql } from './incident-lifecycle.objects';
import type { Decision, DecidedAction } from '../rules/types';
import type { IncidentStatusGql, SeverityGql } from '../graphql/enums';

/** A fired rule for GraphQL: reasons flattened so clients can select them. */
export function firedRuleGql(r: FiredRule): FiredRuleGql {
  return { name: r.name, stage: r.stage, event: r.event, facts: r.facts ?? null, reasonZh: r.reason?.zh ?? null, reasonEn: r.reason?.en ?? null };
}

/** An action as decided (a dry run, or an earlier decision of the incident): OPEN, as it was then. */
function decidedActionGql(a: DecidedAction, catalog: Catalog, now: Date): RequiredActionGql {
  return {
    code: a.code,
    dueAt: a.dueAt,
    done: false,
    status: 'OPEN' as ActionStatusGql,
    late: null,
    label: catalog.actions[a.code]?.label ?? null,
    retainUntil: a.retainUntil ?? null,
    overdue: !!a.dueAt && a.dueAt < now,
  };
}

function storedActionGql(a: IncidentActionEntity, catalog: Catalog, now: Date): RequiredActionGql {
  const open = a.status === 'OPEN';
  const settledAt = a.status === 'DONE' || a.status === 'WAIVED' ? a.doneAt : null;
  return {
    code: a.code,
    dueAt: a.dueAt,
    done: a.status === 'DONE',
    status: a.status as ActionStatusGql,
    label: catalog.actions[a.code]?.label ?? null,
    doneAt: a.doneAt,
    doneBy: a.doneBy,
    note: a.note,
    reason: a.reason,
    late: open ? lateOf(a.dueAt, null, now) : settledAt ? lateOf(a.dueAt, settledAt) : null,
    retainUntil: a.retainUntil,
    overdue: open && !!a.dueAt && a.dueAt < now,
    evidence: a.evidence ?? null,
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
  const hide = (text: string | null | undefined, word: string) =>
    text == null ? null : text.replace(new RegExp(`(?<!\\d)${Number(count)}(?!\\d)`, 'g'), word);
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
    remedies: d.remedies ?? [],
    acknowledgeBy: d.acknowledgeBy,
    resolveBy: d.resolveBy,
    ruleSetVersion: d.ruleSetVersion,
    firedRules: actor && !isStaff(actor) ? d.firedRules.map((r) => withoutSharedHistory(firedRuleGql(r))) : d.firedRules.map(firedRuleGql),
    decidedAt,
    fallback: d.fallback === true,
    facts: factsSeenBy(actor, d.facts ?? null),
    beyondCalendar: d.beyondCalendar ?? [],
    calendarNote: calendarNote(d.beyondCalendar, catalog),
  };
}

/** In words, when due times were counted past the holidays the calendar knows. */
export function calendarNote(beyond: string[] | undefined, catalog: Catalog): string | null {
  if (!beyond?.length) return null;
  const until = catalog.calendar.holidaysKnownUntil;
  return (
    `${beyond.join(', ')}: counted past ${until ?? 'the last date'} the holiday calendar covers, so a holiday after it is not known and counts as a working day ` +
    `(计算超出节假日日历已知范围${until ? `(至${until})` : ''},其后的节假日未计入)`
  );
}

/** A stored decision of the incident (its current one, or one of its history) for GraphQL, with when it was made. */
export function storedDecisionGql(
  stored: StoredDecision,
  decidedAt: Date,
  catalog: Catalog,
  now: Date,
  facts?: unknown,
  actions?: RequiredActionGql[],
  actor?: Actor,
): DecisionGql {
  const d = fromStoredDecision(stored);
  return { ...decisionGql(d, catalog, now, actions, decidedAt, actor), facts: factsSeenBy(actor, stored.facts ?? facts ?? null) };
}

/** The facts of a decision as the caller may see them: the repeat count, which counts other sources' incidents, only for staff. */
function factsSeenBy(actor: Actor | undefined, facts: unknown): unknown {
  if (!actor || isStaff(actor) || !facts || typeof facts !== 'object' || !('repeatIncidents30d' in facts)) return facts;
  const { repeatIncidents30d: _hidden, ...rest } = facts as Record<string, unknown>;
  return rest;
}

/** An incident for GraphQL, with the phone masked unless the actor may see it (注意保密). */
export function incidentGql(view: IncidentView, catalog: Catalog, actor: Actor, now: Date): IncidentGql {
  const e = view.entity;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the stored report JSON, read field by field below
  const r = e.report as Record<string, any>;
  const actions = view.actions.map((a) => storedActionGql(a, catalog, now));
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
    notifyDepartments: e.decision.notifyDepartments,
    actions,
    policeReportRequired: e.policeReportRequired,
    amount: e.amountFen,
    occurredAt: e.occurredAt,
    reportedAt: e.reportedAt,
    acknowledgeBy: e.acknowledgeBy,
    resolveBy: e.resolveBy,
    drill: e.drill,
    decision: storedDecisionGql(
      e.decision,
      e.decision.decidedAt ? new Date(e.decision.decidedAt) : e.reportedAt,
      catalog,
      now,
      factsOfReport(r),
      actions,
      actor,
    ),
    satisfactionScore: e.satisfactionScore,
    version: e.version,
    amendedAt: e.amendedAt,
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
    customer: customer ? { ...customer, phone: canSeePhone(actor) ? customer.phone : maskPhone(customer.phone) } : null,
    satisfactionComment: e.satisfactionComment,
    acknowledgedAt: e.acknowledgedAt,
    resolvedAt: e.resolvedAt,
    repeatIncidents30d: Number(r.repeatIncidents30d ?? 0),
  };
}

/** The rule facts of a stored report, as the decision at the report read them (the dynamic ones as stored with it). */
export function factsOfReport(r: object): Record<string, unknown> {
  return FACTS.ofStoredReport(r, { dynamic: true });
}
