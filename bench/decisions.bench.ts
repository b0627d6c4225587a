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
 * Each evaluator runs in its own process (decisions.runner.ts, forked), as in the service, which
 * runs one evaluator: in one process, json-rules-engine's differently shaped objects made the
 * code the evaluators share (decision algebra, fired rules, calendar, facts) polymorphic and its
 * garbage was collected on the others' time — the compiled evaluator measured 4.7–4.9 µs per
 * decision beside all three json-rules-engine variants, 3.4–3.9 µs beside the plain one only,
 * 2.8 µs alone. Each child builds the same seeded mix and reads its repeat counts itself, and
 * measures its own process CPU time and latencies for each slice it is asked to run.
 *
 * The machines are noisy, so every figure is measured in the same run as its baseline, in
 * interleaved rounds (the parent asks each child in turn for its slice of every round, so every
 * ratio is one run's), and the decisions of the evaluators are compared one by one (a digest per
 * decision sent back by each child, against the compiled evaluator's `decide()`).
 *
 *   npm run bench:decisions        (= npm run build && node dist/bench/decisions.bench.js)
 *   node dist/bench/decisions.bench.js --quick     (a smoke run: fewer decisions)
 */
import { ChildProcess, fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { loadRulePack } from '../src/rules/rule-pack.loader';
import type { EvaluatorKind, RunnerReply, RunnerRequest, RunnerSpec } from './decisions.runner';
import { countDifferences } from './support/decision-digest';
import { Latencies, show, table } from './support/latency';

const RULES_DIR = path.join(__dirname, '..', '..', 'rules');
const RUNNER = path.join(__dirname, 'decisions.runner.js');
const QUICK = process.argv.includes('--quick');
const INCIDENTS = QUICK ? 1_000 : 10_000;
const ROUNDS = QUICK ? 2 : 5;
/** Stop starting new slices after this long, so the run stays under three minutes on a loaded machine. */
const DEADLINE_MS = (QUICK ? 30 : 150) * 1000;
const TARGET_RATIO = 200;
const TARGET_P99_MICROS = 10;
/** The compiled evaluator's CPU per decision, at most this many times the hand-written floor's. */
const TARGET_FLOOR_RATIO = 3;

/** One evaluator in its child process, and what its slices measured. */
interface Variant {
  label: string;
  child: ChildProcess;
  /** The child's answer to the request in flight. */
  reply: () => Promise<RunnerReply>;
  latencies: Latencies;
  /** Digests of the decisions kept for comparing with the compiled evaluator's (incident index, digest). */
  digests: [number, string][];
}

const started = Date.now();
const deadline = started + DEADLINE_MS;
const overDeadline = () => Date.now() > deadline;

/** Forks the runner for one evaluator; resolves once it is warm. */
async function variant(label: string, kind: EvaluatorKind, factor: number, perRound: number, warm: number): Promise<Variant> {
  const spec: RunnerSpec = { kind, factor, incidents: INCIDENTS, perRound, warm };
  const child = fork(RUNNER, [JSON.stringify(spec)], { execArgv: ['--expose-gc'], serialization: 'advanced' });
  const reply = () =>
    new Promise<RunnerReply>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${label}: the runner exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (message: RunnerReply) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  const v: Variant = { label, child, reply, latencies: new Latencies(), digests: [] };
  await reply();
  return v;
}

async function ask(v: Variant, request: RunnerRequest): Promise<RunnerReply> {
  const answer = v.reply();
  v.child.send(request);
  return answer;
}

/** Asks `v` for one slice; adds its latencies and CPU time to `into`, its digests when kept. */
async function slice(v: Variant, keep: boolean, into: Latencies = v.latencies): Promise<void> {
  const reply = await ask(v, { type: 'slice', keep, deadline });
  if (reply.type !== 'slice') throw new Error(`${v.label}: expected a slice, got ${reply.type}`);
  for (const ms of reply.latenciesMs) into.add(ms);
  into.addCpu(reply.cpu);
  if (keep) v.digests.push(...reply.digests);
}

/**
 * Interleaved rounds: each child runs its slice in every round, one child at a time. A first
 * round runs untimed: the slices right after the warm-up measured two to three times the CPU per
 * decision of the later ones, for every evaluator alike (the background work the first full
 * collections leave behind, on a loaded machine).
 */
async function measure(variants: Promise<Variant>[]): Promise<Variant[]> {
  const children = await Promise.all(variants);
  for (const v of children) await slice(v, false, new Latencies());
  for (let round = 0; round < ROUNDS && !overDeadline(); round++) {
    for (const v of children) await slice(v, v !== children[0]);
  }
  return children;
}

function close(variants: Variant[]): void {
  for (const v of variants) v.child.disconnect();
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
  const ruleCount = pack.rules.length;
  console.log(`# Decisions in process${QUICK ? ' (quick: targets not judged)' : ''}`);
  console.log(
    `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ` +
      `pack ${pack.version}, ${ruleCount} rules; ${INCIDENTS.toLocaleString('en-US')} seeded incidents; ${ROUNDS} interleaved rounds. ` +
      "Each evaluator in its own process, as in the service (no evaluator's type feedback or garbage slows another's code); " +
      "decisions/s per CPU second is what one core sustains (that process's CPU time, GC included), robust to other load; " +
      'wall-clock decisions/s and the latencies include whatever else the machine was doing. ' +
      'Timed: the decision on the pre-read repeat count (compiled and floor synchronously, json-rules-engine awaited).\n',
  );

  // 1. The shipped pack: compiled against json-rules-engine three ways.
  const slice1 = Math.ceil(INCIDENTS / ROUNDS);
  const variants = await measure([
    variant('compiled (default)', 'compiled', 1, INCIDENTS, 3 * INCIDENTS),
    variant('json-rules-engine plain (reused Engine, run() per decision)', 'plain', 1, slice1, 200),
    variant('json-rules-engine naive (new Engine per decision)', 'naive', 1, Math.ceil(slice1 / 4), 100),
    variant('json-rules-engine per category (the evaluator before)', 'per-category', 1, Math.ceil(slice1 / 2), 200),
    // The floor's slice is the mix three times over (about 25 ms), so the CPU time a slice measures is not
    // mostly what the process does around it.
    variant('hand-written (the floor: the policy as one plain function)', 'floor', 1, 3 * INCIDENTS, 3 * INCIDENTS),
  ]);
  const [compiled, plain, naive, perCategory, floor] = variants;
  const reference = await ask(compiled, { type: 'reference' });
  if (reference.type !== 'reference') throw new Error(`expected the reference digests, got ${reference.type}`);
  close(variants);
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
  const floorMismatches = countDifferences(reference.policy, floor.digests);
  const mismatches = [plain, naive, perCategory].reduce((sum, v) => sum + countDifferences(reference.whole, v.digests), 0);
  const compared = plain.digests.length + naive.digests.length + perCategory.digests.length;
  const verdict = (ok: boolean) => (QUICK ? '' : ok ? ' PASS' : ' FAIL');
  console.log(
    `\ncompiled ÷ plain: ${show(ratio)}× per CPU second (${show(wallRatio)}× wall-clock, ${show(medianRatio)}× at the median; target ≥ ${TARGET_RATIO}×)${verdict(ratio >= TARGET_RATIO)}; ` +
      `compiled p99 ${show(p99)} µs (target < ${TARGET_P99_MICROS} µs)${verdict(p99 < TARGET_P99_MICROS)}; ` +
      `decisions differing from compiled: ${mismatches} of ${compared.toLocaleString('en-US')} compared`,
  );
  console.log(
    `compiled ÷ hand-written floor: ${show(floorRatio)}× the CPU per decision (floor ${show(1e6 / floor.latencies.perCpuSecond)} µs, ` +
      `compiled ${show(1e6 / compiled.latencies.perCpuSecond)} µs; target ≤ ${TARGET_FLOOR_RATIO}×)${verdict(floorRatio <= TARGET_FLOOR_RATIO)}; ` +
      `floor decisions differing from compiled (policy fields): ${floorMismatches} of ${floor.digests.length.toLocaleString('en-US')}\n`,
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
    // Plain json-rules-engine costs about `factor` times more per decision: give it fewer.
    const plainPerRound = Math.max(QUICK ? 3 : 6, Math.ceil(slice1 / factor / 3));
    const [c, p] = await measure([
      variant(`compiled ×${factor}`, 'compiled', factor, INCIDENTS, 3 * INCIDENTS),
      variant(`plain ×${factor}`, 'plain', factor, plainPerRound, 3),
    ]);
    close([c, p]);
    const different = countDifferences(reference.whole, p.digests);
    growth.push(growthRow(`${(ruleCount * factor).toLocaleString('en-US')} (${factor}×)`, c, p, different ? ` (${different} differ!)` : ''));
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
  console.log(`\nfinished in ${show((Date.now() - started) / 1000)} s`);
  if (floorMismatches > 0 || mismatches > 0) process.exitCode = 1;
  if (!QUICK && (ratio < TARGET_RATIO || p99 >= TARGET_P99_MICROS || floorRatio > TARGET_FLOOR_RATIO)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
