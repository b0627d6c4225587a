/**
 * Decides an incident with a loaded rule pack. json-rules-engine evaluates the conditions;
 * the decision algebra folds the fired events. Everything about evaluation stays behind
 * `RuleEngine`, so a compiled fast path can replace it without touching callers.
 */
import type { RuleResult } from 'json-rules-engine';
import { BusinessCalendar } from '../calendar/business-calendar';
import { applyStage, DueClock, emptyDecision, finishDecision, foldRefundSteps, PartialDecision } from './decision-algebra';
import { EnginePool } from './engine-pool';
import { factsRead, rootCategories } from './rule-conditions';
import { explainRuns, Explanation } from './rule-explain';
import { renderReason } from './rule-reason';
import type { Decision, Duration, Facts, FiredRule, RuleDefinition, RuleEvent, RulePack } from './types';
import { REPORT_FACTS } from './types';

/** What a decision is made on: the report's facts, who the customer is and when it was reported. */
export type DecisionInput = Omit<Facts, 'repeatIncidents30d'> & {
  customerId?: string | null;
  /** Due times and deadlines count from here. */
  reportedAt: Date;
};

/** A refund's chain is decided on its incident's facts with `amount` = the refund's amount. */
export type RefundChainInput = Omit<DecisionInput, 'reportedAt'> & { reportedAt?: Date };

/** Facts read from storage while deciding. */
export interface DynamicFacts {
  /** The customer's earlier non-drill incidents in the 30 days before `before`. */
  repeatIncidents30d(customerId: string, before: Date): Promise<number>;
}

export interface DecideDeps {
  /** The evaluation time (the clock); due times count from `input.reportedAt`. */
  now: Date;
  dynamicFacts: DynamicFacts;
}

/** One rule ready to run: its definition, pack position and the facts its conditions read. */
export interface CompiledRule {
  index: number;
  definition: Readonly<RuleDefinition & { file: string }>;
  facts: string[];
}

/** One stage's rules, with engines for all of them and for each category's share. */
interface StagePlan {
  stage: number;
  rules: CompiledRule[];
  all: EnginePool;
  /** Rules that can fire for a category: those limited to it plus those not limited at all. */
  byCategory: Map<string, EnginePool>;
  /** The rules not limited to any category (for a category no rule names). */
  unlimited: EnginePool;
}

/** One stage's evaluation: the facts it read and json-rules-engine's results. */
export interface StageRun {
  stage: number;
  facts: Record<string, unknown>;
  results: RuleResult[];
  failureResults: RuleResult[];
}

interface Evaluation {
  facts: Facts;
  partial: PartialDecision;
  fired: FiredRule[];
  runs: StageRun[];
}

const REPEAT_FACT = 'repeatIncidents30d';

/**
 * The rule pack made executable. Build one per loaded pack (cheap, synchronous) and share it:
 * every method is safe under any number of concurrent calls.
 */
export class RuleEngine {
  /** The business calendar of the pack's catalog. */
  readonly calendar: BusinessCalendar;
  private readonly stages: StagePlan[];
  private readonly byName: Map<string, CompiledRule>;
  /** Categories whose rules read repeatIncidents30d ('*' = rules for any category do). */
  private readonly repeatCategories: Set<string>;

  constructor(readonly pack: RulePack) {
    this.calendar = new BusinessCalendar(pack.catalog.calendar);
    const compiled = pack.rules.map((rule, index): CompiledRule => ({
      index,
      definition: deepFreeze(structuredClone(rule)),
      facts: factsRead(rule.conditions),
    }));
    this.byName = new Map(compiled.map((r) => [r.definition.name, r]));
    this.stages = [...new Set(compiled.map((r) => r.definition.stage))].sort((a, b) => a - b)
      .map((stage) => planStage(stage, compiled.filter((r) => r.definition.stage === stage)));
    this.repeatCategories = new Set();
    for (const rule of compiled) {
      if (!rule.facts.includes(REPEAT_FACT)) continue;
      for (const c of rootCategories(rule.definition.conditions) ?? ['*']) this.repeatCategories.add(c);
    }
  }

  /** The pack's version, e.g. `2026.11-default-policy@3f2a…`. */
  get version(): string {
    return this.pack.version;
  }

  /** Decides an incident: severity, owner, notify, actions with due times, refund chain, fired rules. */
  async decide(input: DecisionInput, deps: DecideDeps): Promise<Decision> {
    const { facts, partial, fired } = await this.evaluate(input, deps.dynamicFacts, 'fast');
    return this.finish(partial, fired, facts, input.reportedAt);
  }

  /**
   * The approval chain of a refund of `input.amount` on an incident with these facts: the
   * chain the rules decide, or the catalog's default chain when they decide none (steps the
   * rules insert, such as PRESIDENT_APPROVAL over 50000, apply to either).
   */
  async refundChainFor(input: RefundChainInput, dynamicFacts?: DynamicFacts): Promise<string[]> {
    const reportedAt = input.reportedAt ?? new Date(0);
    const { partial } = await this.evaluate({ ...input, reportedAt }, dynamicFacts ?? null, 'fast');
    const decided = foldRefundSteps(partial.events);
    if (decided.length > 0) return decided;
    return foldRefundSteps(partial.events.filter((e) => e.type !== 'refundChain'), this.pack.catalog.defaultRefundChain);
  }

