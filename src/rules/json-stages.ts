/**
 * The reference evaluator: json-rules-engine runs each stage's rules. `explain()` always uses it
 * (its condition trees with fact values are the explanation); decisions use it when a
 * RuleEngine is built with `evaluator: 'json-rules-engine'` or the pack does not compile.
 */
import type { RuleProperties, RuleResult } from 'json-rules-engine';
import { EnginePool } from './engine-pool';
import type { PackRule } from './pack-rules';
import { stagesOf } from './pack-rules';
import { rootCategories } from './rule-conditions';
import { BUILT_IN_LANGUAGE, ConditionLanguage } from './condition-language';

/**
 * How decisions run a stage on json-rules-engine:
 * - 'per-category': only the rules that can fire for the input's category, on pooled Engines;
 * - 'plain': all of the stage's rules on a reused Engine (json-rules-engine the plain way);
 * - 'naive': all of them on a new Engine per run.
 */
export type JsonRulesEngineMode = 'per-category' | 'plain' | 'naive';

/** One stage's evaluation: the facts it read and json-rules-engine's results. */
export interface StageRun {
  stage: number;
  facts: Record<string, unknown>;
  results: RuleResult[];
  failureResults: RuleResult[];
}

/** One stage's rules, with Engines built on first use. */
export class JsonStage {
  private allPool?: EnginePool;
  private naivePool?: EnginePool;
  private categoryPools?: { byCategory: Map<string, EnginePool>; unlimited: EnginePool };

  constructor(readonly stage: number, readonly rules: PackRule[], private readonly language: ConditionLanguage = BUILT_IN_LANGUAGE) {}

  /** Engines over every rule of the stage, reused run after run. */
  get all(): EnginePool {
    return (this.allPool ??= this.pool(this.rules));
  }

  /** The Engines a decision of `category` runs on in `mode`. */
  poolFor(category: string, mode: JsonRulesEngineMode): EnginePool {
    if (mode === 'plain') return this.all;
    if (mode === 'naive') return (this.naivePool ??= this.pool(this.rules, 0));
    const pools = (this.categoryPools ??= planCategories(this.rules, (rules) => this.pool(rules)));
    return pools.byCategory.get(category) ?? pools.unlimited;
  }

  private pool(rules: PackRule[], maxIdle?: number): EnginePool {
    return new EnginePool(toProps(rules), maxIdle, this.language.engineOperators());
  }
}

/** The pack's stages, lowest first. */
export function jsonStages(rules: PackRule[], language: ConditionLanguage = BUILT_IN_LANGUAGE): JsonStage[] {
  return stagesOf(rules).map((stage) => new JsonStage(stage, rules.filter((r) => r.definition.stage === stage), language));
}

/** Rules that can fire for a category: those limited to it plus those not limited at all. */
function planCategories(rules: PackRule[], pool: (rules: PackRule[]) => EnginePool): { byCategory: Map<string, EnginePool>; unlimited: EnginePool } {
  const limits = rules.map((r) => rootCategories(r.definition.conditions));
  const unlimited = rules.filter((_r, i) => limits[i] === null);
  const byCategory = new Map<string, EnginePool>();
  for (const category of new Set(limits.flatMap((l) => l ?? []))) {
    byCategory.set(category, pool(rules.filter((_r, i) => limits[i] === null || limits[i]!.includes(category))));
  }
  return { byCategory, unlimited: pool(unlimited) };
}

function toProps(rules: PackRule[]): RuleProperties[] {
  return rules.map((r) => ({
    name: r.definition.name,
    conditions: r.definition.conditions as never,
    event: { type: r.definition.event.type, params: r.definition.event.params },
    priority: 1,
  }));
}
