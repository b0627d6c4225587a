/**
 * Explanations: for every rule, fired or not, its condition tree with what each leaf's fact
 * was and whether it held — read from json-rules-engine's `results` / `failureResults`.
 */
import type { RuleResult } from 'json-rules-engine';
import { FACTS, FactRegistry } from './facts';
import type { Decision, RuleEvent } from './types';

/** A condition node after evaluation. `result` is null where the engine did not evaluate it. */
export type ExplainedCondition =
  | { all: ExplainedCondition[]; result: boolean | null }
  | { any: ExplainedCondition[]; result: boolean | null }
  | { not: ExplainedCondition; result: boolean | null }
  | {
      fact: string;
      operator: string;
      value: unknown;
      path?: string;
      /** The fact's value as the condition saw it. */
      factResult: unknown;
      /** The value compared with (differs from `value` when that is `{ fact }`). */
      valueResult?: unknown;
      result: boolean | null;
    };

export interface RuleExplanation {
  name: string;
  stage: number;
  file: string;
  fired: boolean;
  event: RuleEvent;
  conditions: ExplainedCondition;
}

export interface Explanation {
  decision: Decision;
  /** Every rule that ran, in pack order (stages with no rule to run are absent). */
  rules: RuleExplanation[];
}

interface KnownRule {
  index: number;
  definition: { name: string; stage: number; file: string; event: RuleEvent };
}

/** Turns the stage runs of a full evaluation into one explanation per rule, in pack order. */
export function explainRuns(
  runs: Array<{ results: RuleResult[]; failureResults: RuleResult[] }>,
  rules: Map<string, KnownRule>,
): RuleExplanation[] {
  const explained: Array<RuleExplanation & { index: number }> = [];
  for (const run of runs) {
    for (const [list, fired] of [[run.results, true], [run.failureResults, false]] as const) {
      for (const result of list) {
        const rule = rules.get(result.name);
        if (!rule) continue;
        const { name, stage, file, event } = rule.definition;
        explained.push({ index: rule.index, name, stage, file, fired, event, conditions: explainCondition(result.conditions) });
      }
    }
  }
  return explained.sort((a, b) => a.index - b.index).map(({ index: _index, ...rest }) => rest);
}

/** One evaluated json-rules-engine condition (a `Condition` instance) as plain JSON. */
export function explainCondition(node: unknown): ExplainedCondition {
  const n = (node ?? {}) as Record<string, unknown>;
  const own = typeof n.result === 'boolean' ? n.result : null;
  // json-rules-engine records results on leaves only; a group's follows from its children.
  if (Array.isArray(n.all)) {
    const all = n.all.map(explainCondition);
    return { all, result: own ?? combine(all.map((c) => c.result), false) };
  }
  if (Array.isArray(n.any)) {
    const any = n.any.map(explainCondition);
    return { any, result: own ?? combine(any.map((c) => c.result), true) };
  }
  if (n.not !== undefined && n.operator === 'not') {
    const not = explainCondition(n.not);
    return { not, result: own ?? (not.result === null ? null : !not.result) };
  }
  const leaf: ExplainedCondition = {
    fact: String(n.fact),
    operator: String(n.operator),
    value: n.value,
    factResult: n.factResult ?? null,
    result: own,
  };
  if (typeof n.path === 'string') leaf.path = n.path;
  if (n.valueResult !== undefined && isFactReference(n.value)) leaf.valueResult = n.valueResult;
  return leaf;
}

/** `all` (decisive = false) or `any` (decisive = true) over results that may be unknown. */
function combine(results: Array<boolean | null>, decisive: boolean): boolean | null {
  if (results.includes(decisive)) return decisive;
  return results.includes(null) ? null : !decisive;
}

function isFactReference(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { fact?: unknown }).fact === 'string';
}

/** A fact as people read it in an explanation: its Chinese label and its name, `金额(元) amount` (the name alone when not declared). */
export function factWithLabel(name: string, facts: FactRegistry = FACTS): string {
  const d = facts.declaration(name);
  return d ? `${d.label.zh} ${name}` : name;
}

/** Facts a rule read, for people: `类别 category="PROPERTY_LOSS", 金额(元) amount=5000.01`. */
export function describeFacts(values: Record<string, unknown>, facts: FactRegistry = FACTS): string {
  return Object.entries(values)
    .map(([name, value]) => `${factWithLabel(name, facts)}=${JSON.stringify(value)}`)
    .join(', ');
}
