/**
 * The shapes of the rule pack (as admins write it in `rules/`) and of a decision.
 * Everything here is plain data: no I/O, no engine.
 */

import type { ConditionLanguage } from './condition-language';
import type { Facts } from './facts';

export const SEVERITIES = ['GENERAL', 'SERIOUS', 'URGENT', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * A span of time in the catalog. Exactly one key is set.
 * - immediate: at once; a required action due "immediately" is due the catalog's `immediately`
 *   after the report (5 minutes by default: nobody records the 119 call in the same second)
 * - minutes / hours: wall-clock time
 * - workingHours / workingDays: on the business calendar (a working day is the length of the
 *   working hours, so 3 working days = 27 working hours with 09:00–18:00)
 * - afterResolution: no clock; due once the incident is resolved (dueAt null)
 */
export interface Duration {
  immediate?: true;
  minutes?: number;
  hours?: number;
  workingHours?: number;
  workingDays?: number;
  afterResolution?: true;
}

export interface CatalogCategory {
  label: string;
  /** Subtype code → Chinese/English label. Empty when the category has none. */
  subtypes: Record<string, string>;
}

/**
 * Work elsewhere in Triage that fulfils a required action (see src/incidents/action-settlement.ts):
 * the catalog says which action each one settles, in the transaction of the work itself.
 */
export const SETTLING_WORK = ['REFUND_REQUESTED', 'REFUND_PAID', 'SATISFACTION_RECORDED', 'REMEDY_STARTED'] as const;
export type SettlingWork = (typeof SETTLING_WORK)[number];

/** What an action's due time counts from: the report (default) or the incident's resolution. */
export const DUE_FROM = ['REPORTED', 'RESOLVED'] as const;
export type DueFrom = (typeof DUE_FROM)[number];

export interface CatalogAction {
  label: string;
  due: Duration;
  /** RESOLVED: no due time until the incident is resolved, then `due` from then (SATISFACTION_SURVEY). */
  dueFrom?: DueFrom;
  /** The work that settles it when it happens (REFUND: REFUND_PAID); it may still be completed by hand. */
  settledBy?: SettlingWork;
  /** How long evidence must be kept (PRESERVE_CCTV: 30 days). */
  retainDays?: number;
  /** Evidence `completeAction` must be given (POLICE_REPORT: the 报警回执 number). */
  evidence?: CatalogEvidenceField[];
}

/** One piece of evidence an action requires, as a key of completeAction's `evidence` JSON. */
export interface CatalogEvidenceField {
  /** camelCase key, e.g. receiptNo. */
  key: string;
  label: string;
  /** text (default), or date: a local date YYYY-MM-DD on the business calendar. */
  type?: 'text' | 'date';
  /** A date that must not fall before the action's retainUntil day (PRESERVE_CCTV: kept 30 days). */
  coversRetention?: boolean;
}

/** One level of the escalation ladder: who is told, and how long after the level before. */
export interface EscalationRung {
  department: string;
  /** From the breach for the first rung, from the previous escalation for the others. */
  after: Duration;
}

/** Deadlines that act: when to warn, whom to escalate to. */
export interface CatalogEscalation {
  /** Share of a clock's target at which `sla.warning` fires, above 0 and below 1 (default 0.8). */
  warnAt?: number;
  /** Escalation levels in order (default DEPARTMENT_MANAGER, SUPERVISING_LEADER, GENERAL_MANAGER). */
  ladder?: EscalationRung[];
}

export interface CatalogRefundStep {
  label: string;
  /** The role that may act on this step. */
  role: string;
  /** Approval steps are the ones a person signs (one person signs at most one of them). */
  approval: boolean;
  /** May this step return the request to customer service (财务退回)? */
  canReturn: boolean;
  /** In a drill this step moves no real money: a drill refund's step records SIMULATED (PAYOUT). */
  simulatedInDrills?: boolean;
  /** Time limit for this step, counted from when it became pending (or from `dueFrom`'s start). */
  due?: Duration;
  /**
   * A phase limit: `due` counts from when this earlier step of the same attempt became
   * pending, so the steps naming it share one deadline (finance, cashier to payout: 12 hours
   * in all). A chain without that step counts from this step's own start.
   */
  dueFrom?: string;
}

/** One step of an after-sales remedy kind (货物售后), in order. */
export interface CatalogRemedyStep {
  /** Step code, e.g. PICKUP_ARRANGED. */
  code: string;
  label: string;
  /** The role that may act on this step (LOGISTICS: 仓储物流部). */
  role: string;
  /** Time limit, counted from when the previous step was done (the first: from the start). */
  due: Duration;
  /** The step is done only with a tracking number (运单号). */
  trackingNo?: boolean;
}

/** An after-sales remedy kind (REPAIR 维修, REPLACE 更换, ...): its steps in order. */
export interface CatalogRemedyKind {
  label: string;
  steps: CatalogRemedyStep[];
}

export interface BusinessCalendarConfig {
  timeZone: string;
  /** "HH:mm" local time. */
  workingHours: { start: string; end: string };
  /** ISO weekday numbers off work: 6 = Saturday, 7 = Sunday. */
  weekend: number[];
  /** Local dates (YYYY-MM-DD) that are holidays. */
  holidays: string[];
  /** Local dates (YYYY-MM-DD) on a weekend that are working days (调休). */
  workdays: string[];
  /**
   * The last local date the holiday and 调休 lists are known for (YYYY-MM-DD). Past it, days
   * count as working or not by the weekend alone: a due time counted past it says so.
   */
  holidaysKnownUntil?: string;
}

export interface Catalog {
  /** Optional human label of the pack version, e.g. "2026.11 default policy". */
  label?: string;
  categories: Record<string, CatalogCategory>;
  /** Routing targets and escalation levels, code → label. */
  departments: Record<string, string>;
  /** The owner when no rule names one. */
  defaultOwner: string;
  actions: Record<string, CatalogAction>;
  refundSteps: Record<string, CatalogRefundStep>;
  refundMethods: Record<string, string>;
  /** The chain a refund follows when no rule decides one. */
  defaultRefundChain: string[];
  /** Allowed values of enumerated string facts, e.g. propertyOwner: [COMPANY, CUSTOMER]. */
  factValues: Record<string, string[]>;
  calendar: BusinessCalendarConfig;
  /** Per severity: acknowledge and resolve deadlines counted from the report. */
  deadlines: Record<Severity, { acknowledge: Duration; resolve: Duration }>;
  roles: Record<string, string>;
  /** Warnings and the escalation ladder; defaults apply when absent. */
  escalation?: CatalogEscalation;
  /** The decision a report gets when deciding it fails (an error in the pack). */
  fallback: CatalogFallback;
  /** When a required action due `{ "immediate": true }` is due after the report (default 5 minutes). */
  immediately?: Duration;
  /** The shift handover (工作交接单); defaults apply when absent. */
  shiftHandover?: CatalogShiftHandover;
  /** After-sales remedy kinds, code → steps; none when absent. */
  remedyKinds?: Record<string, CatalogRemedyKind>;
  /** The procedures drills exercise (预案演练), code → label and how often each is due a drill. */
  drillProcedures?: Record<string, { label: string; drillEvery?: { months: number } }>;
}

/**
 * What a report is decided as when the rules throw on it: it is stored all the same, with this
 * decision and `Decision.fallback`. Actions are due as the catalog says.
 */
export interface CatalogFallback {
  severity: Severity;
  ownerDepartment: string;
  notifyDepartments: string[];
  actions: string[];
}

/** How long the incoming person has to acknowledge a handover before the CS_LEAD on duty is warned (default 30 minutes). */
export interface CatalogShiftHandover {
  acknowledgeWithin?: Duration;
}

/** The events a rule may emit, and what each one does to the decision. */
export type RuleEvent =
  | { type: 'severity'; params: { level: Severity } }
  | { type: 'escalate'; params: { levels: number } }
  | { type: 'owner'; params: { department: string; rank?: number } }
  | { type: 'notify'; params: { departments: string[] } }
  | { type: 'action'; params: { code: string; due?: Duration } }
  | { type: 'refundChain'; params: { steps: string[]; rank?: number } }
  | { type: 'insertRefundStep'; params: { step: string; after: string } }
  | { type: 'remedies'; params: { kinds: string[]; rank?: number } };

export type RuleEventType = RuleEvent['type'];

/** One rule as written in a rule file: json-rules-engine conditions plus our metadata. */
export interface RuleDefinition {
  name: string;
  /** Stage 1 reads report facts; stage N > 1 may also read what stages < N decided. */
  stage: number;
  description?: string;
  /** Reason templates rendered into the decision: "{{amount}}" is replaced by the fact. */
  reason?: { zh?: string; en?: string };
  /** json-rules-engine TopLevelCondition ({ all | any | not | condition }). */
  conditions: Record<string, unknown>;
  event: RuleEvent;
}

export interface RuleFile {
  $schema?: string;
  description?: string;
  rules: RuleDefinition[];
}

/** A loaded, checked pack. */
export interface RulePack {
  catalog: Catalog;
  /** Rules in file order (files sorted by name), with the file each came from. */
  rules: Array<RuleDefinition & { file: string }>;
  /** sha256 of the canonical pack content, hex. */
  checksum: string;
  /** `label@checksum[0..12]` or `checksum[0..12]`. */
  version: string;
  /** The files exactly as read, path relative to the pack directory → content. */
  files: Record<string, string>;
  /** The condition language the pack was checked in (json-rules-engine's built-ins when absent). */
  language?: ConditionLanguage;
  /** Drill scenarios (`drills/*.json`), by file name order; none when the pack has no drills. */
  drills?: DrillScenario[];
}

/** One step of a drill scenario, injected `offsetMinutes` after the drill starts. */
export type DrillStep =
  | { id: string; offsetMinutes: number; report: Record<string, unknown> }
  | { id: string; offsetMinutes: number; amend: { step: string; note: string } & Record<string, unknown> };

/**
 * A drill scenario (预案演练脚本): a timeline of reports and amendments. What the team must do
 * and by when is never written here: it comes from the live rules when the drill runs.
 */
export interface DrillScenario {
  code: string;
  label: string;
  procedure: string;
  description?: string;
  steps: DrillStep[];
  file: string;
}

// The facts a rule may read are declared once, in facts.ts.
export type { Facts } from './facts';
export { COMPUTED_FACTS, DECIDED_FACTS, REPORT_FACTS } from './facts';

export interface DecidedAction {
  code: string;
  /** null for afterResolution actions and actions counted from the resolution. */
  dueAt: Date | null;
  retainUntil?: Date | null;
  /** For an action counted from the resolution: its span, counted once the incident is resolved. */
  dueAfterResolution?: Duration;
}

export interface FiredRule {
  name: string;
  stage: number;
  event: RuleEvent;
  /** Rendered reason, when the rule has a template. */
  reason?: { zh?: string; en?: string };
  /** The facts the rule's conditions read, with their values at evaluation. */
  facts: Record<string, unknown>;
}

export interface Decision {
  severity: Severity;
  ownerDepartment: string;
  notifyDepartments: string[];
  actions: DecidedAction[];
  policeReportRequired: boolean;
  refundSteps: string[];
  /** The remedy kinds the rules allow, preferred first; empty when none applies. */
  remedies: string[];
  acknowledgeBy: Date | null;
  resolveBy: Date | null;
  ruleSetVersion: string;
  firedRules: FiredRule[];
  /** The facts the decision was made on, computed ones included (repeatIncidents30d). */
  facts?: Facts;
  /** Set when the rules failed on the report and the catalog's fallback decided it. */
  fallback?: true;
  /** Why the rules failed, with a fallback decision: the rule that threw (null when none could be named) and the error. */
  failure?: DecisionFailure;
  /**
   * Due times counted past the last date the holiday calendar covers (`holidaysKnownUntil`):
   * action codes, and `acknowledgeBy` / `resolveBy`. Absent when none.
   */
  beyondCalendar?: string[];
}

/** A rule that threw while deciding. */
export interface DecisionFailure {
  rule: string | null;
  file: string | null;
  message: string;
}
