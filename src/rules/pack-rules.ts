/**
 * What both evaluators share about a pack's rules: each rule prepared once (frozen definition,
 * the facts it reads, its reason template), the facts every stage runs on, and how a rule that
 * holds becomes a FiredRule. Sharing these keeps the two evaluators' decisions identical by
 * construction everywhere except in which rules hold.
 */
import type { PartialDecision } from './decision-algebra';
import { factsRead } from './rule-conditions';
import { compileReason } from './rule-reason';
import { FACTS, factPicker, REPEAT_FACT } from './facts';
import type { Facts, FiredRule, RuleDefinition, RuleEvent, RulePack } from './types';

export { REPEAT_FACT };

/** One rule ready to run: its definition, pack position, the facts its conditions read, its reason. */
export interface PackRule {
  index: number;
  definition: Readonly<RuleDefinition & { file: string }>;
  facts: string[];
  /** The values of `facts`, missing ones null, as a fired rule shows them (a generated literal: factPicker). */
  pickFacts: (values: Record<string, unknown>) => Record<string, unknown>;
  reason: (facts: Record<string, unknown>) => FiredRule['reason'];
}

/** The pack's rules in pack order, each frozen (a copy: the pack stays the caller's). */
export function prepareRules(pack: RulePack): PackRule[] {
  return pack.rules.map((rule, index): PackRule => {
    const definition = deepFreeze(structuredClone(rule));
    const facts = factsRead(definition.conditions);
    return { index, definition, facts, pickFacts: factPicker(facts), reason: compileReason(definition.reason) };
  });
}

/** The facts a stage runs on: the report facts, the dynamic ones and, from stage 2, what earlier stages decided. */
export function stageFactNames(stage: number): ReadonlySet<string> {
  return new Set<string>(FACTS.forStage(stage));
}

/**
 * The facts of a decision: the report facts of `input` (missing ones null) in the registry's
 * order, then the dynamic ones at 0 (the engine sets those it reads). One generated object
 * literal (facts.ts), as fast as one written out.
 */
export const reportFacts: (input: object) => Facts = FACTS.reportFacts;

/** The values a stage runs on (see stageFactNames): a copy of the facts, plus from stage 2 what earlier stages decided. */
export const stageFacts: (stage: number, facts: Facts, partial: PartialDecision) => Record<string, unknown> = FACTS.stageFacts;

/** A rule that held on `values`: its event, rendered reason and the facts it read. */
export function firedRule(rule: PackRule, values: Record<string, unknown>): FiredRule {
  const { name, stage, event } = rule.definition;
  const facts = rule.pickFacts(values);
  const reason = rule.reason(values);
  // Two literals of one key order, so every fired rule has one of two shapes.
  return reason ? { name, stage, event: event as RuleEvent, facts, reason } : { name, stage, event: event as RuleEvent, facts };
}

/** The distinct stages of `rules`, lowest first. */
export function stagesOf(rules: PackRule[]): number[] {
  return [...new Set(rules.map((r) => r.definition.stage))].sort((a, b) => a - b);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
