import { buildSchema, parse, validate } from 'graphql';
import { operationsIn } from './hardening';
import { nestingOf, noCyclicSelectionRule } from './document-limits';

describe('nestingOf', () => {
  it('counts braces, brackets and parentheses, not those in strings, block strings or comments', () => {
    expect(nestingOf('{ a }')).toBe(1);
    expect(nestingOf('{ a(x: [[1]]) { b } }')).toBe(4);
    expect(nestingOf('{ a(x: "{{{{[[[(((") }')).toBe(2);
    expect(nestingOf('{ a(x: "\\"{{{{") }')).toBe(2);
    expect(nestingOf('{ a(x: """ {{{{ \\""" {{{ """) }')).toBe(2);
    expect(nestingOf('# {{{{{\n{ a }')).toBe(1);
    expect(nestingOf('['.repeat(5000))).toBe(5000);
  });
});

describe('noCyclicSelectionRule', () => {
  const schema = buildSchema(`
    type Query { incidents: [Incident!]! incident: Incident }
    type Incident { id: ID! refunds: [Refund!]! }
    type Refund { id: ID! incident: Incident! }
  `);
  const errors = (q: string) => validate(schema, parse(q), [noCyclicSelectionRule]).map((e) => e.message);

  it('refuses a field selected inside itself, directly or through fragments', () => {
    expect(errors('{ incidents { refunds { incident { refunds { id } } } } }')).toHaveLength(1);
    expect(errors('{ incidents { ...A } } fragment A on Incident { refunds { incident { ...B } } } fragment B on Incident { refunds { id } }')).toHaveLength(1);
    expect(errors('{ incidents { ... on Incident { refunds { incident { ... on Incident { refunds { id } } } } } } }')).toHaveLength(1);
  });

  it('allows going back once and the same field on separate paths', () => {
    expect(errors('{ incidents { refunds { incident { id } } } incident { refunds { id } } }')).toEqual([]);
    expect(errors('{ a: incidents { refunds { id } } b: incidents { refunds { id } } }')).toEqual([]);
  });
});

describe('operationsIn', () => {
  const ops = (q: string) => {
    const doc = parse(q);
    const fragments = Object.fromEntries(doc.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d]] : [])));
    const op = doc.definitions.find((d) => d.kind === 'OperationDefinition');
    return operationsIn(op as never, fragments);
  };

  it('counts a query once and a mutation once per root field, aliases and fragments included', () => {
    expect(ops('{ a: incidents { id } b: incidents { id } }')).toBe(1);
    expect(ops('mutation { a: report { id } b: report { id } c: report { id } }')).toBe(3);
    expect(ops('mutation { ...F ... on Mutation { d: report { id } } } fragment F on Mutation { a: report { id } b: report { id } }')).toBe(3);
    expect(ops('mutation { __typename }')).toBe(1);
  });
});
