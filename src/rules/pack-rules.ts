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

/**
 * The facts of a decision: the report facts of `input` (missing ones null) in REPORT_FACTS
 * order, then repeatIncidents30d. Written out as literals here and in stageFacts: V8 builds an
 * object key by key, or a spread with extra keys, in microseconds, more than the rules cost
 * (pack-rules.spec.ts checks the keys against REPORT_FACTS and stageFactNames).
 */
export function reportFacts(input: { readonly [F in (typeof REPORT_FACTS)[number]]?: Facts[F] }, repeatIncidents30d: number): Facts {
  return {
    category: (input.category ?? null) as string,
    subtype: input.subtype ?? null,
    amount: input.amount ?? null,
    propertyOwner: input.propertyOwner ?? null,
    injured: input.injured ?? null,
    outageMinutes: input.outageMinutes ?? null,
    escalating: input.escalating ?? null,
    mediaAttention: input.mediaAttention ?? null,
    legalThreat: input.legalThreat ?? null,
    channel: input.channel ?? null,
    customerTier: input.customerTier ?? null,
    repeatIncidents30d,
  };
}

/** The values a stage runs on (see stageFactNames): a copy of the facts, plus from stage 2 what earlier stages decided. */
export function stageFacts(stage: number, facts: Facts, partial: PartialDecision): Record<string, unknown> {
  if (stage <= 1) return { ...facts };
  return {
    category: facts.category,
    subtype: facts.subtype,
    amount: facts.amount,
    propertyOwner: facts.propertyOwner,
    injured: facts.injured,
    outageMinutes: facts.outageMinutes,
    escalating: facts.escalating,
    mediaAttention: facts.mediaAttention,
    legalThreat: facts.legalThreat,
    channel: facts.channel,
    customerTier: facts.customerTier,
    repeatIncidents30d: facts.repeatIncidents30d,
    severity: partial.severity,
    ownerDepartment: partial.ownerDepartment,
  };
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
