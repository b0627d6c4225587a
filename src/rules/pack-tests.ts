/**
 * Runs a rule pack's own tests (`tests/*.json`, see `schema/rule-test.schema.json`) through a
 * RuleEngine. Backs the policy spec and the `triage rules test` CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileSchemas, parseAndValidate } from './rule-pack.loader';
import { RuleProblem, RulesFailedError, RulesInvalidError } from './rule-pack.errors';
import type { DecisionInput, DynamicFacts, RuleEngine } from './rule-engine';
import type { DecidedAction, Decision, Severity } from './types';

export const TESTS_DIR = 'tests';
/** When a case gives no `reportedAt`: a Monday morning in Shanghai, never "now". */
export const DEFAULT_REPORTED_AT = '2026-11-23T10:00:00+08:00';

export interface PackTestInput extends Omit<DecisionInput, 'reportedAt' | 'customerId' | 'occurredAt'> {
  repeatIncidents30d?: number;
  reportedAt?: string;
  /** When it happened: evidence retention (`retainUntil`) counts from it, else from `reportedAt`. */
  occurredAt?: string;
  /** When the incident is resolved: `actionDue` then checks the actions counted from the resolution. */
  resolvedAt?: string;
}

export interface PackTestExpect {
  severity?: Severity;
  ownerDepartment?: string;
  notifyDepartments?: string[];
  actions?: string[];
  absentActions?: string[];
  policeReportRequired?: boolean;
  refundSteps?: string[];
  refundChain?: string[];
  /** The remedy kinds allowed, in order of preference. */
  remedies?: string[];
  firedRules?: string[];
  actionDue?: Record<string, string | null>;
  /** Action code → until when its evidence is kept (PRESERVE_CCTV); each action must be decided. */
  retainUntil?: Record<string, string>;
  /** Action code → the work that settles it (catalog `settledBy`), or null for none; each action must be decided. */
  settledBy?: Record<string, string | null>;
  /** The exact set of due times counted past the calendar's `holidaysKnownUntil` (action codes, acknowledgeBy, resolveBy). */
  beyondCalendar?: string[];
}

export interface PackTestCase {
  name: string;
  description?: string;
  input: PackTestInput;
  expect: PackTestExpect;
}

