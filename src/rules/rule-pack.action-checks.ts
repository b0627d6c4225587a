/**
 * Meaning checks of the catalog's action lifecycle options: what "immediately" means, what a
 * due time counts from, which work settles an action, and how far the holiday calendar goes.
 * Pure; every problem reported.
 */
import { pointerJoin } from './rule-pack.errors';
import { Add, durationProblem, isObject, list } from './rule-pack.check-helpers';
import { DUE_FROM, SETTLING_WORK } from './types';

export function checkActionLifecycle(data: Record<string, unknown>, add: Add): void {
  if (data.immediately !== undefined) {
    const problem = durationProblem(data.immediately);
    if (problem) add('/immediately', problem);
    else if (isObject(data.immediately) && (data.immediately.immediate === true || data.immediately.afterResolution === true)) {
      add('/immediately', '"immediately" is a span of time after the report, such as { "minutes": 5 }');
    }
  }
  for (const [code, action] of Object.entries(isObject(data.actions) ? data.actions : {})) {
    if (!isObject(action)) continue;
    const at = pointerJoin('/actions', code);
    if (action.dueFrom !== undefined) {
      if (!(DUE_FROM as readonly unknown[]).includes(action.dueFrom)) add(`${at}/dueFrom`, `unknown start "${String(action.dueFrom)}"; one of ${list(DUE_FROM)}`);
      else if (action.dueFrom === 'RESOLVED' && isObject(action.due) && (action.due.afterResolution === true || action.due.immediate === true)) {
        add(`${at}/due`, 'an action counted from the resolution needs a span, such as { "workingDays": 2 }');
      }
    }
    if (action.settledBy !== undefined && !(SETTLING_WORK as readonly unknown[]).includes(action.settledBy)) {
      add(`${at}/settledBy`, `unknown work "${String(action.settledBy)}"; one of ${list(SETTLING_WORK)}`);
    }
  }
  const calendar = isObject(data.calendar) ? data.calendar : {};
  const until = calendar.holidaysKnownUntil;
  if (until !== undefined && !isRealDate(until)) {
    add('/calendar/holidaysKnownUntil', `"${String(until)}" is not a date YYYY-MM-DD`);
  }
}

/** A YYYY-MM-DD that names a day of the calendar (not 2026-02-30). */
function isRealDate(v: unknown): boolean {
  const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}
