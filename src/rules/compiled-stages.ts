/**
 * The fast evaluator: every rule's conditions compiled once per pack (condition-compiler.ts),
 * then each decision runs synchronously, stage by stage, over only the rules that can hold for
 * the input's category. The rules of a category run as generated functions, each testing a few
 * rules in pack order with their conditions' sources written out (no call per condition).
 */
import { applyStage, emptyDecision, foldOwner, foldSeverity, PartialDecision } from './decision-algebra';
import { categoryLimit, compileConditions, ConditionSource, ConditionTest } from './condition-compiler';
import { constant, generatedFunction } from './generated-code';
import { PackRule, stageFactNames, stageFacts, stagesOf } from './pack-rules';
import { FACTS } from './facts';
import { reasonFacts } from './rule-reason';
import type { Catalog, Facts, FiredRule, RuleEvent } from './types';
import { BUILT_IN_LANGUAGE, ConditionLanguage } from './condition-language';

interface CompiledRule {
  rule: PackRule;
  test: ConditionTest;
  source: ConditionSource;
}

/** Runs some rules of a stage on `values` in pack order, adding each that holds to `fired` and its event to `events`. */
type RuleRun = (values: Record<string, unknown>, fired: FiredRule[], events: RuleEvent[]) => void;

/** Rules per generated function: small enough for V8 to optimise each, few calls per decision. */
const RULES_PER_RUN = 16;

/** Rules that can hold for a category, in pack order, and the functions running them. */
interface RuleList {
  rules: CompiledRule[];
  runs: RuleRun[];
}

interface CompiledStage {
  stage: number;
  /**
   * From stage 2 on, the values its rules run on: the facts and the decided facts they read
   * (conditions, reasons), all a generated run reads of them. Stage 1 runs on the facts themselves.
   */
  values: ((facts: Facts, decided: PartialDecision) => Record<string, unknown>) | null;
  /** Category → the rules that can hold for it. */
  byCategory: Map<unknown, RuleList>;
  /** The rules for a category no rule names: those not limited to categories. */
  others: RuleList;
}

/**
 * Invariant: a rule is left out of a category's list only when its root `all` has a category
 * leaf that fails for that category and none of its conditions can throw, so leaving it out
 * changes neither the result nor whether the run fails.
 */
export class CompiledStages {
  private readonly stages: CompiledStage[];

  /** @throws UnsupportedConditionError when a rule's conditions are outside what compiles exactly. */
  constructor(rules: PackRule[], private readonly catalog: Pick<Catalog, 'defaultOwner'>, language: ConditionLanguage = BUILT_IN_LANGUAGE) {
    this.stages = stagesOf(rules).map((stage) => compileStage(stage, rules.filter((r) => r.definition.stage === stage), language));
  }

  /** The stages run on `facts`: stage N > 1 also reads the severity and owner decided so far. */
  evaluate(facts: Facts): { partial: PartialDecision; fired: FiredRule[] } {
    let partial = emptyDecision(this.catalog);
    // One list of events and one of fired rules, appended to stage by stage (applyStage's fold without its copies).
    const events: RuleEvent[] = [];
    const fired: FiredRule[] = [];
    for (const plan of this.stages) {
      const { runs } = plan.byCategory.get(facts.category) ?? plan.others;
      if (runs.length === 0) continue;
      // Stage 1 reads the facts themselves (nothing writes to them); later stages a copy of what they read, with the decided facts.
      const values = plan.values ? plan.values(facts, partial) : (facts as unknown as Record<string, unknown>);
      const before = fired.length;
      for (const run of runs) run(values, fired, events);
      if (fired.length === before) continue;
      partial = { events, severity: foldSeverity(events), ownerDepartment: foldOwner(events, this.catalog.defaultOwner) };
    }
    return { partial, fired };
  }

  /**
   * Which rule throws on `facts`: the stages run again, each rule's test on its own. Only after a
   * decision failed (a diagnosis, never on the decision path); null when no rule throws alone.
   */
  failingRule(facts: Facts): { rule: PackRule; error: unknown } | null {
    let partial = emptyDecision(this.catalog);
    for (const plan of this.stages) {
      const values = stageFacts(plan.stage, facts, partial);
      const events = [];
      for (const { rule, test } of (plan.byCategory.get(facts.category) ?? plan.others).rules) {
        try {
          if (test(values)) events.push(rule.definition.event as RuleEvent);
        } catch (error) {
          return { rule, error };
        }
      }
      partial = applyStage(partial, events, this.catalog);
    }
    return null;
  }
}

function compileStage(stage: number, rules: PackRule[], language: ConditionLanguage): CompiledStage {
  const names = stageFactNames(stage);
  const compiled = rules.map((rule) => {
    const { test, canThrow, source } = compileConditions(rule.definition.conditions, names, language);
    return { rule, test, source, limit: canThrow ? null : categoryLimit(rule.definition.conditions) };
  });
  const lists = new Map<unknown, CompiledRule[]>();
  for (const { limit } of compiled) for (const category of limit ?? []) lists.set(category, []);
  const others: CompiledRule[] = [];
  for (const { rule, test, source, limit } of compiled) {
    const entry = { rule, test, source };
    if (limit === null) {
      others.push(entry);
      for (const list of lists.values()) list.push(entry);
    } else {
      for (const category of new Set(limit)) lists.get(category)!.push(entry);
    }
  }
  const byCategory = new Map<unknown, RuleList>();
  for (const [category, list] of lists) byCategory.set(category, ruleList(list));
  const read = new Set(rules.flatMap((rule) => [...rule.facts, ...reasonFacts(rule.definition.reason)]));
  return { stage, values: stage > 1 ? FACTS.stageValues(read) : null, byCategory, others: ruleList(others) };
}

/** `rules` and the generated functions running them, RULES_PER_RUN at a time. */
function ruleList(rules: CompiledRule[]): RuleList {
  const runs: RuleRun[] = [];
  for (let from = 0; from < rules.length; from += RULES_PER_RUN) runs.push(generatedRun(rules.slice(from, from + RULES_PER_RUN)));
  return { rules, runs };
}

/**
 * One function testing `rules` in order, as the loop `if (test(values)) fire(rule)` would: each
 * rule's condition source, then for each that holds its FiredRule literal (PackRule.firedSource,
 * what PackRule.fired makes) and its event. A test that throws stops the run as it would stop the loop.
 */
function generatedRun(rules: CompiledRule[]): RuleRun {
  const constants: unknown[] = [];
  const body = rules
    .map(({ rule, source }) => {
      const test = source(constants);
      const fired = rule.firedSource(constants);
      return `if (${test}) { fired.push(${fired}); events.push(${constant(constants, rule.definition.event)}); }`;
    })
    .join('\n');
  return generatedFunction<RuleRun>(['f', 'fired', 'events'], body, constants);
}
