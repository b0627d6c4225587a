/**
 * The condition language a rule pack may use, declared once: which operators exist, which fact
 * types each applies to, and which operand shapes each accepts. The meaning checks
 * (rule-pack.checks.ts), the rule files' JSON Schema (`conditionSchemaDefs`, which the loader
 * puts into the pack's own schema) and the compiler (condition-compiler.ts: operand shapes,
 * operators) all read it, so a pack the validator accepts is a pack the evaluators decide
 * without throwing (the property test, condition-language.property.spec.ts, checks exactly that).
 *
 * Why the shapes are what they are (json-rules-engine 7.3's operators): `in`/`notIn` call
 * `value.indexOf(fact)`, which throws on anything but a list or a string, so they take a literal
 * list only (never a fact, whose value may be null or a number); `path` reads into object
 * values, and no fact but an object-valued one has anything under it.
 */
import { Operator } from 'json-rules-engine';
import type { FactType } from './facts';

/** How a leaf's `value` is written. */
export type OperandShape = 'scalar' | 'list' | 'factRef' | 'object';
/** The shapes the language may accept (a literal object never is). */
export type AcceptedShape = Exclude<OperandShape, 'object'>;
/** A fact's value type in the language: the scalars, and object values a `path` reads into. */
export type LanguageFactType = FactType | 'object' | 'list';

export interface OperatorSpec {
  /** The types of fact the operator applies to. */
  factTypes: readonly LanguageFactType[];
  /** The operand shapes it accepts. */
  operands: readonly AcceptedShape[];
  /** What it does, in the README's words. */
  meaning: string;
}

/** An operator beyond json-rules-engine's built-ins, declared with its shapes and its evaluation. */
export interface CustomOperator extends OperatorSpec {
  name: string;
  /** (fact value, the leaf's value) → holds. json-rules-engine and the compiler both call it. */
  evaluate(factValue: unknown, value: unknown): boolean;
}

const SCALARS: readonly LanguageFactType[] = ['string', 'number', 'boolean'];

/** json-rules-engine's built-in operators as the language accepts them. */
export const BUILT_IN_OPERATORS: Readonly<Record<string, OperatorSpec>> = {
  equal: { factTypes: SCALARS, operands: ['scalar', 'factRef'], meaning: 'the fact is the value (or the other fact)' },
  notEqual: { factTypes: SCALARS, operands: ['scalar', 'factRef'], meaning: 'the fact is not the value (or the other fact)' },
  in: { factTypes: SCALARS, operands: ['list'], meaning: 'the fact is one of the listed values' },
  notIn: { factTypes: SCALARS, operands: ['list'], meaning: 'the fact is none of the listed values' },
  lessThan: { factTypes: ['number'], operands: ['scalar', 'factRef'], meaning: 'fact < value' },
  lessThanInclusive: { factTypes: ['number'], operands: ['scalar', 'factRef'], meaning: 'fact ≤ value' },
  greaterThan: { factTypes: ['number'], operands: ['scalar', 'factRef'], meaning: 'fact > value' },
  greaterThanInclusive: { factTypes: ['number'], operands: ['scalar', 'factRef'], meaning: 'fact ≥ value' },
  contains: { factTypes: ['list'], operands: ['scalar', 'factRef'], meaning: 'a list-valued fact holds the value' },
  doesNotContain: { factTypes: ['list'], operands: ['scalar', 'factRef'], meaning: 'a list-valued fact does not hold the value' },
};

export const SHAPE_NAMES: Record<AcceptedShape, string> = {
  scalar: 'a literal value',
  list: 'a literal list',
  factRef: 'a fact reference { "fact": name }',
};

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** The shape of a leaf's value: a `{ fact }` object is a reference (json-rules-engine reads it so). */
export function operandShape(value: unknown): OperandShape {
  if (Array.isArray(value)) return 'list';
  if (value !== null && typeof value === 'object') return hasOwn(value, 'fact') ? 'factRef' : 'object';
  return 'scalar';
}

