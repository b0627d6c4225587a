/**
 * Meaning checks of the catalog: codes, durations, evidence, the escalation ladder and the
 * business calendar. Pure; every problem reported in one pass.
 */
import { pointerJoin, RuleProblem } from './rule-pack.errors';
import { SEVERITIES } from './types';
import { checkActionLifecycle } from './rule-pack.action-checks';
import { Add, codesOf, durationProblem, FACT_TYPES, isObject, keysOf, list, PackFile, STAGE_ONE_FACTS } from './rule-pack.check-helpers';

/** Meaning checks of catalog.json. */
export function checkCatalog({ file, data }: PackFile): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add = (pointer: string, message: string) => problems.push({ file, pointer, message });
  if (!isObject(data)) {
    add('', 'the catalog must be a JSON object');
    return problems;
  }
  const codes = codesOf(data);
  const roles = keysOf(data.roles);
  if (typeof data.defaultOwner === 'string' && !codes.departments.includes(data.defaultOwner)) {
    add('/defaultOwner', `unknown department "${data.defaultOwner}"; one of ${list(codes.departments)}`);
  }
  if (Array.isArray(data.defaultRefundChain)) {
    data.defaultRefundChain.forEach((step, i) => {
      if (typeof step === 'string' && !codes.refundSteps.includes(step)) {
        add(`/defaultRefundChain/${i}`, `unknown refund step "${step}"; one of ${list(codes.refundSteps)}`);
      }
    });
  }
  for (const [code, action] of Object.entries(isObject(data.actions) ? data.actions : {})) {
    if (!isObject(action)) continue;
    const problem = durationProblem(action.due);
    if (problem) add(pointerJoin('/actions', code, 'due'), problem);
    checkEvidence(action, pointerJoin('/actions', code, 'evidence'), add);
  }
  for (const [code, step] of Object.entries(isObject(data.refundSteps) ? data.refundSteps : {})) {
    if (!isObject(step)) continue;
    if (step.due !== undefined) {
      const problem = durationProblem(step.due);
      if (problem) add(pointerJoin('/refundSteps', code, 'due'), problem);
    }
    if (typeof step.role === 'string' && !roles.includes(step.role)) {
      add(pointerJoin('/refundSteps', code, 'role'), `unknown role "${step.role}"; one of ${list(roles)}`);
    }
    if (typeof step.dueFrom === 'string') {
      if (!codes.refundSteps.includes(step.dueFrom)) add(pointerJoin('/refundSteps', code, 'dueFrom'), `unknown refund step "${step.dueFrom}"; one of ${list(codes.refundSteps)}`);
      if (step.due === undefined) add(pointerJoin('/refundSteps', code, 'dueFrom'), 'a phase start needs a due time to count from it');
    }
  }
  checkRemedyKinds(data.remedyKinds, roles, add);
  const deadlines = isObject(data.deadlines) ? data.deadlines : {};
  for (const severity of SEVERITIES) {
    const d = deadlines[severity];
    if (!isObject(d)) continue;
    for (const which of ['acknowledge', 'resolve']) {
      const problem = durationProblem(d[which]);
      if (problem) add(`/deadlines/${severity}/${which}`, problem);
    }
  }
  for (const fact of Object.keys(isObject(data.factValues) ? data.factValues : {})) {
    if (FACT_TYPES[fact] !== 'string' || !STAGE_ONE_FACTS.includes(fact)) {
      add(pointerJoin('/factValues', fact), `"${fact}" is not a report fact with code values`);
    }
  }
  checkEscalation(data.escalation, codes.departments, add);
  checkFallback(data.fallback, codes.departments, codes.actions, add);
  if (isObject(data.shiftHandover) && data.shiftHandover.acknowledgeWithin !== undefined) {
    const within = data.shiftHandover.acknowledgeWithin;
    const problem = durationProblem(within);
    if (problem) add('/shiftHandover/acknowledgeWithin', problem);
    else if (isObject(within) && within.afterResolution === true) add('/shiftHandover/acknowledgeWithin', 'an acknowledgement waits for a time, not for resolution');
  }
  checkActionLifecycle(data, add);
  problems.push(...checkCalendar(file, data.calendar));
  return problems;
}

/** An action's evidence: keys unique; coversRetention only on a date, of an action that has retainDays. */
function checkEvidence(action: Record<string, unknown>, at: string, add: Add): void {
  if (!Array.isArray(action.evidence)) return;
  const seen = new Set<string>();
  action.evidence.forEach((field, i) => {
    if (!isObject(field)) return;
    if (typeof field.key === 'string') {
      if (seen.has(field.key)) add(`${at}/${i}/key`, `evidence key "${field.key}" is listed twice`);
      seen.add(field.key);
    }
    if (field.coversRetention === true) {
      if (field.type !== 'date') add(`${at}/${i}/coversRetention`, 'coversRetention needs "type": "date"');
      else if (action.retainDays === undefined) add(`${at}/${i}/coversRetention`, 'coversRetention needs the action to have retainDays');
    }
  });
}

