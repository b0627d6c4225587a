/**
 * Decisions in process: decisions per second and p50/p99 latency of the
 * shipped rule pack on a fixed, seeded mix of 10,000 incidents, for
 * - compiled: RuleEngine's default evaluator (conditions compiled once per pack);
 * - json-rules-engine plain: one reused Engine per stage of the pack, run() per decision
 *   (sequential, so json-rules-engine #303 cannot bite);
 * - json-rules-engine naive: a new Engine per stage per decision;
 * - json-rules-engine per category: the evaluator before the compiled one (Engines over the rules
 *   of the input's category only);
 * - hand-written (the floor): the policy as one plain function (decisions.floor.ts), reading the
 *   repeat count as the engine does, checked to decide exactly as the engine on every input;
 * and how compiled and plain grow with 10× and 100× the rules (copies for categories the
 * incidents never have).
 *
 * What is timed is the decision on known facts, as the service makes it once it has read the
 * customer's 30-day repeat count (an I/O, the same for every evaluator): each incident's count is
 * read before the rounds, for every evaluator alike, and each decision is timed from its report
 * facts on — facts, rules, decision algebra, business calendar. The compiled evaluator
 * (`RuleEngine.decideOn`, synchronous) and the floor are timed as the synchronous calls they are;
 * json-rules-engine's decision is awaited, as its run() must be. The decisions compared are
 * `decide()`'s, the service's path, with the repeat count read asynchronously.
 *
 * The machines are noisy, so every figure is measured in the same run as its baseline, in
 * interleaved rounds (each evaluator gets a slice of every round), and the decisions of the
 * evaluators are compared one by one.
 *
 *   npm run bench:decisions        (= npm run build && node dist/bench/decisions.bench.js)
 *   node dist/bench/decisions.bench.js --quick     (a smoke run: fewer decisions)
 */
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { BusinessCalendar } from '../src/calendar/business-calendar';
import { DecisionInput, DynamicFacts, RuleEngine, RuleEngineOptions } from '../src/rules/rule-engine';
import { loadRulePack } from '../src/rules/rule-pack.loader';
import type { Decision, RulePack } from '../src/rules/types';
import { decideByHand, PolicyDecision } from './decisions.floor';
import { incidentMix } from './support/incident-mix';
import { Latencies, show, table } from './support/latency';
import { scaledPack } from './support/scaled-pack';

const RULES_DIR = path.join(__dirname, '..', '..', 'rules');
const QUICK = process.argv.includes('--quick');
const INCIDENTS = QUICK ? 1_000 : 10_000;
const ROUNDS = QUICK ? 2 : 5;
/** Stop starting new slices after this long, so the run stays under three minutes on a loaded machine. */
const DEADLINE_MS = (QUICK ? 30 : 150) * 1000;
const TARGET_RATIO = 200;
const TARGET_P99_MICROS = 10;
/** The compiled evaluator's CPU per decision, at most this many times the hand-written floor's. */
const TARGET_FLOOR_RATIO = 3;

/** A decision on an incident whose repeat count is already read: synchronous, or a promise (json-rules-engine). */
type Decider = (input: DecisionInput, repeatIncidents30d: number) => Decision | PolicyDecision | Promise<Decision | PolicyDecision>;

interface Variant {
  label: string;
  decide: Decider;
  /** Decisions per round: the whole mix, or a slice of it. */
  perRound: number;
  latencies: Latencies;
  next: number;
  /** Decisions kept for comparing with the compiled evaluator (index → decision). */
  decisions: Map<number, Decision | PolicyDecision>;
}

const started = performance.now();
/**
 * A full collection, and a pause for V8's background sweeping to finish, before every slice:
 * json-rules-engine leaves megabytes of garbage per decision, and without this the next
 * variant's slice would pay for collecting it (in its latencies and its process CPU time).
 */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
const overDeadline = () => performance.now() - started > DEADLINE_MS;

