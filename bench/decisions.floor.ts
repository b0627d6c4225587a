/**
 * The floor of the decisions bench: the shipped policy written by hand as one plain function
 * (severity, routing, required actions with due times and deadlines, refund chain), no rule
 * pack, no engine. What a decision costs when nothing is interpreted. The bench checks that it
 * decides exactly as the engine does on every input it measures (the policy fields; a
 * hand-written function has no fired rules to explain).
 *
 * It follows the shipped pack: "immediately" is 5 minutes after the report (the catalog's
 * `immediately`), the survey has no due time until the incident is resolved, and evidence is kept
 * 30 days from when the incident occurred (else the report).
 */
import type { BusinessCalendar } from '../src/calendar/business-calendar';
import type { DecisionInput } from '../src/rules/rule-engine';
import type { DecidedAction, Severity } from '../src/rules/types';

/** What the policy decides (the Decision without its explanation). */
export interface PolicyDecision {
  severity: Severity;
  ownerDepartment: string;
  notifyDepartments: string[];
  actions: DecidedAction[];
  policeReportRequired: boolean;
  refundSteps: string[];
  acknowledgeBy: Date | null;
  resolveBy: Date | null;
}

const SEVERITIES: Severity[] = ['GENERAL', 'SERIOUS', 'URGENT', 'CRITICAL'];
const GENERAL = 0;
const SERIOUS = 1;
const URGENT = 2;
const CRITICAL = 3;

/** Departments in the catalog's order, as bits. */
const DEPARTMENTS = [
  'CUSTOMER_SERVICE',
  'FINANCE',
  'TECH_SUPPORT',
  'AFTER_SALES',
  'QUALITY',
  'LOGISTICS',
  'LEGAL',
  'SALES',
  'IT',
  'FACILITIES',
  'SECURITY',
  'PUBLIC_RELATIONS',
  'ADMINISTRATION',
  'DEPARTMENT_MANAGER',
  'SUPERVISING_LEADER',
  'GENERAL_MANAGER',
];
const D = Object.fromEntries(DEPARTMENTS.map((d, i) => [d, 1 << i])) as Record<string, number>;

/** Actions in the catalog's order, as bits. */
const ACTIONS = [
  'POLICE_REPORT',
  'PROTECT_SCENE_AND_PHOTOGRAPH',
  'PRESERVE_CCTV',
  'MEDICAL_AID',
  'CALL_FIRE_SERVICE',
  'EVACUATE',
  'SECURE_VALUABLES',
  'INFORM_CUSTOMERS_OF_DELAY',
  'START_MANUAL_PROCESSING',
  'APOLOGIZE',
  'REFUND_REQUEST',
  'REFUND',
  'ARRANGE_REMEDY',
  'ACCOUNTABILITY_REVIEW',
  'WRITTEN_REPORT',
  'CARE_VISIT',
  'PUBLIC_STATEMENT',
  'ROOT_CAUSE_ANALYSIS',
  'SATISFACTION_SURVEY',
];
const A = Object.fromEntries(ACTIONS.map((a, i) => [a, 1 << i])) as Record<string, number>;

const MINUTE = 60_000;
const SURVEY_AFTER_RESOLUTION = { workingDays: 2 };
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FULL_CHAIN = ['CS_REVIEW', 'TECH_VERIFY', 'CASHIER_CHECK', 'ACCOUNTANT_REVIEW', 'FINANCE_DIRECTOR_APPROVAL', 'PAYOUT', 'CUSTOMER_NOTIFIED'];
const FINANCE_CHAIN = ['CASHIER_CHECK', 'ACCOUNTANT_REVIEW', 'FINANCE_DIRECTOR_APPROVAL', 'PAYOUT', 'CUSTOMER_NOTIFIED'];