/** May `path` be used on a fact of this type? Only object values have anything under them. */
export const pathAllowed = (type: LanguageFactType | undefined): boolean => type === 'object';

/**
 * A pack's condition language: the built-in operators plus any custom ones the loader was given
 * (`loadRulePack(dir, { operators })`). Immutable.
 */
export class ConditionLanguage {
  private readonly specs: ReadonlyMap<string, OperatorSpec>;
  /** The custom operators, by name. */
  readonly custom: ReadonlyMap<string, CustomOperator>;

  constructor(operators: readonly CustomOperator[] = []) {
    const specs = new Map<string, OperatorSpec>(Object.entries(BUILT_IN_OPERATORS));
    const custom = new Map<string, CustomOperator>();
    for (const op of operators) {
      if (specs.has(op.name)) throw new Error(`operator "${op.name}" is already defined`);
      specs.set(op.name, op);
      custom.set(op.name, op);
    }
    this.specs = specs;
    this.custom = custom;
  }

  /** Every operator name, built-ins first. */
  get operators(): string[] {
    return [...this.specs.keys()];
  }

  spec(operator: string): OperatorSpec | undefined {
    return this.specs.get(operator);
  }

  private readonly operatorObjects = new Map<string, Operator>();

  /** The custom operator `name` as a json-rules-engine Operator (the compiler and the engine share it); undefined for the others. */
  engineOperator(name: string): Operator | undefined {
    const op = this.custom.get(name);
    if (!op) return undefined;
    let made = this.operatorObjects.get(name);
    if (!made) {
      made = new Operator(op.name, (a: unknown, b: unknown) => op.evaluate(a, b));
      this.operatorObjects.set(name, made);
    }
    return made;
  }

  /** json-rules-engine Operators for the custom operators (each Engine adds them). */
  engineOperators(): Operator[] {
    return [...this.custom.keys()].map((name) => this.engineOperator(name)!);
  }
}

/** The language of json-rules-engine's built-ins alone (packs loaded without custom operators). */
export const BUILT_IN_LANGUAGE = new ConditionLanguage();

/**
 * The JSON Schema definitions of a fact condition in `language`, as they stand in
 * `schema/rule-file.schema.json` (`$defs`): the loader replaces the pack's own with these, and a
 * test keeps the shipped file equal to them for editors.
 */
export function conditionSchemaDefs(language: ConditionLanguage): Record<string, unknown> {
  const byShapes = new Map<string, string[]>();
  for (const name of language.operators) {
    const key = [...language.spec(name)!.operands].sort().join(',');
    byShapes.set(key, [...(byShapes.get(key) ?? []), name]);
  }
  const refs: Record<AcceptedShape, { $ref: string }> = {
    scalar: { $ref: '#/$defs/literal' },
    list: { $ref: '#/$defs/literalList' },
    factRef: { $ref: '#/$defs/factReference' },
  };
  return {
    factCondition: {
      type: 'object',
      additionalProperties: false,
      required: ['fact', 'operator', 'value'],
      properties: {
        fact: { type: 'string', minLength: 1 },
        operator: { enum: language.operators },
        value: { description: 'A literal, a list of literals, or { "fact": name } to compare with another fact, as the operator accepts.' },
        path: { type: 'string', description: 'Only on object-valued facts.' },
        params: { type: 'object' },
        name: { type: 'string' },
        priority: { type: 'integer', minimum: 1 },
      },
      allOf: [...byShapes.entries()].map(([shapes, operators]) => ({
        if: { properties: { operator: { enum: operators } } },
        then: { properties: { value: shapes.includes(',') ? { anyOf: shapes.split(',').map((s) => refs[s as AcceptedShape]) } : refs[shapes as AcceptedShape] } },
      })),
    },
    literal: { type: ['string', 'number', 'boolean', 'null'] },
    literalList: { type: 'array', items: { $ref: '#/$defs/literal' } },
    factReference: {
      type: 'object',
      additionalProperties: false,
      required: ['fact'],
      properties: { fact: { type: 'string', minLength: 1 }, path: { type: 'string' } },
    },
  };
}
