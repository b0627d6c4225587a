import { Engine } from 'json-rules-engine';
import { categoryLimit, compileConditions, UndefinedFactError, UnsupportedConditionError } from './condition-compiler';
import { prng } from '../common/prng';

/** The options RuleEngine gives json-rules-engine (engine-pool.ts). */
const ENGINE_OPTIONS = { allowUndefinedFacts: false, allowUndefinedConditions: false, replaceFactsInEventParams: false };

type Outcome = 'fired' | 'not fired' | 'failed';

/** What json-rules-engine makes of one rule with these conditions on these facts. */
async function reference(conditions: unknown, facts: Record<string, unknown>): Promise<Outcome> {
  try {
    const engine = new Engine([{ name: 'r', conditions: structuredClone(conditions) as never, event: { type: 'x' } }], ENGINE_OPTIONS);
    const { results } = await engine.run(structuredClone(facts));
    return results.length === 1 ? 'fired' : 'not fired';
  } catch {
    return 'failed';
  }
}

function compiled(conditions: unknown, facts: Record<string, unknown>): Outcome {
  const { test } = compileConditions(conditions, new Set(Object.keys(facts)));
  try {
    return test(facts) ? 'fired' : 'not fired';
  } catch {
    return 'failed';
  }
}


describe('compileConditions', () => {
  const leaf = (fact: string, operator: string, value: unknown, extra: Record<string, unknown> = {}) => ({ fact, operator, value, ...extra });
  const facts = { category: 'PROPERTY_LOSS', amount: 5000.01, subtype: null, tags: ['A', 'B'], owner: { name: 'x', list: [1, 2] }, text: 'ABC', other: 5000.01 };

  it.each<[string, unknown, Outcome]>([
    ['equal', { all: [leaf('category', 'equal', 'PROPERTY_LOSS')] }, 'fired'],
    ['greaterThan on the boundary', { all: [leaf('amount', 'greaterThan', 5000.01)] }, 'not fired'],
    ['greaterThanInclusive on the boundary', { all: [leaf('amount', 'greaterThanInclusive', 5000.01)] }, 'fired'],
    ['a comparison with a null fact', { all: [leaf('subtype', 'lessThan', 5)] }, 'not fired'],
    ['in with a null fact', { all: [leaf('subtype', 'in', ['A', null])] }, 'fired'],
    ['notIn with a null fact', { all: [leaf('subtype', 'notIn', ['A'])] }, 'fired'],
    ['in against a string (substring search)', { all: [leaf('category', 'in', 'XPROPERTY_LOSSX')] }, 'fired'],
    ['in against a number', { all: [leaf('category', 'in', 5)] }, 'failed'],
    ['contains on a list fact', { all: [leaf('tags', 'contains', 'B')] }, 'fired'],
    ['contains on a string fact (not a list)', { all: [leaf('text', 'contains', 'B')] }, 'not fired'],
    ['doesNotContain on a null fact', { all: [leaf('subtype', 'doesNotContain', 'B')] }, 'not fired'],
    ['a fact-to-fact comparison', { all: [leaf('amount', 'equal', { fact: 'other' })] }, 'fired'],
    ['a path into an object fact', { all: [leaf('owner', 'equal', 'x', { path: '$.name' })] }, 'fired'],
    ['a path on a primitive fact (the value itself)', { all: [leaf('amount', 'equal', 5000.01, { path: '$.x' })] }, 'fired'],
    ['an undefined fact', { all: [leaf('nope', 'equal', 1)] }, 'failed'],
    ['an undefined fact behind a failing leaf of the same priority', { all: [leaf('category', 'equal', 'X'), leaf('nope', 'equal', 1)] }, 'failed'],
    ['an undefined fact behind a failing leaf of higher priority', { all: [leaf('category', 'equal', 'X', { priority: 2 }), leaf('nope', 'equal', 1)] }, 'not fired'],
    ['an undefined fact in a higher-priority set', { all: [leaf('category', 'equal', 'X'), leaf('nope', 'equal', 1, { priority: 5 })] }, 'failed'],
    ['an unknown operator', { all: [leaf('amount', 'between', 1)] }, 'failed'],
    ['a decorated operator', { all: [leaf('tags', 'someFact:equal', 'A')] }, 'fired'],
    ['an empty all', { all: [] }, 'fired'],
    ['an empty any', { any: [] }, 'fired'],
    ['not', { not: leaf('category', 'equal', 'X') }, 'fired'],
    ['any over nested groups', { any: [{ all: [leaf('amount', 'lessThan', 1)] }, { not: { any: [leaf('text', 'equal', 'Z')] } }] }, 'fired'],
  ])('%s: %s', async (_name, conditions, expected) => {
    expect(compiled(conditions, facts)).toBe(expected);
    expect(await reference(conditions, facts)).toBe(expected);
  });

  it('throws json-rules-engine\'s UndefinedFactError for a fact the run lacks', () => {
    const { test } = compileConditions({ all: [leaf('nope', 'equal', 1)] }, new Set(['amount']));
    expect(() => test({ amount: 1 })).toThrow(UndefinedFactError);
  });

  it.each<[string, unknown]>([
    ['a root without all, any or not', leaf('amount', 'equal', 1)],
    ['a condition reference', { all: [{ condition: 'shared' }] }],
    ['a node with two kinds', { all: [], any: [] }],
    ['a leaf without value', { all: [{ fact: 'amount', operator: 'equal' }] }],
    ['an array under not', { not: [leaf('amount', 'equal', 1)] }],
    ['a non-numeric priority where order matters', { all: [leaf('amount', 'equal', 1, { priority: 'high' }), leaf('nope', 'equal', 1)] }],
  ])('refuses %s (json-rules-engine keeps deciding it)', (_name, conditions) => {
    expect(() => compileConditions(conditions, new Set(['amount']))).toThrow(UnsupportedConditionError);
  });

  it('says which rules cannot throw', () => {
    const names = new Set(['amount', 'category']);
    expect(compileConditions({ all: [leaf('category', 'in', ['A']), leaf('amount', 'greaterThan', 1)] }, names).canThrow).toBe(false);
    expect(compileConditions({ all: [leaf('category', 'in', 'A')] }, names).canThrow).toBe(true);
    expect(compileConditions({ all: [leaf('severity', 'equal', 'A')] }, names).canThrow).toBe(true);
    expect(compileConditions({ all: [leaf('amount', 'equal', { fact: 'category' })] }, names).canThrow).toBe(false);
  });

  it('limits a rule to the categories of its root all', () => {
    expect(categoryLimit({ all: [leaf('category', 'equal', 'A'), leaf('amount', 'greaterThan', 1)] })).toEqual(['A']);
    expect(categoryLimit({ all: [leaf('category', 'in', ['A', 'B']), leaf('category', 'in', ['B', 'C'])] })).toEqual(['B']);
    expect(categoryLimit({ any: [leaf('category', 'equal', 'A')] })).toBeNull();
    expect(categoryLimit({ all: [{ not: leaf('category', 'equal', 'A') }] })).toBeNull();
    expect(categoryLimit({ all: [leaf('category', 'notIn', ['A'])] })).toBeNull();
    expect(categoryLimit({ all: [leaf('category', 'equal', { fact: 'subtype' })] })).toBeNull();
  });

  describe('against json-rules-engine on random condition trees', () => {
    const rand = prng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const FACTS = ['category', 'amount', 'subtype', 'flag', 'tags', 'owner', 'count'];
    const SCALARS: unknown[] = [null, 0, 1, -1, 30, 30.5, 5000, 5000.01, '5000', '30', 'abc', '', 'A', 'B', true, false];
    const value = (depth = 0): unknown => {
      const r = rand();
      if (r < 0.6 || depth > 1) return pick(SCALARS);
      if (r < 0.85) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
      return { name: pick(SCALARS), list: [pick(SCALARS), pick(SCALARS)] };
    };
    const OPERATORS = ['equal', 'notEqual', 'in', 'notIn', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'contains', 'doesNotContain'];
    const RARE_OPERATORS = ['someFact:equal', 'everyValue:greaterThan', 'not:in', 'swap:contains', 'bogus', 'someFact:bogus'];
    const randomLeaf = (): Record<string, unknown> => {
      const node: Record<string, unknown> = {
        fact: rand() < 0.05 ? 'missing' : pick(FACTS),
        operator: rand() < 0.08 ? pick(RARE_OPERATORS) : pick(OPERATORS),
        value: rand() < 0.15 ? { fact: rand() < 0.05 ? 'missing' : pick(FACTS), ...(rand() < 0.2 ? { path: '$.name' } : {}) } : value(),
      };
      if (rand() < 0.1) node.path = pick(['$.name', '$.list[0]', '$.nothing', '$..list']);
      if (rand() < 0.2) node.priority = pick([1, 2, 3]);
      if (rand() < 0.05) node.params = { any: 1 };
      return node;
    };
    const tree = (depth: number): Record<string, unknown> => {
      const r = rand();
      if (depth > 0 && r < 0.45) return randomLeaf();
      if (r < 0.55 && depth < 3) return { not: tree(depth + 1) };
      const kind = rand() < 0.5 ? 'all' : 'any';
      const node: Record<string, unknown> = { [kind]: Array.from({ length: Math.floor(rand() * 4) }, () => tree(depth + 1)) };
      if (rand() < 0.2) node.priority = pick([1, 2, 3]);
      return node;
    };
    const randomFacts = (): Record<string, unknown> => {
      const facts: Record<string, unknown> = {};
      for (const fact of FACTS) if (rand() < 0.95) facts[fact] = fact === 'category' ? pick(['A', 'B', 'C', null]) : value();
      if (rand() < 0.05) facts.subtype = undefined;
      return facts;
    };

    it('gives the same outcome on 20,000 trees (fired, not fired, or failed)', async () => {
      const differences: unknown[] = [];
      const seen = new Map<Outcome, number>();
      for (let i = 0; i < 20_000 && differences.length < 5; i++) {
        const conditions = rand() < 0.3
          ? { all: [{ fact: 'category', operator: pick(['equal', 'in']), value: rand() < 0.5 ? pick(['A', 'B']) : ['A', 'C'] }, tree(1)] }
          : tree(0);
        const facts = randomFacts();
        const expected = await reference(conditions, facts);
        const actual = compiled(conditions, facts);
        seen.set(expected, (seen.get(expected) ?? 0) + 1);
        if (actual !== expected) differences.push({ conditions, facts, expected, actual });
        // Skipping a rule by its category is sound: outside the limit it neither fires nor fails.
        const limit = categoryLimit(conditions);
        const { canThrow } = compileConditions(conditions, new Set(Object.keys(facts)));
        if (limit && !canThrow && !limit.includes(facts.category) && expected !== 'not fired') {
          differences.push({ conditions, facts, expected, limit, note: 'fires outside its category limit' });
        }
      }
      expect(differences).toEqual([]);
      // The trees cover all three outcomes in earnest.
      for (const outcome of ['fired', 'not fired', 'failed'] as const) expect(seen.get(outcome)).toBeGreaterThan(1000);
    }, 120_000);
  });
});