/** The policy's decision for `input`, the customer having `repeats` incidents in the 30 days before. */
export function decideByHand(input: DecisionInput, repeats: number, calendar: BusinessCalendar): PolicyDecision {
  const { category, subtype } = input;
  const amount = input.amount ?? null;
  const overFive = amount !== null && amount > 5000;
  const injured = input.injured === true;
  let level = GENERAL;
  let owner = 'CUSTOMER_SERVICE';
  let notify = 0;
  let actions = 0;
  let chain: string[] = [];
  const raise = (to: number) => {
    if (to > level) level = to;
  };

  switch (category) {
    case 'PRODUCT_QUALITY':
      if (subtype === 'FUNCTION_FAILURE' || subtype === 'SERIOUS_DEFECT') raise(SERIOUS);
      owner = 'AFTER_SALES';
      notify |= D.TECH_SUPPORT | D.QUALITY;
      actions |= A.ARRANGE_REMEDY | A.SATISFACTION_SURVEY;
      chain = FINANCE_CHAIN;
      break;
    case 'SERVICE':
      actions |= A.APOLOGIZE | A.SATISFACTION_SURVEY;
      if (subtype === 'ATTITUDE') actions |= A.ACCOUNTABILITY_REVIEW;
      chain = FINANCE_CHAIN;
      break;
    case 'ORDER_ERROR':
      notify |= D.SALES;
      actions |= A.APOLOGIZE | A.ARRANGE_REMEDY | A.SATISFACTION_SURVEY;
      chain = FINANCE_CHAIN;
      break;
    case 'PAYMENT_FAULT':
      notify |= D.TECH_SUPPORT | D.FINANCE;
      actions |= A.REFUND_REQUEST | A.REFUND | A.SATISFACTION_SURVEY;
      chain = FULL_CHAIN;
      break;
    case 'LOGISTICS':
      if (subtype === 'LOST') {
        raise(SERIOUS);
        notify |= D.FINANCE;
      }
      if (subtype === 'DAMAGED' || subtype === 'TRANSPORT_ACCIDENT') raise(URGENT);
      if (subtype === 'DAMAGED' || subtype === 'LOST' || subtype === 'TRANSPORT_ACCIDENT') actions |= A.ARRANGE_REMEDY;
      owner = 'LOGISTICS';
      notify |= D.CUSTOMER_SERVICE;
      actions |= A.SATISFACTION_SURVEY;
      chain = FINANCE_CHAIN;
      break;
    case 'OVERCHARGE':
      raise(SERIOUS);
      owner = 'FINANCE';
      notify |= D.CUSTOMER_SERVICE | D.SALES | D.SUPERVISING_LEADER;
      actions |= A.APOLOGIZE | A.REFUND | A.ACCOUNTABILITY_REVIEW | A.SATISFACTION_SURVEY;
      chain = FINANCE_CHAIN;
      break;
    case 'AGITATED_CUSTOMER':
      raise(input.escalating === true ? URGENT : SERIOUS);
      actions |= A.APOLOGIZE | A.SATISFACTION_SURVEY;
      chain = FINANCE_CHAIN;
      break;
    case 'PROPERTY_LOSS':
      raise(overFive ? URGENT : SERIOUS);
      if (input.propertyOwner === 'COMPANY') owner = 'FINANCE';
      if (input.propertyOwner === 'COMPANY' || input.propertyOwner === 'CUSTOMER') notify |= D.DEPARTMENT_MANAGER;
      if (overFive) {
        notify |= D.SECURITY;
        actions |= A.POLICE_REPORT | A.PROTECT_SCENE_AND_PHOTOGRAPH;
      }
      actions |= A.PRESERVE_CCTV;
      break;
    case 'SYSTEM_FAILURE': {
      if (subtype === 'POWER_OUTAGE' || subtype === 'HOTLINE') raise(SERIOUS);
      const outage = input.outageMinutes;
      if (typeof outage === 'number' && outage > 30) {
        raise(SERIOUS);
        actions |= A.INFORM_CUSTOMERS_OF_DELAY;
      }
      if (subtype === 'COMPUTER' || subtype === 'NETWORK' || subtype === 'HOTLINE') {
        owner = 'IT';
        notify |= D.CUSTOMER_SERVICE;
      }
      if (subtype === 'POWER_OUTAGE') {
        owner = 'FACILITIES';
        notify |= D.CUSTOMER_SERVICE | D.DEPARTMENT_MANAGER;
        actions |= A.START_MANUAL_PROCESSING;
      }
      break;
    }
    case 'PERSONAL_SAFETY':
      raise(injured || subtype === 'ASSAULT' || subtype === 'UNLAWFUL_RESTRAINT' ? CRITICAL : URGENT);
      notify |= D.DEPARTMENT_MANAGER | D.SUPERVISING_LEADER;
      actions |= A.PRESERVE_CCTV | A.WRITTEN_REPORT;
      if (subtype === 'TRAFFIC_ACCIDENT' || subtype === 'ASSAULT' || subtype === 'UNLAWFUL_RESTRAINT') actions |= A.POLICE_REPORT;
      if (subtype === 'TRAFFIC_ACCIDENT' || subtype === 'ANIMAL_BITE' || subtype === 'WORK_INJURY') actions |= A.MEDICAL_AID;
      if (subtype === 'ASSAULT') actions |= A.SECURE_VALUABLES;
      if (injured) actions |= A.CARE_VISIT;
      break;
    case 'ONSITE_EMERGENCY':
      switch (subtype) {
        case 'FAMILY_DISTURBANCE':
          raise(SERIOUS);
          break;
        case 'TROUBLEMAKER':
          raise(SERIOUS);
          notify |= D.SECURITY;
          break;
        case 'ELECTRICAL_FAULT':
          raise(SERIOUS);
          notify |= D.FACILITIES;
          break;
        case 'CUSTOMER_ILLNESS':
          raise(URGENT);
          actions |= A.MEDICAL_AID;
          break;
        case 'CUSTOMER_DEATH':
          raise(CRITICAL);
          break;
        case 'FIRE':
          raise(CRITICAL);
          notify |= D.FACILITIES;
          actions |= A.CALL_FIRE_SERVICE | A.EVACUATE;
          break;
        case 'BOMB_OR_POISON_THREAT':
          raise(CRITICAL);
          notify |= D.SECURITY;
          actions |= A.POLICE_REPORT | A.EVACUATE;
          break;
        case 'FIGHT_THEFT_ROBBERY':
          raise(CRITICAL);
          notify |= D.SECURITY;
          actions |= A.POLICE_REPORT | A.PRESERVE_CCTV | A.SECURE_VALUABLES;
          break;
        default:
          break;
      }
      break;
    default:
      break;
  }
  if (injured) actions |= A.MEDICAL_AID;
  if (input.legalThreat === true) {
    raise(SERIOUS);
    notify |= D.LEGAL;
  }
  if (input.mediaAttention === true) {
    raise(URGENT);
    notify |= D.PUBLIC_RELATIONS | D.GENERAL_MANAGER;
    actions |= A.PUBLIC_STATEMENT;
  }
  if (repeats >= 3) level = Math.min(level + 1, CRITICAL);
  if (level >= URGENT) notify |= D.DEPARTMENT_MANAGER;
  if (level === CRITICAL) notify |= D.GENERAL_MANAGER;
  if (level >= SERIOUS) actions |= A.ROOT_CAUSE_ANALYSIS;
  notify &= ~D[owner];
  if (chain.length > 0 && amount !== null && amount > 50000) {
    chain = [...chain];
    chain.splice(chain.indexOf('FINANCE_DIRECTOR_APPROVAL') + 1, 0, 'PRESIDENT_APPROVAL');
  } else if (chain.length > 0) {
    chain = [...chain];
  }

  const at = input.reportedAt.getTime();
  const notifyDepartments: string[] = [];
  for (let i = 0; i < DEPARTMENTS.length; i++) if (notify & (1 << i)) notifyDepartments.push(DEPARTMENTS[i]);
  const decided: DecidedAction[] = [];
  for (let i = 0; i < ACTIONS.length; i++) {
    if (!(actions & (1 << i))) continue;
    const code = ACTIONS[i];
    const action: DecidedAction = { code, dueAt: dueOf(code, category, input.reportedAt, at, calendar) };
    if (code === 'SATISFACTION_SURVEY') action.dueAfterResolution = SURVEY_AFTER_RESOLUTION;
    if (code === 'PRESERVE_CCTV') action.retainUntil = new Date((input.occurredAt ?? input.reportedAt).getTime() + 30 * DAY);
    decided.push(action);
  }
  const [acknowledgeBy, resolveBy] = deadlines(level, input.reportedAt, at, calendar);
  return {
    severity: SEVERITIES[level],
    ownerDepartment: owner,
    notifyDepartments,
    actions: decided,
    policeReportRequired: (actions & A.POLICE_REPORT) !== 0,
    refundSteps: chain,
    acknowledgeBy,
    resolveBy,
  };
}

