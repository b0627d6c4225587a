import { diffRuleSets } from './rule-set-diff';

const file = (rules: object[]) => JSON.stringify({ rules });

describe('diffRuleSets', () => {
  it('names rules added, removed and changed, ignoring key order and formatting', () => {
    const before = {
      'catalog.json': '{"a":1}',
      'policy/x.json': file([
        { name: 'a', stage: 1 },
        { name: 'b', stage: 1 },
        { stage: 2, name: 'c' },
      ]),
    };
    const after = {
      'catalog.json': '{ "a": 1 }',
      'policy/x.json': file([
        { name: 'a', stage: 1 },
        { name: 'c', stage: 2 },
        { name: 'd', stage: 1 },
      ]),
      'policy/y.json': file([{ name: 'b', stage: 3 }]),
    };
    expect(diffRuleSets(before, after)).toEqual({ added: ['d'], removed: [], changed: ['b'], catalogChanged: false });
  });

  it('reports a removed rule and a catalog change', () => {
    expect(diffRuleSets({ 'catalog.json': '{"a":1}', 'p.json': file([{ name: 'a' }]) }, { 'catalog.json': '{"a":2}', 'p.json': file([]) })).toEqual({
      added: [],
      removed: ['a'],
      changed: [],
      catalogChanged: true,
    });
  });

  it('treats the first version as all added', () => {
    expect(diffRuleSets(null, { 'p.json': file([{ name: 'z' }, { name: 'y' }]) }).added).toEqual(['y', 'z']);
  });
});
