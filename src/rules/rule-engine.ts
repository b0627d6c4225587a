/**
 * Decides an incident with a loaded rule pack. Each rule's conditions are compiled once per pack
 * into synchronous closures with json-rules-engine's exact results (compiled-stages.ts);
 * json-rules-engine itself stays the reference (json-stages.ts): it explains decisions, and it
 * decides when asked to or when a pack does not compile. The decision algebra folds the fired
 * events either way. Everything about evaluation stays behind `RuleEngine`.
 */
import { BusinessCalendar } from '../calendar/business-calendar';
import { CompiledStages } from './compiled-stages';
import { UnsupportedConditionError } from './condition-compiler';
import { applyStage, emptyDecision, finishDecision, foldRefundSteps, PartialDecision } from './decision-algebra';
import { CatalogOrder, catalogOrder, DecisionPlans, decisionPlans } from './decision-plans';
import { DueTimes } from './due-times';
import { JsonRulesEngineMode, jsonStages, JsonStage, StageRun } from './json-stages';
import { PackRule, prepareRules, REPEAT_FACT, reportFacts, stageFacts } from './pack-rules';
import { rootCategories } from './rule-conditions';
import { explainRuns, Explanation } from './rule-explain';
import { RulesFailedError } from './rule-pack.errors';
import type { Decision, Facts, FiredRule, RuleEvent, RulePack } from './types';

export type { JsonRulesEngineMode, StageRun } from './json-stages';

/** Which evaluator decides: the compiled conditions (the default) or json-rules-engine. */
export type RuleEvaluator = 'compiled' | 'json-rules-engine';

export interface RuleEngineOptions {
  /**
   * 'compiled' (default) or 'json-rules-engine'. The two decide identically (the differential
   * test proves it); json-rules-engine is the reference, for benchmarks and tests.
   */
  evaluator?: RuleEvaluator;
  /** How the json-rules-engine evaluator runs a stage (default 'per-category'); see JsonRulesEngineMode. */
  jsonRulesEngine?: JsonRulesEngineMode;
}

/** What a decision is made on: the report's facts, who the customer is and when it was reported. */
export type DecisionInput = Omit<Facts, 'repeatIncidents30d'> & {
  customerId?: string | null;
  /** Due times and deadlines count from here. */
  reportedAt: Date;
  /** When it happened, if known: evidence retention (PRESERVE_CCTV) counts from it. */
  occurredAt?: Date | null;
};

/** A refund's chain is decided on its incident's facts with `amount` = the refund's amount. */
export type RefundChainInput = Omit<DecisionInput, 'reportedAt'> & { reportedAt?: Date };

/** Facts read from storage while deciding. */
export interface DynamicFacts {
  /** The customer's earlier non-drill incidents in the 30 days before `before`. */
  repeatIncidents30d(customerId: string, before: Date): Promise<number>;
}

/** The dynamic facts of one decision, already read (decideOn). */
export interface ReadDynamicFacts {
  /** The customer's earlier non-drill incidents in the 30 days before the report, as DynamicFacts answers it. */
  repeatIncidents30d: number;
}

export interface DecideDeps {
  /** The evaluation time (the clock); due times count from `input.reportedAt`. */
  now: Date;
  dynamicFacts: DynamicFacts;
}

interface Evaluation {
  partial: PartialDecision;
  fired: FiredRule[];
  runs: StageRun[];
}

/**
 * The rule pack made executable. Build one per loaded pack (cheap, synchronous) and share it:
 * every method is safe under any number of concurrent calls.
 */
export class RuleEngine {
  /** The business calendar of the pack's catalog. */
  readonly calendar: BusinessCalendar;
  /**
   * The evaluator deciding: 'compiled' unless json-rules-engine was asked for, or the pack holds
   * conditions the compiler does not reproduce exactly (then json-rules-engine decides them all).
   */
  readonly evaluator: RuleEvaluator;
  private readonly stages: JsonStage[];
  private readonly compiled: CompiledStages | null;
  private readonly jsonMode: JsonRulesEngineMode;
  private readonly byName: Map<string, PackRule>;
  /** Categories whose rules read repeatIncidents30d ('*' = rules for any category do). */
  private readonly repeatCategories: Set<string>;

  /** The pack's Durations as functions of the report time, and its orders (read once: the pack is taken as built). */
  private readonly dueTimes: DueTimes;
  private readonly order: CatalogOrder;
  /** What each action event of the rules and each deadline read of the catalog and the calendar, read once. */
  private readonly plans: DecisionPlans;