export interface PackTestFailure {
  /** `file › case name`. */
  case: string;
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface PackTestReport {
  passed: number;
  failed: number;
  failures: PackTestFailure[];
  /** Rules no case fired: the pack's untested rules. */
  unfiredRules: string[];
}

/**
 * Runs every case of `<packDir>/tests/*.json` (sorted) through `engine.decide` (and
 * `engine.refundChainFor` for `refundChain`). Throws RulesInvalidError when a test file is
 * not valid against the pack's rule-test schema.
 */
export async function runPackTests(packDir: string, engine: RuleEngine): Promise<PackTestReport> {
  const files = readTestFiles(packDir);
  const report: PackTestReport = { passed: 0, failed: 0, failures: [], unfiredRules: [] };
  const fired = new Set<string>();
  for (const { file, cases } of files) {
    for (const testCase of cases) {
      const failures = await runCase(`${file} › ${testCase.name}`, testCase, engine, fired);
      if (failures.length === 0) report.passed += 1;
      else report.failed += 1;
      report.failures.push(...failures);
    }
  }
  report.unfiredRules = engine.pack.rules.map((r) => r.name).filter((name) => !fired.has(name));
  return report;
}

/** Every case of the pack's test files, or none when they cannot be read (`checkPackTestFiles` says why). */
export function packTestCases(packDir: string): PackTestCase[] {
  if (!fs.existsSync(path.join(packDir, TESTS_DIR))) return [];
  try {
    return readTestFiles(packDir).flatMap((f) => f.cases);
  } catch (e) {
    if (e instanceof RulesInvalidError) return [];
    throw e;
  }
}

/**
 * The problems of the pack's test files (JSON, the rule-test schema) without running them, for
 * `triage rules validate`; none when the pack has no tests/ folder.
 */
export function checkPackTestFiles(packDir: string): RuleProblem[] {
  if (!fs.existsSync(path.join(packDir, TESTS_DIR))) return [];
  try {
    readTestFiles(packDir);
    return [];
  } catch (e) {
    if (e instanceof RulesInvalidError) return e.problems;
    throw e;
  }
}

function readTestFiles(packDir: string): Array<{ file: string; cases: PackTestCase[] }> {
  const problems: RuleProblem[] = [];
  const { ruleTest } = compileSchemas(packDir, ['ruleTest'], problems);
  let names: string[] = [];
  try {
    names = fs.readdirSync(path.join(packDir, TESTS_DIR)).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    problems.push({ file: `${TESTS_DIR}/`, pointer: '', message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
  }
  const out: Array<{ file: string; cases: PackTestCase[] }> = [];
  for (const name of names) {
    const file = `${TESTS_DIR}/${name}`;
    const parsed = parseAndValidate(file, fs.readFileSync(path.join(packDir, file), 'utf8'), ruleTest, problems);
    if (parsed) out.push({ file, cases: (parsed.data as { cases: PackTestCase[] }).cases });
  }
  if (problems.length > 0) throw new RulesInvalidError(problems);
  return out;
}

/**
 * A case's input as the engine decides it: its facts, `customerId`, its report time (the default
 * Monday when it gives none) and occurrence time, and the repeat count the database would answer.
 * The pack tests and the activation smoke test both decide cases through it.
 */
export function caseDecisionInput(caseInput: PackTestInput, customerId: string): { input: DecisionInput; repeatIncidents30d: number } {
  const { repeatIncidents30d = 0, reportedAt = DEFAULT_REPORTED_AT, resolvedAt: _resolvedAt, occurredAt, ...facts } = caseInput;
  return { input: { ...facts, customerId, reportedAt: new Date(reportedAt), occurredAt: occurredAt ? new Date(occurredAt) : null }, repeatIncidents30d };
}

async function runCase(label: string, testCase: PackTestCase, engine: RuleEngine, fired: Set<string>): Promise<PackTestFailure[]> {
  const { input, repeatIncidents30d } = caseDecisionInput(testCase.input, 'pack-test-customer');
  const at = input.reportedAt;
  const { resolvedAt } = testCase.input;
  const dynamicFacts: DynamicFacts = { repeatIncidents30d: async () => repeatIncidents30d };
  const failures: PackTestFailure[] = [];
  const fail = (field: string, expected: unknown, actual: unknown) => failures.push({ case: label, field, expected, actual });
  let decision: Decision;
  try {
    decision = await engine.decide(input, { now: at, dynamicFacts });
  } catch (e) {
    // A case the rules fail on is a failure of the case, named by the rule: the run goes on.
    if (!(e instanceof RulesFailedError)) throw e;
    fail('decision', 'a decision', `rule ${e.failure.rule ?? '(unknown)'} (${e.failure.file ?? '-'}) threw: ${e.failure.message}`);
    return failures;
  }
  decision.firedRules.forEach((r) => fired.add(r.name));

  const e = testCase.expect;
  const codes = decision.actions.map((a) => a.code);
  const firedNames = decision.firedRules.map((r) => r.name);
  if (e.severity !== undefined && e.severity !== decision.severity) fail('severity', e.severity, decision.severity);
  if (e.ownerDepartment !== undefined && e.ownerDepartment !== decision.ownerDepartment) fail('ownerDepartment', e.ownerDepartment, decision.ownerDepartment);
  if (e.notifyDepartments !== undefined && !sameSet(e.notifyDepartments, decision.notifyDepartments)) {
    fail('notifyDepartments', e.notifyDepartments, decision.notifyDepartments);
  }
  if (e.actions !== undefined && !e.actions.every((c) => codes.includes(c))) fail('actions', e.actions, codes);
  if (e.absentActions !== undefined && e.absentActions.some((c) => codes.includes(c))) fail('absentActions', e.absentActions, codes);
  if (e.policeReportRequired !== undefined && e.policeReportRequired !== decision.policeReportRequired) {
    fail('policeReportRequired', e.policeReportRequired, decision.policeReportRequired);
  }
  if (e.refundSteps !== undefined && !sameList(e.refundSteps, decision.refundSteps)) fail('refundSteps', e.refundSteps, decision.refundSteps);
  if (e.remedies !== undefined && !sameList(e.remedies, decision.remedies)) fail('remedies', e.remedies, decision.remedies);
  if (e.refundChain !== undefined) {
    const chain = await engine.refundChainFor(input, dynamicFacts).catch((err: unknown) => {
      if (!(err instanceof RulesFailedError)) throw err;
      return `rule ${err.failure.rule ?? '(unknown)'} threw: ${err.failure.message}`;
    });
    if (typeof chain === 'string' || !sameList(e.refundChain, chain)) fail('refundChain', e.refundChain, chain);
  }
  if (e.firedRules !== undefined && !e.firedRules.every((n) => firedNames.includes(n))) fail('firedRules', e.firedRules, firedNames);
  const resolved = resolvedAt ? new Date(resolvedAt) : null;
  for (const [code, due] of Object.entries(e.actionDue ?? {})) {
    checkTime(decision, 'actionDue', code, due, fail, (a) =>
      resolved && a.dueAfterResolution ? engine.calendar.addDuration(resolved, a.dueAfterResolution) : a.dueAt,
    );
  }
  for (const [code, until] of Object.entries(e.retainUntil ?? {})) checkTime(decision, 'retainUntil', code, until, fail, (a) => a.retainUntil ?? null);
  for (const [code, work] of Object.entries(e.settledBy ?? {})) {
    const actual = codes.includes(code) ? (engine.pack.catalog.actions[code]?.settledBy ?? null) : 'absent';
    if (actual !== work) fail(`settledBy.${code}`, work, actual);
  }
  if (e.beyondCalendar !== undefined && !sameSet(e.beyondCalendar, decision.beyondCalendar ?? [])) fail('beyondCalendar', e.beyondCalendar, decision.beyondCalendar ?? []);
  return failures;
}

/** One of an action's times (`kind`: its due time, its evidence's retention) against the expected instant. */
function checkTime(
  decision: Decision,
  kind: 'actionDue' | 'retainUntil',
  code: string,
  expected: string | null,
  fail: (field: string, expected: unknown, actual: unknown) => void,
  timeOf: (a: DecidedAction) => Date | null,
): void {
  const action = decision.actions.find((a) => a.code === code);
  const field = `${kind}.${code}`;
  if (!action) return fail(field, expected, 'absent');
  const time = timeOf(action);
  const actual = time ? time.toISOString() : null;
  const wanted = expected === null ? null : new Date(expected).toISOString();
  if (actual !== wanted) fail(field, wanted, actual);
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