/** The fallback decision names known departments and actions (the schema checks its shape and severity). */
function checkFallback(fallback: unknown, departments: string[], actions: string[], add: Add): void {
  if (!isObject(fallback)) return;
  if (typeof fallback.ownerDepartment === 'string' && !departments.includes(fallback.ownerDepartment)) {
    add('/fallback/ownerDepartment', `unknown department "${fallback.ownerDepartment}"; one of ${list(departments)}`);
  }
  const codes = (key: string, allowed: string[], what: string) => {
    const v = fallback[key];
    if (!Array.isArray(v)) return;
    v.forEach((code, i) => {
      if (typeof code === 'string' && !allowed.includes(code)) add(`/fallback/${key}/${i}`, `unknown ${what} "${code}"; one of ${list(allowed)}`);
    });
  };
  codes('notifyDepartments', departments, 'department');
  codes('actions', actions, 'action');
}

/** The escalation ladder names known departments, each once, with durations that are clocks. */
function checkEscalation(escalation: unknown, departments: string[], add: Add): void {
  if (!isObject(escalation) || !Array.isArray(escalation.ladder)) return;
  const seen = new Set<string>();
  escalation.ladder.forEach((rung, i) => {
    if (!isObject(rung)) return;
    const at = `/escalation/ladder/${i}`;
    if (typeof rung.department === 'string') {
      if (!departments.includes(rung.department)) add(`${at}/department`, `unknown department "${rung.department}"; one of ${list(departments)}`);
      else if (seen.has(rung.department)) add(`${at}/department`, `"${rung.department}" is already a level of the ladder`);
      seen.add(rung.department);
    }
    if (rung.after === undefined) return;
    const problem = durationProblem(rung.after);
    if (problem) add(`${at}/after`, problem);
    else if (isObject(rung.after) && rung.after.afterResolution === true) add(`${at}/after`, 'an escalation waits for a time, not for resolution');
  });
}

function checkCalendar(file: string, calendar: unknown): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (!isObject(calendar)) return problems;
  const add = (pointer: string, message: string) => problems.push({ file, pointer, message });
  if (typeof calendar.timeZone === 'string') {
    try {
      new Intl.DateTimeFormat('en', { timeZone: calendar.timeZone });
    } catch {
      add('/calendar/timeZone', `unknown time zone "${calendar.timeZone}"`);
    }
  }
  const hours = isObject(calendar.workingHours) ? calendar.workingHours : {};
  if (typeof hours.start === 'string' && typeof hours.end === 'string' && hours.start >= hours.end) {
    add('/calendar/workingHours', `working hours must end after they start (${hours.start}–${hours.end})`);
  }
  const weekend = Array.isArray(calendar.weekend) ? calendar.weekend : [];
  const dates = (key: 'holidays' | 'workdays') => (Array.isArray(calendar[key]) ? (calendar[key] as unknown[]) : []);
  const holidays = new Set(dates('holidays'));
  dates('holidays').forEach((d, i) => {
    if (typeof d === 'string' && isoWeekday(d) === null) add(`/calendar/holidays/${i}`, `"${d}" is not a date`);
  });
  dates('workdays').forEach((d, i) => {
    if (typeof d !== 'string') return;
    const weekday = isoWeekday(d);
    if (weekday === null) add(`/calendar/workdays/${i}`, `"${d}" is not a date`);
    else if (!weekend.includes(weekday)) add(`/calendar/workdays/${i}`, `${d} is not a weekend day; only weekend days can be made working days`);
    if (holidays.has(d)) add(`/calendar/workdays/${i}`, `${d} is also listed as a holiday`);
  });
  return problems;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a YYYY-MM-DD date, or null when it is not a real date. */
function isoWeekday(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return null;
  return d.getUTCDay() === 0 ? 7 : d.getUTCDay();
}


/** Remedy kinds: at least one step each, step codes unique within a kind, known roles, valid due times counted in time. */
function checkRemedyKinds(kinds: unknown, roles: string[], add: Add): void {
  for (const [kind, def] of Object.entries(isObject(kinds) ? kinds : {})) {
    if (!isObject(def)) continue;
    const at = pointerJoin('/remedyKinds', kind, 'steps');
    if (!Array.isArray(def.steps) || def.steps.length === 0) {
      add(at, 'a remedy kind needs at least one step');
      continue;
    }
    const seen = new Set<string>();
    def.steps.forEach((step: unknown, i) => {
      if (!isObject(step)) return;
      if (typeof step.code === 'string') {
        if (seen.has(step.code)) add(`${at}/${i}/code`, `step "${step.code}" is listed twice`);
        seen.add(step.code);
      }
      if (typeof step.role === 'string' && !roles.includes(step.role)) add(`${at}/${i}/role`, `unknown role "${step.role}"; one of ${list(roles)}`);
      const problem = durationProblem(step.due);
      if (problem) add(`${at}/${i}/due`, problem);
      else if (isObject(step.due) && (step.due.afterResolution === true || step.due.immediate === true)) add(`${at}/${i}/due`, 'a remedy step is due a span of time after the previous one, such as { "workingDays": 1 }');
    });
  }
}