function variant(label: string, pack: RulePack, options: RuleEngineOptions, perRound: number): Variant & { engine: RuleEngine } {
  const engine = new RuleEngine(pack, options);
  const decide: Decider = (input, repeatIncidents30d) => engine.decideOn(input, { repeatIncidents30d });
  return { label, engine, decide, perRound, latencies: new Latencies(), next: 0, decisions: new Map() };
}

/** The hand-written floor, on the repeat count when a customer is named (0 otherwise, as the engine). */
function floorVariant(pack: RulePack, perRound: number): Variant {
  const calendar = new BusinessCalendar(pack.catalog.calendar);
  const decide: Decider = (input, repeats) => decideByHand(input, input.customerId ? repeats : 0, calendar);
  return { label: 'hand-written (the floor: the policy as one plain function)', decide, perRound, latencies: new Latencies(), next: 0, decisions: new Map() };
}

/** The incidents with each one's repeat count, read before anything is timed (the service's I/O, alike for every evaluator). */
interface Workload {
  inputs: DecisionInput[];
  /** repeatIncidents30d of inputs[i] (0 when no customer is named). */
  repeats: number[];
}

/**
 * Runs one round's slice of `v` sequentially, timing every decision: a synchronous decision as
 * the call it is, json-rules-engine's awaited.
 */
async function slice(v: Variant, { inputs, repeats }: Workload, keep: boolean, into: Latencies = v.latencies): Promise<void> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const cpu = process.cpuUsage();
  for (let n = 0; n < v.perRound && !overDeadline(); n++) {
    const i = v.next++ % inputs.length;
    const start = performance.now();
    let decision = v.decide(inputs[i], repeats[i]);
    if (decision instanceof Promise) decision = await decision;
    into.add(performance.now() - start);
    if (keep) v.decisions.set(i, decision);
  }
  into.addCpu(process.cpuUsage(cpu));
}

/** Untimed decisions, so every variant is measured warm (JIT, memoised calendar days, pooled Engines). */
async function warmUp(v: Variant, { inputs, repeats }: Workload, count: number): Promise<void> {
  for (let n = 0; n < count; n++) await v.decide(inputs[n % inputs.length], repeats[n % inputs.length]);
}

/**
 * Interleaved rounds: each variant runs its slice in every round. Returns the variants. A first
 * round runs untimed: the slices right after the warm-up measured two to three times the CPU per
 * decision of the later ones, for every evaluator alike (the background work the first full
 * collections leave behind, on a loaded machine).
 */
async function measure(variants: Variant[], workload: Workload, warm: number[]): Promise<Variant[]> {
  for (const [i, v] of variants.entries()) await warmUp(v, workload, warm[i]);
  for (const v of variants) await slice(v, workload, false, new Latencies());
  for (let round = 0; round < ROUNDS && !overDeadline(); round++) {
    for (const v of variants) await slice(v, workload, v !== variants[0]);
  }
  return variants;
}

/** How many of `other`'s decisions differ from the compiled evaluator's on the same inputs (ruleSetVersion aside). */
async function differences(compiled: RuleEngine, other: Variant, inputs: DecisionInput[], dynamicFacts: DynamicFacts): Promise<number> {
  let different = 0;
  for (const [i, decision] of other.decisions) {
    const fast = await compiled.decide(inputs[i], { now: new Date(0), dynamicFacts });
    if (!isDeepStrictEqual(comparable(fast, decision), comparable(decision, decision))) different++;
  }
  return different;
}

/** A decision as compared: without ruleSetVersion, and only the policy's fields against the floor. */
function comparable(d: Decision | PolicyDecision, other: Decision | PolicyDecision): object {
  if ('firedRules' in other) return { ...d, ruleSetVersion: '' };
  const { severity, ownerDepartment, notifyDepartments, actions, policeReportRequired, refundSteps, acknowledgeBy, resolveBy } = d;
  return { severity, ownerDepartment, notifyDepartments, actions, policeReportRequired, refundSteps, acknowledgeBy, resolveBy };
}

