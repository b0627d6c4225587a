import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadRulePack, RulesInvalidError } from '../rules/rule-pack.loader';
import { RuleEngine, DecisionInput } from '../rules/rule-engine';
import { checkPackTestFiles, runPackTests } from '../rules/pack-tests';
import { smokeProblems } from '../rules/pack-activation';
import { RulesFailedError } from '../rules/rule-pack.errors';
import { checkBands, formatBandWarning } from '../rules/rule-bands';
import { describeFacts, ExplainedCondition, factWithLabel } from '../rules/rule-explain';
import { badInput } from '../common/errors';
import { decisionInputOf, normalizeReport } from '../incidents/incident.validation';
import type { ReportIncidentInput } from '../incidents/incident.inputs';
import type { Catalog } from '../rules/types';
import { renderPolicyDoc } from '../rules/pack-doc';
import { registerSimulate } from './rules-simulate.command';
import { BusinessCalendar } from '../calendar/business-calendar';
import { holidayCoverageWarning } from '../calendar/holiday-coverage';
import { calendarNote } from '../incidents/incident.mapper';

const defaultDir = () => process.env.RULES_DIR || './rules';

/** Loads a pack or prints every problem as `file:/pointer: message` and exits 1. */
function loadOrExit(dir: string) {
  try {
    return loadRulePack(path.resolve(dir));
  } catch (e) {
    if (!(e instanceof RulesInvalidError)) throw e;
    for (const p of e.problems) console.log(`${p.file}:${p.pointer}: ${p.message}`);
    console.log(`${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} in ${dir}`);
    process.exit(1);
  }
}

/** Prints problems as `file:/pointer: message` and a closing count. */
function printProblems(problems: Array<{ file: string; pointer: string; message: string }>, where: string) {
  for (const p of problems) console.log(`${p.file}:${p.pointer}: ${p.message}`);
  console.log(`${problems.length} problem${problems.length === 1 ? '' : 's'} ${where}`);
}

