/**
 * The fast evaluator: every rule's conditions compiled once per pack (condition-compiler.ts),
 * then each decision runs synchronously, stage by stage, over only the rules that can hold for
 * the input's category.
 */
import { applyStage, emptyDecision, foldOwner, foldSeverity, PartialDecision } from './decision-algebra';
import { categoryLimit, compileConditions, ConditionTest } from './condition-compiler';
import { firedRule, PackRule, stageFactNames, stageFacts, stagesOf } from './pack-rules';
import type { Catalog, Facts, FiredRule, RuleEvent } from './types';
import { BUILT_IN_LANGUAGE, ConditionLanguage } from './condition-language';

interface CompiledRule {
  rule: PackRule;
  test: ConditionTest;
}

interface CompiledStage {
  stage: number;
  /** Category → the rules that can hold for it, in pack order. */
  byCategory: Map<unknown, CompiledRule[]>;
  /** The rules for a category no rule names: those not limited to categories. */
  others: CompiledRule[];
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
      const rules = plan.byCategory.get(facts.category) ?? plan.others;
      if (rules.length === 0) continue;
      // Stage 1 reads the facts themselves (nothing writes to them); later stages a copy with the decided facts.
      const values = plan.stage > 1 ? stageFacts(plan.stage, facts, partial) : (facts as unknown as Record<string, unknown>);
      const before = fired.length;
      for (const { rule, test } of rules) {
        if (!test(values)) continue;
        const f = firedRule(rule, values);
        fired.push(f);
        events.push(f.event);
      }
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
      for (const { rule, test } of plan.byCategory.get(facts.category) ?? plan.others) {
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
    const { test, canThrow } = compileConditions(rule.definition.conditions, names, language);
    return { rule, test, limit: canThrow ? null : categoryLimit(rule.definition.conditions) };
  });
  const byCategory = new Map<unknown, CompiledRule[]>();
  for (const { limit } of compiled) for (const category of limit ?? []) byCategory.set(category, []);
  const others: CompiledRule[] = [];
  for (const { rule, test, limit } of compiled) {
    const entry = { rule, test };
    if (limit === null) {
      others.push(entry);
      for (const list of byCategory.values()) list.push(entry);
    } else {
      for (const category of new Set(limit)) byCategory.get(category)!.push(entry);
    }
  }
  return { stage, byCategory, others };
}
