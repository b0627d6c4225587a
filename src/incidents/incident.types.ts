import { assertWorkflow } from '../common/workflow-table';
import type { Decision, DecisionFailure, Duration, Facts, FiredRule, Severity } from '../rules/types';

export const INCIDENT_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'CLOSED'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * Status moves an incident may make. Checked at boot (every state reachable from OPEN, CLOSED
 * final); a move not listed is a CONFLICT. RESOLVED may be reopened when the customer comes back.
 */
export const INCIDENT_TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  OPEN: ['ACKNOWLEDGED', 'RESOLVED', 'CLOSED'],
  ACKNOWLEDGED: ['RESOLVED', 'CLOSED'],
  RESOLVED: ['CLOSED', 'OPEN'],
  CLOSED: [],
};

/** Called once at boot (IncidentService): a broken incident workflow table refuses to start. */
export function assertIncidentWorkflow(table: Record<IncidentStatus, readonly IncidentStatus[]> = INCIDENT_TRANSITIONS): void {
  assertWorkflow('incident', table, INCIDENT_STATUSES, 'OPEN', ['CLOSED']);
}

/** The decision as stored with the incident (dates as ISO strings in JSON). */
export interface StoredDecision {
  severity: Severity;
  ownerDepartment: string;
  notifyDepartments: string[];
  actions: Array<{ code: string; dueAt: string | null; retainUntil?: string | null; dueAfterResolution?: Duration }>;
  policeReportRequired: boolean;
  refundSteps: string[];
  /** Absent on decisions stored before remedies existed: none. */
  remedies?: string[];
  acknowledgeBy: string | null;
  resolveBy: string | null;
  ruleSetVersion: string;
  firedRules: FiredRule[];
  /** Set when the rules failed and the pack's fallback decided (with what failed). */
  fallback?: true;
  failure?: DecisionFailure;
  /** Due times counted past the calendar's known holidays (see Decision.beyondCalendar). */
  beyondCalendar?: string[];
  /** When it was made; absent on the decision at the report (then: reportedAt). */
  decidedAt?: string;
  /** The facts it was made on, in the decision history (the incident's report has the first one's). */
  facts?: Facts;
}

export function toStoredDecision(d: Decision, extra: { decidedAt?: Date; facts?: boolean } = {}): StoredDecision {
  const iso = (x: Date | null | undefined) => (x ? x.toISOString() : null);
  const stored: StoredDecision = {
    severity: d.severity,
    ownerDepartment: d.ownerDepartment,
    notifyDepartments: d.notifyDepartments,
    actions: d.actions.map((a) => {
      const out: StoredDecision['actions'][number] = { code: a.code, dueAt: iso(a.dueAt), retainUntil: iso(a.retainUntil) };
      if (a.dueAfterResolution) out.dueAfterResolution = a.dueAfterResolution;
      return out;
    }),
    policeReportRequired: d.policeReportRequired,
    refundSteps: d.refundSteps,
    remedies: d.remedies,
    acknowledgeBy: iso(d.acknowledgeBy),
    resolveBy: iso(d.resolveBy),
    ruleSetVersion: d.ruleSetVersion,
    firedRules: d.firedRules,
    ...(d.fallback ? { fallback: true as const, failure: d.failure } : {}),
  };
  if (d.beyondCalendar?.length) stored.beyondCalendar = d.beyondCalendar;
  if (extra.decidedAt) stored.decidedAt = extra.decidedAt.toISOString();
  if (extra.facts && d.facts) stored.facts = d.facts;
  return stored;
}

export function fromStoredDecision(d: StoredDecision): Decision {
  const date = (x: string | null | undefined) => (x ? new Date(x) : null);
  return {
    ...d,
    remedies: d.remedies ?? [],
    actions: d.actions.map((a) => ({
      code: a.code,
      dueAt: date(a.dueAt),
      retainUntil: date(a.retainUntil),
      ...(a.dueAfterResolution ? { dueAfterResolution: a.dueAfterResolution } : {}),
    })),
    acknowledgeBy: date(d.acknowledgeBy),
    resolveBy: date(d.resolveBy),
  };
}