/** An action's due time: immediately (the report time), wall-clock spans, or working days. */
function dueOf(code: string, category: string, from: Date, at: number, calendar: BusinessCalendar): Date | null {
  switch (code) {
    case 'PRESERVE_CCTV':
    case 'APOLOGIZE':
      return new Date(at + HOUR);
    case 'INFORM_CUSTOMERS_OF_DELAY':
    case 'REFUND_REQUEST':
      return new Date(at + 10 * MINUTE);
    case 'ARRANGE_REMEDY':
      return calendar.addWorkingDays(from, 1);
    case 'PUBLIC_STATEMENT':
      return new Date(at + 4 * HOUR);
    case 'REFUND':
      return category === 'PAYMENT_FAULT' ? new Date(at + 24 * HOUR) : calendar.addWorkingDays(from, 3);
    case 'ACCOUNTABILITY_REVIEW':
    case 'ROOT_CAUSE_ANALYSIS':
      return calendar.addWorkingDays(from, 5);
    case 'WRITTEN_REPORT':
    case 'CARE_VISIT':
      return calendar.addWorkingDays(from, 1);
    case 'SATISFACTION_SURVEY':
      return null;
    default:
      return new Date(at + 5 * MINUTE); // immediately
  }
}

/** Acknowledge and resolve deadlines by severity. */
function deadlines(level: number, from: Date, at: number, calendar: BusinessCalendar): [Date, Date] {
  switch (level) {
    case CRITICAL:
      return [new Date(at + 5 * MINUTE), new Date(at + 4 * HOUR)];
    case URGENT:
      return [new Date(at + 15 * MINUTE), new Date(at + 24 * HOUR)];
    case SERIOUS:
      return [new Date(at + HOUR), calendar.addWorkingDays(from, 3)];
    default:
      return [calendar.addWorkingHours(from, 4), calendar.addWorkingDays(from, 5)];
  }
}
