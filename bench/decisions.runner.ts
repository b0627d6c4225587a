/**
 * One evaluator of the decisions bench in its own process (forked by decisions.bench.ts), as the
 * service runs one evaluator: no other evaluator's type feedback or garbage reaches its code. It
 * builds the seeded mix and reads every repeat count itself (same seed, same mix as every other
 * child), warms up, then runs a slice of decisions each time the parent asks and reports that
 * slice's latencies, its own process CPU time and, when asked, a digest per decision of the slice.
 */
import path from 'node:path';
import { BusinessCalendar } from '../src/calendar/business-calendar';
import { DecisionInput, RuleEngine, RuleEngineOptions } from '../src/rules/rule-engine';
import { loadRulePack } from '../src/rules/rule-pack.loader';
import type { Decision } from '../src/rules/types';
import { decideByHand, PolicyDecision } from './decisions.floor';
import { decisionDigest } from './support/decision-digest';
import { incidentMix } from './support/incident-mix';
import { scaledPack } from './support/scaled-pack';

const RULES_DIR = path.join(__dirname, '..', '..', 'rules');

export type EvaluatorKind = 'compiled' | 'plain' | 'naive' | 'per-category' | 'floor';

/** What the parent forks a child for (its one argument, as JSON). */
export interface RunnerSpec {
  kind: EvaluatorKind;
  /** The shipped pack's rules times this (scaledPack); 1 for the shipped pack. */
  factor: number;
  incidents: number;
  /** Decisions per slice. */
  perRound: number;
  /** Untimed decisions before the first slice. */
  warm: number;
}

/** The parent's requests. */
export type RunnerRequest =
  | { type: 'slice'; keep: boolean; /** The time (ms since the epoch) after which no decision starts. */ deadline: number }
  /** The reference digests: `decide()` (the service's path) on every incident, whole and policy-only. */
  | { type: 'reference' };

/** The child's answers, one per request (and `ready` once warm). */
export type RunnerReply =
  | { type: 'ready' }
  | { type: 'slice'; latenciesMs: Float64Array; cpu: NodeJS.CpuUsage; digests: [number, string][] }
  | { type: 'reference'; whole: string[]; policy: string[] };

type Decider = (input: DecisionInput, repeatIncidents30d: number) => Decision | PolicyDecision | Promise<Decision | PolicyDecision>;

const JSON_RULES_ENGINE: Record<Exclude<EvaluatorKind, 'compiled' | 'floor'>, RuleEngineOptions> = {
  plain: { evaluator: 'json-rules-engine', jsonRulesEngine: 'plain' },
  naive: { evaluator: 'json-rules-engine', jsonRulesEngine: 'naive' },
  'per-category': { evaluator: 'json-rules-engine' },
};

async function main(spec: RunnerSpec): Promise<void> {
  const shipped = loadRulePack(RULES_DIR);
  const pack = scaledPack(shipped, spec.factor);
  const { inputs, dynamicFacts } = incidentMix(shipped.catalog, spec.incidents);
  const repeats = await Promise.all(inputs.map((i) => (i.customerId ? dynamicFacts.repeatIncidents30d(i.customerId, i.reportedAt) : 0)));
  let decide: Decider;
  let engine: RuleEngine | null = null;
  if (spec.kind === 'floor') {
    const calendar = new BusinessCalendar(pack.catalog.calendar);
    decide = (input, repeat) => decideByHand(input, input.customerId ? repeat : 0, calendar);
  } else {
    const e = new RuleEngine(pack, spec.kind === 'compiled' ? {} : JSON_RULES_ENGINE[spec.kind]);
    if (spec.kind === 'compiled' && e.evaluator !== 'compiled') throw new Error(`the pack ${pack.version} did not compile`);
    decide = (input, repeatIncidents30d) => e.decideOn(input, { repeatIncidents30d });
    engine = e;
  }
  const policyOnly = spec.kind === 'floor';
  const collectGarbage = (globalThis as { gc?: () => void }).gc;
  if (!collectGarbage) throw new Error('decisions.runner needs --expose-gc');

  let next = 0;
  const slice = async (keep: boolean, deadline: number): Promise<RunnerReply> => {
    // A full collection, and a pause for V8's background sweeping, so no slice pays for the one before.
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const latenciesMs = new Float64Array(spec.perRound);
    const first = next;
    const until = deadline - performance.timeOrigin;
    let n = 0;
    const cpu = process.cpuUsage();
    for (; n < spec.perRound && performance.now() < until; n++) {
      const i = next++ % inputs.length;
      const start = performance.now();
      const decision = decide(inputs[i], repeats[i]);
      if (decision instanceof Promise) await decision;
      latenciesMs[n] = performance.now() - start;
    }
    const used = process.cpuUsage(cpu);
    // The slice's decisions again, untimed, for the comparison: kept during the slice, they
    // survived every scavenge and were copied (the floor's slices that kept 50,000 cost 3.7–4.6 µs
    // of CPU per decision against 0.9 µs).
    const digests: [number, string][] = [];
    for (let k = 0; keep && k < n; k++) {
      const i = (first + k) % inputs.length;
      digests.push([i, decisionDigest(await decide(inputs[i], repeats[i]), policyOnly)]);
    }
    return { type: 'slice', latenciesMs: latenciesMs.subarray(0, n), cpu: used, digests };
  };
  const reference = async (): Promise<RunnerReply> => {
    if (!engine || engine.evaluator !== 'compiled') throw new Error('the reference is the compiled evaluator');
    const whole: string[] = [];
    const policy: string[] = [];
    for (const input of inputs) {
      const decision = await engine.decide(input, { now: new Date(0), dynamicFacts });
      whole.push(decisionDigest(decision));
      policy.push(decisionDigest(decision, true));
    }
    return { type: 'reference', whole, policy };
  };

  for (let n = 0; n < spec.warm; n++) await decide(inputs[n % inputs.length], repeats[n % inputs.length]);
  process.on('message', (request: RunnerRequest) => {
    const answer = request.type === 'slice' ? slice(request.keep, request.deadline) : reference();
    answer.then(
      (reply) => process.send?.(reply),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  process.send?.({ type: 'ready' } satisfies RunnerReply);
}

main(JSON.parse(process.argv[2]) as RunnerSpec).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