  constructor(readonly pack: RulePack, options: RuleEngineOptions = {}) {
    this.calendar = new BusinessCalendar(pack.catalog.calendar);
    this.dueTimes = new DueTimes(this.calendar, pack.catalog);
    this.order = catalogOrder(pack.catalog);
    const rules = prepareRules(pack);
    this.plans = decisionPlans(
      rules.map((r) => r.definition.event as RuleEvent),
      pack.catalog,
      this.dueTimes,
      this.order.actions,
    );
    this.byName = new Map(rules.map((r) => [r.definition.name, r]));
    this.stages = jsonStages(rules, pack.language);
    this.jsonMode = options.jsonRulesEngine ?? 'per-category';
    this.compiled = options.evaluator === 'json-rules-engine' ? null : compile(rules, pack);
    this.evaluator = this.compiled ? 'compiled' : 'json-rules-engine';
    this.repeatCategories = new Set();
    for (const rule of rules) {
      if (!rule.facts.includes(REPEAT_FACT)) continue;
      for (const c of rootCategories(rule.definition.conditions) ?? ['*']) this.repeatCategories.add(c);
    }
  }

  /** The pack's version, e.g. `2026.11-default-policy@3f2a…`. */
  get version(): string {
    return this.pack.version;
  }

  /** Decides an incident: severity, owner, notify, actions with due times, refund chain, fired rules. */
  /** @throws RulesFailedError when a rule throws (naming it); errors reading dynamic facts pass as they are. */
  decide(input: DecisionInput, deps: DecideDeps): Promise<Decision> {
    // No async function: one promise per decision (two when a dynamic fact is read), none awaited
    // on the compiled path, where everything after the facts is synchronous.
    try {
      const known = this.factsOf(input, deps.dynamicFacts);
      if (known instanceof Promise) return known.then((facts) => this.decideFacts(input, facts));
      return Promise.resolve(this.decideFacts(input, known));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * `decide()` on dynamic facts already read: the same decision as `decide()` with DynamicFacts
   * answering `read`. Synchronous on the compiled evaluator; a promise on json-rules-engine, whose
   * run() is asynchronous. For a caller that reads the repeat count itself (the decisions bench
   * times the decision apart from that I/O); the count is used only when `decide()` would read it.
   * @throws RulesFailedError when a rule throws (naming it): thrown on the compiled evaluator, a rejection on json-rules-engine.
   */
  decideOn(input: DecisionInput, read: ReadDynamicFacts): Decision | Promise<Decision> {
    const facts = reportFacts(input);
    if (input.customerId && this.readsRepeats(input.category)) facts.repeatIncidents30d = read.repeatIncidents30d;
    return this.decideFacts(input, facts);
  }

  private decideFacts(input: DecisionInput, facts: Facts): Decision | Promise<Decision> {
    if (this.compiled) return this.decideNow(facts, input.reportedAt, input.occurredAt);
    return this.runEngines(input, facts, 'fast').then(
      ({ partial, fired }) => this.finish(partial, fired, facts, input.reportedAt, input.occurredAt),
      (error: unknown) => {
        throw this.failure(error, facts);
      },
    );
  }

  /** The compiled evaluator's decision on known facts: synchronous. */
  private decideNow(facts: Facts, reportedAt: Date, occurredAt?: Date | null): Decision {
    try {
      const { partial, fired } = this.compiled!.evaluate(facts);
      return this.finish(partial, fired, facts, reportedAt, occurredAt);
    } catch (error) {
      throw this.failure(error, facts);
    }
  }

  /**
   * The catalog's fallback decision for a report the rules failed on: severity, owner, notify
   * and actions as `catalog.fallback` says, deadlines and due times as for any decision, no
   * fired rules, `fallback: true` and the failure. Pure: it cannot fail on a loaded pack.
   */
  fallbackDecision(input: DecisionInput, failed: RulesFailedError): Decision {
    const { fallback } = this.pack.catalog;
    const events: RuleEvent[] = [
      { type: 'severity', params: { level: fallback.severity } },
      { type: 'owner', params: { department: fallback.ownerDepartment } },
      ...(fallback.notifyDepartments.length ? [{ type: 'notify', params: { departments: fallback.notifyDepartments } } as RuleEvent] : []),
      ...fallback.actions.map((code): RuleEvent => ({ type: 'action', params: { code } })),
    ];
    const partial = applyStage(emptyDecision(this.pack.catalog), events, this.pack.catalog);
    const decision = this.finish(partial, [], failed.facts ?? reportFacts(input), input.reportedAt, input.occurredAt);
    decision.fallback = true;
    decision.failure = failed.failure;
    return decision;
  }

  /** The error a failed evaluation is answered with: the rule that threw, found by running each rule alone. */
  private failure(error: unknown, facts: Facts): RulesFailedError {
    if (error instanceof RulesFailedError) return error;
    const found = this.compiled?.failingRule(facts) ?? null;
    const cause = found ? found.error : error;
    const message = (cause instanceof Error ? cause.message : String(cause)).slice(0, 500);
    const rule = found?.rule.definition ?? null;
    return new RulesFailedError({ rule: rule?.name ?? null, file: rule?.file ?? null, message }, facts);
  }

  /**
   * The approval chain of a refund of `input.amount` on an incident with these facts: the
   * chain the rules decide, or the catalog's default chain when they decide none (steps the
   * rules insert, such as PRESIDENT_APPROVAL over 50000, apply to either).
   */
  async refundChainFor(input: RefundChainInput, dynamicFacts?: DynamicFacts): Promise<string[]> {
    const at = { ...input, reportedAt: input.reportedAt ?? new Date(0) };
    const facts = await this.factsOf(at, dynamicFacts ?? null);
    let partial: PartialDecision;
    try {
      ({ partial } = this.compiled ? this.compiled.evaluate(facts) : await this.runEngines(at, facts, 'fast'));
    } catch (error) {
      throw this.failure(error, facts);
    }
    const decided = foldRefundSteps(partial.events);
    if (decided.length > 0) return decided;
    return foldRefundSteps(partial.events.filter((e) => e.type !== 'refundChain'), this.pack.catalog.defaultRefundChain);
  }

  /** The decision and, for every rule of the pack (fired or not), its condition tree with results. */
  async explain(input: DecisionInput, deps: DecideDeps): Promise<Explanation> {
    const facts = await this.factsOf(input, deps.dynamicFacts);
    try {
      const { partial, fired, runs } = await this.runEngines(input, facts, 'full');
      const decision = this.finish(partial, fired, facts, input.reportedAt, input.occurredAt);
      return { decision, rules: explainRuns(runs, this.byName) };
    } catch (error) {
      throw this.failure(error, facts);
    }
  }

  private finish(partial: PartialDecision, fired: FiredRule[], facts: Facts, reportedAt: Date, occurredAt?: Date | null): Decision {
    return finishDecision(partial, {
      catalog: this.pack.catalog,
      clock: this.dueTimes,
      order: this.order,
      plans: this.plans,
      reportedAt,
      occurredAt,
      ruleSetVersion: this.pack.version,
      firedRules: fired,
      facts,
    });
  }

  /**
   * Runs the stages on json-rules-engine, in order; stage N > 1 also reads the severity and
   * owner decided so far. 'fast' runs the Engines the configured mode picks for the input's
   * category; 'full' runs every rule and keeps json-rules-engine's results for explanations.
   */
  private async runEngines(input: DecisionInput, facts: Facts, mode: 'fast' | 'full'): Promise<Evaluation> {
    let partial = emptyDecision(this.pack.catalog);
    const fired: FiredRule[] = [];
    const runs: StageRun[] = [];
    for (const plan of this.stages) {
      const pool = mode === 'full' ? plan.all : plan.poolFor(input.category, this.jsonMode);
      if (pool.ruleCount === 0) continue;
      const values = stageFacts(plan.stage, facts, partial);
      const result = await pool.run(values);
      runs.push({ stage: plan.stage, facts: values, results: result.results, failureResults: result.failureResults });
      const stageFired = result.results
        .map((r) => this.byName.get(r.name)!)
        .sort((a, b) => a.index - b.index)
        .map((rule) => rule.fired(values));
      if (stageFired.length === 0) continue;
      partial = applyStage(partial, stageFired.map((f) => f.event), this.pack.catalog);
      fired.push(...stageFired);
    }
    return { partial, fired, runs };
  }

  /** Whether a rule for this category reads repeatIncidents30d (so a decision fetches it). */
  readsRepeats(category: string): boolean {
    return this.repeatCategories.has('*') || this.repeatCategories.has(category);
  }

  /**
   * The report facts (missing ones as null) plus repeatIncidents30d, fetched only when a rule
   * for this category reads it: synchronously when nothing is fetched.
   */
  private factsOf(input: DecisionInput, dynamicFacts: DynamicFacts | null): Facts | Promise<Facts> {
    const facts = reportFacts(input);
    return this.readsRepeats(input.category) && input.customerId && dynamicFacts ? withRepeats(facts, input.customerId, input.reportedAt, dynamicFacts) : facts;
  }
}

async function withRepeats(facts: Facts, customerId: string, reportedAt: Date, dynamicFacts: DynamicFacts): Promise<Facts> {
  facts.repeatIncidents30d = await dynamicFacts.repeatIncidents30d(customerId, reportedAt);
  return facts;
}


/** The pack compiled, or null when it holds conditions the compiler does not reproduce exactly. */
function compile(rules: PackRule[], pack: RulePack): CompiledStages | null {
  // json-rules-engine's results name rules; with two rules of one name it would fire the last twice.
  if (new Set(rules.map((r) => r.definition.name)).size !== rules.length) return null;
  try {
    return new CompiledStages(rules, pack.catalog, pack.language);
  } catch (error) {
    if (error instanceof UnsupportedConditionError) return null;
    throw error;
  }
}
