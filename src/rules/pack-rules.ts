/**
 * What both evaluators share about a pack's rules: each rule prepared once (frozen definition,
 * the facts it reads, its reason template), the facts every stage runs on, and how a rule that
 * holds becomes a FiredRule. Sharing these keeps the two evaluators' decisions identical by
 * construction everywhere except in which rules hold.
 */
import type { PartialDecision } from './decision-algebra';
import { factsRead, fixedFacts } from './rule-conditions';
import { reasonFacts, reasonSource } from './rule-reason';
import { FACTS, factPickSource, REPEAT_FACT } from './facts';
import { constant, generatedFunction, literal } from './generated-code';
import type { Facts, FiredRule, RuleDefinition, RulePack } from './types';

export { REPEAT_FACT };

/** One rule ready to run: its definition, pack position, the facts its conditions read, how it fires. */
export interface PackRule {
  index: number;
  definition: Readonly<RuleDefinition & { file: string }>;
  facts: string[];
  /**
   * The rule fired on a stage's values `f`, as a JavaScript expression over `f` and `c` (the
   * constants, which it appends to): one FiredRule literal (firedSource), for generated code.
   */
  firedSource: (constants: unknown[]) => string;
  /** firedSource made a function: the rule held on `values` — its event, rendered reason and the facts it read. */
  fired: (values: Record<string, unknown>) => FiredRule;
}

/** The pack's rules in pack order, each frozen (a copy: the pack stays the caller's). */
export function prepareRules(pack: RulePack): PackRule[] {
  return pack.rules.map((rule, index): PackRule => {
    const definition = deepFreeze(structuredClone(rule));
    const facts = factsRead(definition.conditions);
    const source = (constants: unknown[]) => firedSource(definition, facts, constants);
    const constants: unknown[] = [];
    const fired = generatedFunction<PackRule['fired']>(['f'], `return ${source(constants)};`, constants);
    const fixed = reasonFacts(definition.reason).length === 0 ? fixedFacts(definition.conditions, facts) : null;
    if (!fixed) return { index, definition, facts, firedSource: source, fired };
    // It fires the same FiredRule in every decision: its own literal on the only values those facts can have.
    const shared = deepFreeze(fired(fixed));
    return { index, definition, facts, firedSource: (c) => constant(c, shared), fired: () => shared };
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

/**
 * A rule's FiredRule on `f` as one object literal: name, stage, event (the frozen definition's
 * own), the facts it read (missing ones null) and, when it has a reason, the reason rendered.
 * One key order, so every fired rule has one of two shapes. The event and a reason without
 * placeholders are frozen and shared by every decision (nothing writes to a decision's fired
 * rules); the FiredRule, its facts and a rendered reason are made afresh each time — except when
 * the rule's conditions fix every fact it reads (fixedFacts) and its reason names none: then it
 * fires the same FiredRule in every decision, made once by prepareRules, frozen and shared as well.
 */
function firedSource(definition: PackRule['definition'], facts: readonly string[], constants: unknown[]): string {
  const { name, stage, event, reason } = definition;
  const head = `name: ${literal(constants, name)}, stage: ${literal(constants, stage)}, event: ${constant(constants, event)}`;
  const picked = `facts: ${factPickSource(facts, 'f')}`;
  return reason ? `{ ${head}, ${picked}, reason: ${reasonSource(reason, constants)} }` : `{ ${head}, ${picked} }`;
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