  /** The decision and, for every rule of the pack (fired or not), its condition tree with results. */
  async explain(input: DecisionInput, deps: DecideDeps): Promise<Explanation> {
    const { facts, partial, fired, runs } = await this.evaluate(input, deps.dynamicFacts, 'full');
    const decision = this.finish(partial, fired, facts, input.reportedAt);
    return { decision, rules: explainRuns(runs, this.byName) };
  }

  private finish(partial: PartialDecision, fired: FiredRule[], facts: Facts, reportedAt: Date): Decision {
    return finishDecision(partial, {
      catalog: this.pack.catalog,
      clock: memoized(this.calendar),
      reportedAt,
      ruleSetVersion: this.pack.version,
      firedRules: fired,
      facts,
    });
  }

  /**
   * Runs the stages in order; stage N > 1 also reads the severity and owner decided so far.
   * 'fast' runs only the rules that can fire for the input's category; 'full' runs them all.
   */
  private async evaluate(input: DecisionInput, dynamicFacts: DynamicFacts | null, mode: 'fast' | 'full'): Promise<Evaluation> {
    const facts = await this.factsOf(input, dynamicFacts);
    let partial = emptyDecision(this.pack.catalog);
    const fired: FiredRule[] = [];
    const runs: StageRun[] = [];
    for (const plan of this.stages) {
      const pool = mode === 'full' ? plan.all : (plan.byCategory.get(input.category) ?? plan.unlimited);
      if (pool.ruleCount === 0) continue;
      const stageFacts: Record<string, unknown> = plan.stage > 1
        ? { ...facts, severity: partial.severity, ownerDepartment: partial.ownerDepartment }
        : { ...facts };
      const result = await pool.run(stageFacts);
      runs.push({ stage: plan.stage, facts: stageFacts, results: result.results, failureResults: result.failureResults });
      const stageFired = result.results
        .map((r) => this.byName.get(r.name)!)
        .sort((a, b) => a.index - b.index)
        .map((rule) => firedRule(rule, stageFacts));
      if (stageFired.length === 0) continue;
      partial = applyStage(partial, stageFired.map((f) => f.event), this.pack.catalog);
      fired.push(...stageFired);
    }
    return { facts, partial, fired, runs };
  }

  /** The report facts (missing ones as null) plus repeatIncidents30d, fetched only when a rule for this category reads it. */
  private async factsOf(input: DecisionInput, dynamicFacts: DynamicFacts | null): Promise<Facts> {
    const facts: Record<string, unknown> = {};
    for (const fact of REPORT_FACTS) facts[fact] = input[fact] ?? null;
    const needed = this.repeatCategories.has('*') || this.repeatCategories.has(input.category);
    facts[REPEAT_FACT] = needed && input.customerId && dynamicFacts
      ? await dynamicFacts.repeatIncidents30d(input.customerId, input.reportedAt)
      : 0;
    return facts as unknown as Facts;
  }
}

function planStage(stage: number, rules: CompiledRule[]): StagePlan {
  const toProps = (list: CompiledRule[]) => list.map((r) => ({
    name: r.definition.name,
    conditions: r.definition.conditions as never,
    event: { type: r.definition.event.type, params: r.definition.event.params },
    priority: 1,
  }));
  const limits = rules.map((r) => rootCategories(r.definition.conditions));
  const unlimited = rules.filter((_r, i) => limits[i] === null);
  const byCategory = new Map<string, EnginePool>();
  for (const category of new Set(limits.flatMap((l) => l ?? []))) {
    byCategory.set(category, new EnginePool(toProps(rules.filter((_r, i) => limits[i] === null || limits[i]!.includes(category)))));
  }
  return { stage, rules, all: new EnginePool(toProps(rules)), byCategory, unlimited: new EnginePool(toProps(unlimited)) };
}

function firedRule(rule: CompiledRule, stageFacts: Record<string, unknown>): FiredRule {
  const { definition } = rule;
  const facts: Record<string, unknown> = {};
  for (const fact of rule.facts) facts[fact] = stageFacts[fact] ?? null;
  const out: FiredRule = { name: definition.name, stage: definition.stage, event: definition.event as RuleEvent, facts };
  const reason = renderReason(definition.reason, stageFacts);
  if (reason) out.reason = reason;
  return out;
}

/**
 * One decision often asks for the same span twice (REFUND and the SERIOUS deadline are both 3
 * working days) and calendar arithmetic is the costliest part of a decision: count each once.
 */
function memoized(calendar: DueClock): DueClock {
  const seen = new Map<string, Date | null>();
  return {
    addDuration(from: Date, d: Duration) {
      const key = `${from.getTime()}|${Object.entries(d).map(([k, v]) => `${k}=${String(v)}`).join(',')}`;
      if (!seen.has(key)) seen.set(key, calendar.addDuration(from, d));
      const due = seen.get(key)!;
      return due && new Date(due.getTime());
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