const row = (v: Variant, extra: string[] = []) => [
  v.label,
  show(v.latencies.count),
  show(v.latencies.perCpuSecond),
  show(v.latencies.perSecond),
  show(v.latencies.percentileMicros(0.5)),
  show(v.latencies.percentileMicros(0.99)),
  ...extra,
];

async function main(): Promise<void> {
  const pack = loadRulePack(RULES_DIR);
  const { inputs, dynamicFacts } = incidentMix(pack.catalog, INCIDENTS);
  const repeats = await Promise.all(inputs.map((i) => (i.customerId ? dynamicFacts.repeatIncidents30d(i.customerId, i.reportedAt) : 0)));
  const workload: Workload = { inputs, repeats };
  const ruleCount = pack.rules.length;
  console.log(`# Decisions in process${QUICK ? ' (quick: targets not judged)' : ''}`);
  console.log(
    `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ` +
      `pack ${pack.version}, ${ruleCount} rules; ${INCIDENTS.toLocaleString('en-US')} seeded incidents; ${ROUNDS} interleaved rounds. ` +
      'decisions/s per CPU second is what one core sustains (process CPU time, GC included), robust to other load; ' +
      'wall-clock decisions/s and the latencies include whatever else the machine was doing. ' +
      'Timed: the decision on the pre-read repeat count (compiled and floor synchronously, json-rules-engine awaited).\n',
  );

  // 1. The shipped pack: compiled against json-rules-engine three ways.
  const slice1 = Math.ceil(INCIDENTS / ROUNDS);
  const [compiled, plain, naive, perCategory, floor] = await measure(
    [
      variant('compiled (default)', pack, {}, INCIDENTS),
      variant('json-rules-engine plain (reused Engine, run() per decision)', pack, { evaluator: 'json-rules-engine', jsonRulesEngine: 'plain' }, slice1),
      variant('json-rules-engine naive (new Engine per decision)', pack, { evaluator: 'json-rules-engine', jsonRulesEngine: 'naive' }, Math.ceil(slice1 / 4)),
      variant('json-rules-engine per category (the evaluator before)', pack, { evaluator: 'json-rules-engine' }, Math.ceil(slice1 / 2)),
      floorVariant(pack, INCIDENTS),
    ],
    workload,
    [INCIDENTS, 200, 100, 200, INCIDENTS],
  );
  const compiledEngine = new RuleEngine(pack);
  if (compiledEngine.evaluator !== 'compiled') throw new Error('the shipped pack did not compile');
  const ratio = compiled.latencies.perCpuSecond / plain.latencies.perCpuSecond;
  const wallRatio = compiled.latencies.perSecond / plain.latencies.perSecond;
  const medianRatio = plain.latencies.percentileMicros(0.5) / compiled.latencies.percentileMicros(0.5);
  const p99 = compiled.latencies.percentileMicros(0.99);
  const floorRatio = floor.latencies.perCpuSecond / compiled.latencies.perCpuSecond;
  const times = (v: Variant) => `${show(compiled.latencies.perCpuSecond / v.latencies.perCpuSecond)}×`;
  const header = ['evaluator', 'decisions', 'decisions/s per CPU s', 'decisions/s wall', 'p50 µs', 'p99 µs'];
  console.log(
    table(
      [...header, 'compiled ÷ this'],
      [row(compiled, ['—']), row(plain, [times(plain)]), row(naive, [times(naive)]), row(perCategory, [times(perCategory)]), row(floor, [times(floor)])],
    ),
  );
  const floorMismatches = await differences(compiledEngine, floor, inputs, dynamicFacts);
  const mismatches = (await Promise.all([plain, naive, perCategory].map((v) => differences(compiledEngine, v, inputs, dynamicFacts)))).reduce(
    (a, b) => a + b,
    0,
  );
  const compared = plain.decisions.size + naive.decisions.size + perCategory.decisions.size;
  const verdict = (ok: boolean) => (QUICK ? '' : ok ? ' PASS' : ' FAIL');
  console.log(
    `\ncompiled ÷ plain: ${show(ratio)}× per CPU second (${show(wallRatio)}× wall-clock, ${show(medianRatio)}× at the median; target ≥ ${TARGET_RATIO}×)${verdict(ratio >= TARGET_RATIO)}; ` +
      `compiled p99 ${show(p99)} µs (target < ${TARGET_P99_MICROS} µs)${verdict(p99 < TARGET_P99_MICROS)}; ` +
      `decisions differing from compiled: ${mismatches} of ${compared.toLocaleString('en-US')} compared`,
  );
  console.log(
    `compiled ÷ hand-written floor: ${show(floorRatio)}× the CPU per decision (floor ${show(1e6 / floor.latencies.perCpuSecond)} µs, ` +
      `compiled ${show(1e6 / compiled.latencies.perCpuSecond)} µs; target ≤ ${TARGET_FLOOR_RATIO}×)${verdict(floorRatio <= TARGET_FLOOR_RATIO)}; ` +
      `floor decisions differing from compiled (policy fields): ${floorMismatches} of ${floor.decisions.size.toLocaleString('en-US')}\n`,
  );

  // 2. Growth with the number of rules: compiled and plain on 10× and 100× the rules.
  const growthRow = (rules: string, c: Variant, p: Variant, note = '') => [
    rules,
    show(c.latencies.perCpuSecond),
    show(c.latencies.percentileMicros(0.5)),
    show(c.latencies.percentileMicros(0.99)),
    show(p.latencies.perCpuSecond),
    show(p.latencies.percentileMicros(0.5)),
    `${show(c.latencies.perCpuSecond / p.latencies.perCpuSecond)}×`,
    `${show(p.latencies.count)}${note}`,
  ];
  const growth = [growthRow(`${ruleCount} (1×)`, compiled, plain)];
  const slowdown: string[] = [];
  for (const factor of [10, 100]) {
    const scaled = scaledPack(pack, factor);
    // Plain json-rules-engine costs about `factor` times more per decision: give it fewer.
    const plainPerRound = Math.max(QUICK ? 3 : 6, Math.ceil(slice1 / factor / 3));
    const [c, p] = await measure(
      [
        variant(`compiled ×${factor}`, scaled, {}, INCIDENTS),
        variant(`plain ×${factor}`, scaled, { evaluator: 'json-rules-engine', jsonRulesEngine: 'plain' }, plainPerRound),
      ],
      workload,
      [INCIDENTS, 3],
    );
    const different = await differences(compiledEngine, p, inputs, dynamicFacts);
    growth.push(growthRow(`${scaled.rules.length.toLocaleString('en-US')} (${factor}×)`, c, p, different ? ` (${different} differ!)` : ''));
    slowdown.push(
      `${factor}× the rules: compiled ${show(compiled.latencies.perCpuSecond / c.latencies.perCpuSecond)}× the cost, ` +
        `plain ${show(plain.latencies.perCpuSecond / p.latencies.perCpuSecond)}×`,
    );
  }
  console.log(
    table(
      [
        'rules',
        'compiled decisions/s per CPU s',
        'compiled p50 µs',
        'compiled p99 µs',
        'plain decisions/s per CPU s',
        'plain p50 µs',
        'compiled ÷ plain',
        'plain decisions measured',
      ],
      growth,
    ),
  );
  console.log(`\n${slowdown.join('; ')}. The extra rules are copies for categories no incident has.`);
  console.log(`\nfinished in ${show((performance.now() - started) / 1000)} s`);
  if (floorMismatches > 0 || mismatches > 0) process.exitCode = 1;
  if (!QUICK && (ratio < TARGET_RATIO || p99 >= TARGET_P99_MICROS || floorRatio > TARGET_FLOOR_RATIO)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
