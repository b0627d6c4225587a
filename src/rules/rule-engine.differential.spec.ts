/**
 * The compiled evaluator against json-rules-engine on the shipped pack: 100,000 seeded random
 * inputs over every category and subtype, boundary amounts, null and missing facts, outages
 * around 30 minutes, repeat counts 0–5 and report times across weekends and holidays. Every
 * decision must be deep-equal (fired rules in the same order, same facts and reasons, same due
 * times). No clock is read: report times come from the PRNG.
 */
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { DecisionInput, DynamicFacts, RuleEngine } from './rule-engine';
import { loadRulePack } from './rule-pack.loader';
import type { Decision, RulePack } from './types';
import { prng } from '../common/prng';

const PACK = path.join(__dirname, '..', '..', 'rules');
/**
 * json-rules-engine is the cost here (~0.4–0.8 ms a decision under jest): 100,000 inputs take
 * about 70 s of CPU, so CI (CI=true, where every suite shares two cores) runs the first 25,000
 * of the same sequence. Run it without CI for the full count.
 */
const COUNT = process.env.CI ? 25_000 : 100_000;
/** Every this many inputs, also against json-rules-engine over all of a stage's rules (no category pruning) and the refund chain. */
const PLAIN_EVERY = 200;


const REPEATS: Record<string, number> = { 'C-0': 0, 'C-1': 1, 'C-2': 2, 'C-3': 3, 'C-4': 4, 'C-5': 5 };
const dynamicFacts: DynamicFacts = { repeatIncidents30d: async (customerId) => REPEATS[customerId] ?? 0 };
const deps = { now: new Date(0), dynamicFacts };

const AMOUNTS = [0, 0.01, 1, 999.99, 4999.99, 5000, 5000.01, 49999.99, 50000, 50000.01, 123456.78, 999999999999.99, 1e15];
const OUTAGES = [0, 1, 29, 29.99, 30, 30.01, 31, 45, 240, 100000];
/** Values outside the declared types, as a careless caller could pass them: both evaluators must still agree. */
const ODD = [Number.NaN, Number.POSITIVE_INFINITY, -1, '5000.01', 'abc', true, 0];
const FIRST = Date.UTC(2025, 11, 25); // late December 2025 … early February 2027: every holiday of the calendar
const SPAN_MINUTES = 410 * 24 * 60;

function inputs(pack: RulePack, count: number): DecisionInput[] {
  const rand = prng(20261123);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const categories = Object.keys(pack.catalog.categories);
  const allSubtypes = categories.flatMap((c) => Object.keys(pack.catalog.categories[c].subtypes));
  /** A fact that is usually `value`, sometimes null, sometimes missing, rarely something odd. */
  const fact = <T>(value: () => T): T | null | undefined => {
    const r = rand();
    if (r < 0.15) return null;
    if (r < 0.3) return undefined;
    if (r < 0.32) return pick(ODD) as never;
    return value();
  };
  return Array.from({ length: count }, () => {
    const r = rand();
    const category = r < 0.01 ? 'NOT_IN_CATALOG' : pick(categories);
    const own = Object.keys(pack.catalog.categories[category]?.subtypes ?? {});
    const subtype = rand() < 0.8 && own.length ? pick(own) : fact(() => pick(allSubtypes));
    const amount = fact(() => (rand() < 0.7 ? pick(AMOUNTS) : Math.round(rand() * 10_000_000) / 100));
    // Report times: any minute (seconds too, sometimes), or exactly at opening and closing.
    let at = FIRST + Math.floor(rand() * SPAN_MINUTES) * 60_000;
    if (rand() < 0.2) at += Math.floor(rand() * 60_000);
    if (rand() < 0.1) at = Math.floor(at / 86_400_000) * 86_400_000 + pick([1, 10, 9 + 59 / 60]) * 3_600_000; // 09:00, 18:00, 17:59 Shanghai
    const input: DecisionInput = {
      category,
      subtype,
      amount: amount as number | null | undefined,
      propertyOwner: fact(() => pick(['COMPANY', 'CUSTOMER', 'SUPPLIER'])),
      injured: fact(() => rand() < 0.3),
      outageMinutes: fact(() => pick(OUTAGES)) as number | null | undefined,
      escalating: fact(() => rand() < 0.4),
      mediaAttention: fact(() => rand() < 0.1),
      legalThreat: fact(() => rand() < 0.1),
      channel: fact(() => pick(['PHONE', 'STORE', 'APP'])),
      customerTier: fact(() => pick(['VIP', 'REGULAR'])),
      customerId: rand() < 0.75 ? pick(Object.keys(REPEATS)) : pick([null, undefined, 'C-unknown']),
      reportedAt: new Date(at),
    };
    // Missing facts are absent keys, not keys set to undefined, in half of the inputs.
    if (rand() < 0.5) for (const key of Object.keys(input) as Array<keyof DecisionInput>) if (input[key] === undefined) delete input[key];
    return input;
  });
}

/** The outcome of a call: its value or the error it failed with. */
async function outcome<T>(run: () => Promise<T>): Promise<{ value: T } | { error: string }> {
  try {
    return { value: await run() };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}` : String(e) };
  }
}

describe('compiled evaluator ≡ json-rules-engine (differential)', () => {
  const pack = loadRulePack(PACK);
  const compiled = new RuleEngine(pack);
  const reference = new RuleEngine(pack, { evaluator: 'json-rules-engine' });
  const plain = new RuleEngine(pack, { evaluator: 'json-rules-engine', jsonRulesEngine: 'plain' });

  it('compiles the shipped pack', () => {
    expect(compiled.evaluator).toBe('compiled');
    expect(reference.evaluator).toBe('json-rules-engine');
  });

  it(`decides ${COUNT.toLocaleString('en')} random inputs exactly as json-rules-engine`, async () => {
    const mismatches: Array<{ i: number; input: DecisionInput; expected: unknown; actual: unknown }> = [];
    const fired = new Set<string>();
    const severities = new Set<string>();
    const list = inputs(pack, COUNT);
    for (let i = 0; i < list.length; i++) {
      const input = list[i];
      const expected = await outcome(() => reference.decide(input, deps));
      const actual = await outcome(() => compiled.decide(input, deps));
      if (!isDeepStrictEqual(actual, expected)) mismatches.push({ i, input, expected, actual });
      if (i % PLAIN_EVERY === 0) {
        const all = await outcome(() => plain.decide(input, deps));
        if (!isDeepStrictEqual(actual, all)) mismatches.push({ i, input, expected: all, actual });
        const chain = await outcome(() => reference.refundChainFor(input, dynamicFacts));
        const fastChain = await outcome(() => compiled.refundChainFor(input, dynamicFacts));
        if (!isDeepStrictEqual(fastChain, chain)) mismatches.push({ i, input, expected: chain, actual: fastChain });
      }
      if ('value' in actual) {
        const decision: Decision = actual.value;
        decision.firedRules.forEach((r) => fired.add(r.name));
        severities.add(decision.severity);
      }
      if (mismatches.length >= 5) break;
    }
    expect(mismatches).toEqual([]);
    // The inputs exercise the whole pack: every rule fires somewhere, every severity comes out.
    expect(pack.rules.map((r) => r.name).filter((name) => !fired.has(name))).toEqual([]);
    expect(severities.size).toBe(4);
  }, 300_000);
});
