import { Engine, EngineResult, Operator, RuleProperties } from 'json-rules-engine';

/** The compiled evaluator (condition-compiler.ts) reproduces json-rules-engine under exactly these options. */
const ENGINE_OPTIONS = { allowUndefinedFacts: false, allowUndefinedConditions: false, replaceFactsInEventParams: false };

/**
 * json-rules-engine Engines over one fixed rule list, each lent to one run at a time.
 *
 * Invariant: an Engine is never shared by overlapping runs. Its `run()` keeps a single status
 * flag, so the first of two overlapping runs to finish makes the other skip rules
 * (json-rules-engine issue #303). An engine whose run failed is dropped, not reused: the failed
 * run's trailing promise chain may still write that flag.
 */
export class EnginePool {
  private readonly idle: Engine[] = [];

  constructor(
    private readonly rules: RuleProperties[],
    private readonly maxIdle = 64,
    /** The pack's custom operators, added to every Engine. */
    private readonly operators: readonly Operator[] = [],
  ) {}

  /** How many rules each run evaluates. */
  get ruleCount(): number {
    return this.rules.length;
  }

  /** Runs the rules on `facts` with an engine no other run is using. */
  async run(facts: Record<string, unknown>): Promise<EngineResult> {
    const engine = this.idle.pop() ?? this.create();
    const result = await engine.run(facts); // on failure the engine is dropped, not returned
    if (this.idle.length < this.maxIdle) this.idle.push(engine);
    return result;
  }

  private create(): Engine {
    // The engine keeps (and may annotate) what it is given: hand it its own copy.
    const engine = new Engine(structuredClone(this.rules), ENGINE_OPTIONS);
    for (const op of this.operators) engine.addOperator(op);
    return engine;
  }
}
