import type { Decision, DecisionFailure, FiredRule, Severity } from '../rules/types';

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

/** The decision as stored with the incident (dates as ISO strings in JSON). */
export interface StoredDecision {
  severity: Severity;
  ownerDepartment: string;
  notifyDepartments: string[];
  actions: Array<{ code: string; dueAt: string | null; retainUntil?: string | null }>;
  policeReportRequired: boolean;
  refundSteps: string[];
  acknowledgeBy: string | null;
  resolveBy: string | null;
  ruleSetVersion: string;
  firedRules: FiredRule[];
  /** Set when the rules failed and the pack's fallback decided (with what failed). */
  fallback?: true;
  failure?: DecisionFailure;
}

export function toStoredDecision(d: Decision): StoredDecision {
  const iso = (x: Date | null | undefined) => (x ? x.toISOString() : null);
  return {
    severity: d.severity,
    ownerDepartment: d.ownerDepartment,
    notifyDepartments: d.notifyDepartments,
    actions: d.actions.map((a) => ({ code: a.code, dueAt: iso(a.dueAt), retainUntil: iso(a.retainUntil) })),
    policeReportRequired: d.policeReportRequired,
    refundSteps: d.refundSteps,
    acknowledgeBy: iso(d.acknowledgeBy),
    resolveBy: iso(d.resolveBy),
    ruleSetVersion: d.ruleSetVersion,
    firedRules: d.firedRules,
    ...(d.fallback ? { fallback: true as const, failure: d.failure } : {}),
  };
}

export function fromStoredDecision(d: StoredDecision): Decision {
  const date = (x: string | null | undefined) => (x ? new Date(x) : null);
  return {
    ...d,
    actions: d.actions.map((a) => ({ code: a.code, dueAt: date(a.dueAt), retainUntil: date(a.retainUntil) })),
    acknowledgeBy: date(d.acknowledgeBy),
    resolveBy: date(d.resolveBy),
  };
}