/** `triage rules validate|test|explain` — check, test and explain a rule pack without a server. */
export function registerRules(program: Command) {
  const rules = program.command('rules').description('validate, test, explain and backtest rule packs');

  rules
    .command('validate [dir]')
    .description('schema and meaning checks; prints every problem as file:/json/pointer: message, exit 1 if any; then threshold band warnings (gaps, overlaps)')
    .option('--strict-bands', 'fail (exit 1) when the threshold band check warns', false)
    .action(async (dir: string | undefined, opts: { strictBands: boolean }) => {
      const pack = loadOrExit(dir ?? defaultDir());
      // What activation checks too: the pack decides its smoke corpus without a rule throwing.
      const smoke = await smokeProblems(new RuleEngine(pack), path.resolve(dir ?? defaultDir()));
      if (smoke.length) {
        printProblems(smoke, `in ${dir ?? defaultDir()}: rules that throw while deciding`);
        process.exit(1);
      }
      const testProblems = checkPackTestFiles(path.resolve(dir ?? defaultDir()));
      if (testProblems.length) {
        for (const p of testProblems) console.log(`${p.file}:${p.pointer}: ${p.message}`);
        console.log(`${testProblems.length} problem${testProblems.length === 1 ? '' : 's'} in the pack's test files (the rules themselves are valid)`);
        process.exit(1);
      }
      console.log(`ok: ${pack.rules.length} rules, version ${pack.version}`);
      const warnings = checkBands(pack.rules);
      for (const w of warnings) console.log(`${opts.strictBands ? 'error' : 'warning'}: ${formatBandWarning(w)}`);
      if (warnings.length)
        console.log(`${warnings.length} threshold band warning${warnings.length === 1 ? '' : 's'}${opts.strictBands ? ' (--strict-bands: failing)' : ''}`);
      const calendarWarning = holidayCoverageWarning(new BusinessCalendar(pack.catalog.calendar), new Date());
      if (calendarWarning) console.log(`warning: catalog.json:/calendar/holidaysKnownUntil: ${calendarWarning}`);
      if (opts.strictBands && warnings.length) process.exit(1);
    });

  rules
    .command('test [dir]')
    .description('run the pack tests in DIR/tests/*.json; one line per failure, a closing "N passed, N failed", exit 1 on failure')
    .action(async (dir?: string) => {
      const packDir = path.resolve(dir ?? defaultDir());
      const pack = loadOrExit(packDir);
      let report;
      try {
        report = await runPackTests(packDir, new RuleEngine(pack));
      } catch (e) {
        // Whatever goes wrong with a bad pack is listed, never a crash.
        if (e instanceof RulesInvalidError) printProblems(e.problems, `in ${dir ?? defaultDir()}`);
        else console.log(`the pack's tests could not run: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
      }
      for (const f of report.failures) {
        console.log(`FAIL ${f.case}: ${f.field}: expected ${JSON.stringify(f.expected)}, got ${JSON.stringify(f.actual)}`);
      }
      if (report.unfiredRules.length) {
        console.log(`rules no test fired (${report.unfiredRules.length}): ${report.unfiredRules.join(', ')}`);
      } else {
        console.log('coverage: every rule fired in some test');
      }
      console.log(`${report.passed} passed, ${report.failed} failed`);
      if (report.failed > 0) process.exit(1);
    });

  rules
    .command('explain <file>')
    .description('decide the report in FILE.json and say why: fired rules with their facts and reasons (--all: why the others did not fire)')
    .option('--dir <dir>', 'the rule pack', defaultDir())
    .option('--all', 'also explain the rules that did not fire', false)
    .option('--json', 'print JSON', false)
    .action(async (file: string, opts: { dir: string; all: boolean; json: boolean }) => {
      const pack = loadOrExit(opts.dir);
      const engine = new RuleEngine(pack);
      const raw = readReport(file);
      const { input, repeat } = explainInput(raw, pack.catalog);
      let explanation;
      try {
        explanation = await engine.explain(input, { now: input.reportedAt, dynamicFacts: { repeatIncidents30d: async () => repeat } });
      } catch (e) {
        if (!(e instanceof RulesFailedError)) throw e;
        console.log(`the rules failed on this report: rule ${e.failure.rule ?? '(unknown)'} (${e.failure.file ?? '-'}): ${e.failure.message}`);
        process.exit(1);
      }
      if (opts.json) {
        console.log(JSON.stringify(opts.all ? explanation : { decision: explanation.decision, rules: explanation.rules.filter((r) => r.fired) }, null, 2));
        return;
      }
      const d = explanation.decision;
      console.log(`rule pack ${d.ruleSetVersion}`);
      console.log(
        `severity ${d.severity}; owner ${d.ownerDepartment}; notify ${d.notifyDepartments.join(', ') || '-'}; police ${d.policeReportRequired ? 'yes' : 'no'}`,
      );
      for (const a of d.actions) console.log(`  action ${a.code} due ${a.dueAt ? a.dueAt.toISOString() : 'after resolution'}`);
      if (d.beyondCalendar?.length) console.log(`  note: ${calendarNote(d.beyondCalendar, pack.catalog)}`);
      if (d.refundSteps.length) console.log(`  refund chain ${d.refundSteps.join(' → ')}`);
      console.log('fired:');
      for (const r of d.firedRules) {
        console.log(`  [stage ${r.stage}] ${r.name}: ${JSON.stringify(r.event)}`);
        if (r.reason?.zh || r.reason?.en) console.log(`      ${[r.reason.zh, r.reason.en].filter(Boolean).join(' / ')}`);
        console.log(`      facts ${describeFacts(r.facts)}`);
      }
      if (opts.all) {
        console.log('not fired:');
        for (const r of explanation.rules.filter((x) => !x.fired)) {
          console.log(`  [stage ${r.stage}] ${r.name} (${r.file}): ${failedLeaves(r.conditions).join('; ') || 'conditions not met'}`);
        }
      }
    });

  rules
    .command('doc [dir]')
    .description('print the pack as a Markdown policy page (docs/policy.md is this for the shipped pack)')
    .action((dir?: string) => {
      process.stdout.write(renderPolicyDoc(loadOrExit(dir ?? defaultDir())));
    });

  registerSimulate(rules, loadOrExit);
}

/** The JSON object in FILE, or a clear error. */
function readReport(file: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(e as Error).message})`}`, { cause: e });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${file}: must hold one report, a JSON object`);
  return raw as Record<string, unknown>;
}

/** The leaves that did not hold, as `fact operator value (was X)`. */
function failedLeaves(c: ExplainedCondition): string[] {
  if ('all' in c) return c.all.flatMap(failedLeaves);
  if ('any' in c) return c.result === false ? c.any.flatMap(failedLeaves) : [];
  if ('not' in c) return c.result === false ? [`not(${JSON.stringify(c.not)})`] : [];
  return c.result === false ? [`${factWithLabel(c.fact)} ${c.operator} ${JSON.stringify(c.value)} (was ${JSON.stringify(c.factResult)})`] : [];
}

/**
 * The report in an explain file, checked as `reportIncident` checks it (codes against the pack's
 * catalog, amounts as "5000.01" strings, types a GraphQL client could not get wrong), so that
 * explain never decides a report the API would refuse. `source` and `externalRef` may be left
 * out; `reportedAt` and `repeatIncidents30d` are explain's own (the time and the database fact);
 * `occurredAt`, as in a report, is what evidence retention counts from.
 */
function explainInput(raw: Record<string, unknown>, catalog: Catalog): { input: DecisionInput; repeat: number } {
  // The report facts are checked as reportIncident checks them (normalizeReport, by their declarations); `drill` is no fact.
  if (raw.drill != null && typeof raw.drill !== 'boolean') throw badInput('report.drill', 'must be true or false');
  const time = (k: string) => {
    if (raw[k] == null) return null;
    const d = new Date(String(raw[k]));
    if (typeof raw[k] !== 'string' || Number.isNaN(d.getTime())) throw badInput(`report.${k}`, 'must be an ISO-8601 date-time, e.g. 2026-11-23T10:00:00+08:00');
    return d;
  };
  const repeat = raw.repeatIncidents30d ?? 0;
  if (!Number.isInteger(repeat) || (repeat as number) < 0) throw badInput('report.repeatIncidents30d', 'must be a whole number, 0 or more');
  const report = normalizeReport(
    { source: 'explain', externalRef: 'explain', ...raw, occurredAt: time('occurredAt') } as unknown as ReportIncidentInput,
    catalog,
    'report',
  );
  return {
    input: decisionInputOf(report, time('reportedAt') ?? new Date(), report.customer?.id ?? 'explain'),
    repeat: repeat as number,
  };
}
