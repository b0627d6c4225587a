/**
 * Fail closed when a pack becomes active (start, reload, SIGHUP, shadow install, backtest draft):
 * the pack is loaded and checked, compiled, and must then decide a smoke corpus — its own test
 * cases plus reports of every category and subtype at every boundary its rules compare with —
 * without throwing. A rule that throws refuses the pack (RULES_INVALID, naming the rule); the
 * caller keeps its active pack.
 */
import { DecisionInput, DynamicFacts, RuleEngine } from './rule-engine';
import { loadRulePack, RulePackOptions } from './rule-pack.loader';
import { RuleProblem, RulesFailedError, RulesInvalidError } from './rule-pack.errors';
import { walkConditions } from './rule-conditions';
import { caseDecisionInput, DEFAULT_REPORTED_AT, packTestCases } from './pack-tests';
import { FACTS, FACT_TYPES, REPORT_FACTS } from './facts';
import type { RulePack } from './types';

/** One report of the smoke corpus: the decision input and what the database would say. */
export interface SmokeReport {
  input: DecisionInput;
  repeatIncidents30d: number;
}

/** A Monday, a Saturday night and a public holiday (Shanghai): every kind of due-time arithmetic. */
const REPORT_TIMES = [DEFAULT_REPORTED_AT, '2026-11-28T22:30:00+08:00', '2026-10-01T09:00:00+08:00'].map((t) => new Date(t));

/** Loads, checks and smoke-tests the pack in `dir`. @throws RulesInvalidError with every problem. */
export async function activateRulePack(dir: string, options: RulePackOptions = {}): Promise<{ pack: RulePack; engine: RuleEngine }> {
  const pack = loadRulePack(dir, options);
  const engine = new RuleEngine(pack);
  await assertDecides(engine, dir);
  return { pack, engine };
}

/** Throws RulesInvalidError when the engine throws on its smoke corpus (see {@link smokeProblems}). */
export async function assertDecides(engine: RuleEngine, packDir: string | null): Promise<void> {
  const problems = await smokeProblems(engine, packDir);
  if (problems.length > 0) throw new RulesInvalidError(problems);
}

/**
 * Decides the smoke corpus of the engine's pack (plus the cases of `packDir/tests` when given)
 * and lists, once per rule, the rules that threw, pointing at the rule in its file.
 */
export async function smokeProblems(engine: RuleEngine, packDir: string | null): Promise<RuleProblem[]> {
  const corpus = [...(packDir ? packTestReports(packDir) : []), ...smokeCorpus(engine.pack)];
  const problems = new Map<string, RuleProblem>();
  for (const { input, repeatIncidents30d } of corpus) {
    const dynamicFacts: DynamicFacts = { repeatIncidents30d: async () => repeatIncidents30d };
    try {
      await engine.decide(input, { now: input.reportedAt, dynamicFacts });
    } catch (e) {
      if (!(e instanceof RulesFailedError)) throw e;
      const key = e.failure.rule ?? '';
      if (problems.has(key)) continue;
      const who = e.failure.rule ? `rule "${e.failure.rule}"` : 'a rule';
      problems.set(key, { ...ruleLocation(engine.pack, e.failure.rule), message: `${who} throws when deciding ${describe(input, repeatIncidents30d)}: ${e.failure.message}` });
    }
  }
  return [...problems.values()];
}

/** The pack's own test cases as reports (none when its tests cannot be read: `rules validate` says why). */
function packTestReports(packDir: string): SmokeReport[] {
  return packTestCases(packDir).map((c) => caseDecisionInput(c.input, 'smoke'));
}

/**
 * Reports of every category × subtype (and none), each fact alone at every value the rules
 * compare it with and just around it (amounts ± 0.01, counts ± 1), every code value, both
 * booleans, and one report with everything set at its highest.
 */
export function smokeCorpus(pack: RulePack): SmokeReport[] {
  const numbers = new Map<string, Set<number>>();
  const strings = new Map<string, Set<string>>();
  for (const fact of Object.keys(FACT_TYPES)) {
    if (FACT_TYPES[fact] === 'number') numbers.set(fact, new Set([0]));
    if (FACT_TYPES[fact] === 'string') strings.set(fact, new Set(pack.catalog.factValues[fact] ?? []));
  }
  numbers.get('amount')?.add(999_999_999_999.99);
  for (const rule of pack.rules) {
    walkConditions(rule.conditions, '', ({ leaf }) => {
      const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
      for (const v of values) {
        if (typeof v === 'number' && Number.isFinite(v) && numbers.has(leaf.fact)) {
          const step = 10 ** -(FACTS.declaration(leaf.fact)?.decimals ?? 0);
          for (const x of [v - step, v, v + step]) if (x >= 0) numbers.get(leaf.fact)!.add(Math.round(x * 100) / 100);
        }
        if (typeof v === 'string' && strings.has(leaf.fact)) strings.get(leaf.fact)!.add(v);
      }
    });
  }
  const reports: SmokeReport[] = [];
  const report = (input: Partial<DecisionInput>, repeatIncidents30d = 0, reportedAt = REPORT_TIMES[0]) =>
    reports.push({ input: { ...input, category: input.category!, customerId: 'smoke', reportedAt }, repeatIncidents30d });
  const highest = (fact: string) => Math.max(...(numbers.get(fact) ?? [0]));
  for (const [category, { subtypes }] of Object.entries(pack.catalog.categories)) {
    for (const subtype of [...Object.keys(subtypes), null]) {
      const base = { category, subtype };
      for (const at of REPORT_TIMES) report(base, 0, at);
      for (const [fact, values] of numbers) {
        for (const v of values) {
          if (fact === 'repeatIncidents30d') report(base, v);
          else if ((REPORT_FACTS as readonly string[]).includes(fact)) report({ ...base, [fact]: v });
        }
      }
      for (const [fact, values] of strings) {
        if (fact === 'category' || fact === 'subtype' || !(REPORT_FACTS as readonly string[]).includes(fact)) continue;
        for (const v of values) report({ ...base, [fact]: v });
      }
      for (const fact of REPORT_FACTS) {
        if (FACT_TYPES[fact] === 'boolean') for (const v of [true, false]) report({ ...base, [fact]: v });
      }
      const everything: Record<string, unknown> = { ...base };
      for (const fact of REPORT_FACTS) {
        if (FACT_TYPES[fact] === 'boolean') everything[fact] = true;
        if (FACT_TYPES[fact] === 'number') everything[fact] = highest(fact);
        if (FACT_TYPES[fact] === 'string' && fact !== 'category' && fact !== 'subtype') everything[fact] = [...(strings.get(fact) ?? [])][0] ?? null;
      }
      report(everything as Partial<DecisionInput>, highest('repeatIncidents30d'));
    }
  }
  return reports;
}

/** The rule's place in its file (`/rules/N`), or the rule files when no rule can be named. */
function ruleLocation(pack: RulePack, name: string | null): { file: string; pointer: string } {
  const rule = name === null ? undefined : pack.rules.find((r) => r.name === name);
  if (!rule) return { file: 'policy/', pointer: '' };
  const index = pack.rules.filter((r) => r.file === rule.file).indexOf(rule);
  return { file: rule.file, pointer: `/rules/${index}` };
}

function describe(input: DecisionInput, repeatIncidents30d: number): string {
  const set = Object.entries(input).filter(([k, v]) => v !== null && v !== undefined && k !== 'customerId' && k !== 'reportedAt');
  const facts = set.map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  if (repeatIncidents30d) facts.push(`repeatIncidents30d=${repeatIncidents30d}`);
  return `a report with ${facts.join(', ')}`;
}
