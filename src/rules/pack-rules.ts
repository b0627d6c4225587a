/**
 * What both evaluators share about a pack's rules: each rule prepared once (frozen definition,
 * the facts it reads, its reason template), the facts every stage runs on, and how a rule that
 * holds becomes a FiredRule. Sharing these keeps the two evaluators' decisions identical by
 * construction everywhere except in which rules hold.
 */
import type { PartialDecision } from './decision-algebra';
import { factsRead } from './rule-conditions';
import { compileReason } from './rule-reason';
import type { Facts, FiredRule, RuleDefinition, RuleEvent, RulePack } from './types';
import { DECIDED_FACTS, REPORT_FACTS } from './types';

export const REPEAT_FACT = 'repeatIncidents30d';

/** One rule ready to run: its definition, pack position, the facts its conditions read, its reason. */
export interface PackRule {
  index: number;
  definition: Readonly<RuleDefinition & { file: string }>;
  facts: string[];
  reason: (facts: Record<string, unknown>) => FiredRule['reason'];
}

/** The pack's rules in pack order, each frozen (a copy: the pack stays the caller's). */
export function prepareRules(pack: RulePack): PackRule[] {
  return pack.rules.map((rule, index): PackRule => {
    const definition = deepFreeze(structuredClone(rule));
    return { index, definition, facts: factsRead(definition.conditions), reason: compileReason(definition.reason) };
  });
}

/** The facts a stage runs on: the report facts, repeatIncidents30d and, from stage 2, what earlier stages decided. */
export function stageFactNames(stage: number): ReadonlySet<string> {
  return new Set<string>([...REPORT_FACTS, REPEAT_FACT, ...(stage > 1 ? DECIDED_FACTS : [])]);
}

/** The values a stage runs on (see stageFactNames). */
export function stageFacts(stage: number, facts: Facts, partial: PartialDecision): Record<string, unknown> {
  return stage > 1
    ? { ...facts, severity: partial.severity, ownerDepartment: partial.ownerDepartment }
    : { ...facts };
}

/** A rule that held on `values`: its event, rendered reason and the facts it read. */
export function firedRule(rule: PackRule, values: Record<string, unknown>): FiredRule {
  const { definition } = rule;
  const facts: Record<string, unknown> = {};
  for (const fact of rule.facts) facts[fact] = values[fact] ?? null;
  const out: FiredRule = { name: definition.name, stage: definition.stage, event: definition.event as RuleEvent, facts };
  const reason = rule.reason(values);
  if (reason) out.reason = reason;
  return out;
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
