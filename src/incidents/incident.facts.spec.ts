import path from 'node:path';
import { getNamedType, GraphQLInputObjectType, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLType } from 'graphql';
import { createSchema } from '../graphql/schema';
import { FACT_DECLARATIONS, FactDeclaration, FactRegistry, FACTS, GRAPHQL_INPUT_TYPES } from '../rules/facts';
import { loadRulePack } from '../rules/rule-pack.loader';
import type { ReportIncidentInput } from './incident.inputs';
import { factsOf, normalizeReport } from './incident.validation';

const catalog = loadRulePack(path.join(__dirname, '..', '..', 'rules')).catalog;
const report = (extra: Record<string, unknown>) => ({ source: 'erp', externalRef: 'R-1', category: 'SERVICE', ...extra }) as unknown as ReportIncidentInput;

describe('the GraphQL inputs and the fact registry', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await createSchema();
  });

  /** `Type` or `Type!` of a field. */
  const typeOf = (type: { getFields(): Record<string, { type: unknown }> }, field: string) => {
    const t = type.getFields()[field]?.type;
    return t === undefined ? 'absent' : `${getNamedType(t as GraphQLType).name}${t instanceof GraphQLNonNull ? '!' : ''}`;
  };
  const declared = (d: FactDeclaration, nullable = !d.required) => `${GRAPHQL_INPUT_TYPES[d.input!.kind]}${nullable ? '' : '!'}`;

  it('ReportIncidentInput gives every report fact, of its declared type, and no field beyond them but the report itself', () => {
    const input = schema.getType('ReportIncidentInput') as GraphQLInputObjectType;
    const customer = schema.getType('CustomerInput') as GraphQLInputObjectType;
    for (const { declaration, path: field } of FACTS.reportFields) {
      const actual = field.length === 1 ? typeOf(input, field[0]) : typeOf(customer, field[1]);
      expect([declaration.name, actual]).toEqual([declaration.name, declared(declaration)]);
    }
    const facts = FACTS.reportFields.filter((f) => f.path.length === 1).map((f) => f.path[0]);
    expect(Object.keys(input.getFields()).filter((k) => !facts.includes(k))).toEqual([
      'source',
      'externalRef',
      'occurredAt',
      'location',
      'orderNo',
      'description',
      'customer',
      'drill',
    ]);
  });

  it('AmendIncidentInput gives exactly the amendable facts, each optional', () => {
    const input = schema.getType('AmendIncidentInput') as GraphQLInputObjectType;
    for (const d of FACTS.amendable) expect([d.name, typeOf(input, d.name)]).toEqual([d.name, declared(d, true)]);
    expect(Object.keys(input.getFields()).filter((k) => !FACTS.has(k))).toEqual(['id', 'expectedVersion', 'note', 'description']);
  });

  it('Incident shows every report fact and the dynamic ones', () => {
    const incident = schema.getType('Incident') as GraphQLObjectType;
    for (const { declaration, path: field } of FACTS.reportFields) {
      if (field.length === 1) expect([declaration.name, typeOf(incident, field[0])]).toEqual([declaration.name, declared(declaration)]);
    }
    for (const name of FACTS.dynamic) expect(typeOf(incident, name)).toBe('Int!');
  });
});

describe('a report checked by the fact declarations', () => {
  it('refuses a fact of the wrong kind, naming the field', () => {
    expect(() => normalizeReport(report({ outageMinutes: 1.5 }), catalog)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', extensions: { field: 'input.outageMinutes' } }),
    );
    expect(() => normalizeReport(report({ injured: 'yes' }), catalog, 'report')).toThrow(expect.objectContaining({ extensions: { field: 'report.injured' } }));
    expect(() => normalizeReport(report({ channel: 'x'.repeat(65) }), catalog)).toThrow('input.channel: is longer than 64 characters');
    expect(() => normalizeReport(report({ customer: { tier: 'x'.repeat(33) } }), catalog)).toThrow('input.customer.tier: is longer than 32 characters');
    expect(() => normalizeReport(report({ amount: 5000 }), catalog)).toThrow(expect.objectContaining({ extensions: { field: 'input.amount' } }));
  });

  it('keeps the checked report in the order its hash was always taken in', () => {
    const r = normalizeReport(report({ amount: '5000.01', injured: true, customer: { id: 'c', tier: 'VIP' } }), catalog);
    expect(Object.keys(r)).toEqual([
      'source',
      'externalRef',
      'category',
      'subtype',
      'occurredAt',
      'amountFen',
      'propertyOwner',
      'injured',
      'outageMinutes',
      'escalating',
      'mediaAttention',
      'legalThreat',
      'channel',
      'location',
      'orderNo',
      'description',
      'customer',
      'drill',
    ]);
    expect(r.amountFen).toBe(500001n);
    expect(factsOf(r)).toMatchObject({ amount: 5000.01, injured: true, customerTier: 'VIP' });
  });

  it('checks, keeps and builds a fact added to the registry', () => {
    const vipLine: FactDeclaration = { name: 'vipLine', type: 'boolean', origin: 'report', label: { zh: 'VIP专线', en: 'VIP line' }, input: { kind: 'flag' } };
    const registry = new FactRegistry([...FACT_DECLARATIONS, vipLine]);
    expect(() => normalizeReport(report({ vipLine: 'yes' }), catalog, 'input', registry)).toThrow(
      expect.objectContaining({ extensions: { field: 'input.vipLine' } }),
    );
    const checked = normalizeReport(report({ vipLine: true }), catalog, 'input', registry);
    expect(Object.keys(checked).at(-1)).toBe('vipLine');
    expect(registry.ofReport(checked)).toMatchObject({ category: 'SERVICE', vipLine: true });
    expect(registry.ofStoredReport(JSON.parse(JSON.stringify({ ...checked, amountFen: null })))).toMatchObject({ vipLine: true });
  });
});
