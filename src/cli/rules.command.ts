import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadRulePack, RulesInvalidError } from '../rules/rule-pack.loader';
import { RuleEngine, DecisionInput } from '../rules/rule-engine';
import { runPackTests } from '../rules/pack-tests';
import { checkBands, formatBandWarning } from '../rules/rule-bands';
import type { ExplainedCondition } from '../rules/rule-explain';
import { fenToNumber, parseYuan } from '../money/money';
import { registerSimulate } from './rules-simulate.command';

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

/** `triage rules validate|test|explain` — check, test and explain a rule pack without a server. */
export function registerRules(program: Command) {
  const rules = program.command('rules').description('validate, test, explain and backtest rule packs');

  rules.command('validate [dir]')
    .description('schema and meaning checks; prints every problem as file:/json/pointer: message, exit 1 if any; then threshold band warnings (gaps, overlaps)')
    .option('--strict-bands', 'fail (exit 1) when the threshold band check warns', false)
    .action((dir: string | undefined, opts: { strictBands: boolean }) => {
      const pack = loadOrExit(dir ?? defaultDir());
      console.log(`ok: ${pack.rules.length} rules, version ${pack.version}`);
      const warnings = checkBands(pack.rules);
      for (const w of warnings) console.log(`${opts.strictBands ? 'error' : 'warning'}: ${formatBandWarning(w)}`);
      if (warnings.length) console.log(`${warnings.length} threshold band warning${warnings.length === 1 ? '' : 's'}${opts.strictBands ? ' (--strict-bands: failing)' : ''}`);
      if (opts.strictBands && warnings.length) process.exit(1);
    });

  rules.command('test [dir]')
    .description('run the pack tests in DIR/tests/*.json; one line per failure, a closing "N passed, N failed", exit 1 on failure')
    .action(async (dir?: string) => {
      const packDir = path.resolve(dir ?? defaultDir());
      const pack = loadOrExit(packDir);
      let report;
      try {
        report = await runPackTests(packDir, new RuleEngine(pack));
      } catch (e) {
        if (!(e instanceof RulesInvalidError)) throw e;
        for (const p of e.problems) console.log(`${p.file}:${p.pointer}: ${p.message}`);
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

  rules.command('explain <file>')
    .description('decide the report in FILE.json and say why: fired rules with their facts and reasons (--all: why the others did not fire)')
    .option('--dir <dir>', 'the rule pack', defaultDir())
    .option('--all', 'also explain the rules that did not fire', false)
    .option('--json', 'print JSON', false)
    .action(async (file: string, opts: { dir: string; all: boolean; json: boolean }) => {
      const pack = loadOrExit(opts.dir);
      const engine = new RuleEngine(pack);
      const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      const input = explainInput(raw);
      const repeat = Number(raw.repeatIncidents30d ?? 0);
      const explanation = await engine.explain(input, {
        now: input.reportedAt,
        dynamicFacts: { repeatIncidents30d: async () => repeat },
      });
      if (opts.json) {
        console.log(JSON.stringify(opts.all ? explanation : { decision: explanation.decision, rules: explanation.rules.filter((r) => r.fired) }, null, 2));
        return;
      }
      const d = explanation.decision;
      console.log(`rule pack ${d.ruleSetVersion}`);
      console.log(`severity ${d.severity}; owner ${d.ownerDepartment}; notify ${d.notifyDepartments.join(', ') || '-'}; police ${d.policeReportRequired ? 'yes' : 'no'}`);
      for (const a of d.actions) console.log(`  action ${a.code} due ${a.dueAt ? a.dueAt.toISOString() : 'after resolution'}`);
      if (d.refundSteps.length) console.log(`  refund chain ${d.refundSteps.join(' → ')}`);
      console.log('fired:');
      for (const r of d.firedRules) {
        console.log(`  [stage ${r.stage}] ${r.name}: ${JSON.stringify(r.event)}`);
        if (r.reason?.zh || r.reason?.en) console.log(`      ${[r.reason.zh, r.reason.en].filter(Boolean).join(' / ')}`);
        console.log(`      facts ${JSON.stringify(r.facts)}`);
      }
      if (opts.all) {
        console.log('not fired:');
        for (const r of explanation.rules.filter((x) => !x.fired)) {
          console.log(`  [stage ${r.stage}] ${r.name} (${r.file}): ${failedLeaves(r.conditions).join('; ') || 'conditions not met'}`);
        }
      }
    });

  registerSimulate(rules, loadOrExit);
}

/** The leaves that did not hold, as `fact operator value (was X)`. */
function failedLeaves(c: ExplainedCondition): string[] {
  if ('all' in c) return c.all.flatMap(failedLeaves);
  if ('any' in c) return c.result === false ? c.any.flatMap(failedLeaves) : [];
  if ('not' in c) return c.result === false ? [`not(${JSON.stringify(c.not)})`] : [];
  return c.result === false ? [`${c.fact} ${c.operator} ${JSON.stringify(c.value)} (was ${JSON.stringify(c.factResult)})`] : [];
}

/** A report as JSON: amount as "5000.01" (or a number), reportedAt optional (default now). */
function explainInput(raw: Record<string, unknown>): DecisionInput {
  const amount = raw.amount === undefined || raw.amount === null ? null : typeof raw.amount === 'string' ? fenToNumber(parseYuan(raw.amount)) : Number(raw.amount);
  const customer = raw.customer as { id?: string; tier?: string } | undefined;
  return {
    category: String(raw.category),
    subtype: (raw.subtype as string) ?? null,
    amount,
    propertyOwner: (raw.propertyOwner as string) ?? null,
    injured: (raw.injured as boolean) ?? null,
    outageMinutes: (raw.outageMinutes as number) ?? null,
    escalating: (raw.escalating as boolean) ?? null,
    mediaAttention: (raw.mediaAttention as boolean) ?? null,
    legalThreat: (raw.legalThreat as boolean) ?? null,
    channel: (raw.channel as string) ?? null,
    customerTier: (raw.customerTier as string) ?? customer?.tier ?? null,
    customerId: customer?.id ?? 'explain',
    reportedAt: raw.reportedAt ? new Date(String(raw.reportedAt)) : new Date(),
  };
}
