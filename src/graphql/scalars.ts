import { GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { formatFen } from '../money/money';
import { BoundedJSONScalar } from './json-input';

/**
 * Exact money in yuan as a string ("5000.01"). Output: a bigint of fen formatted with two
 * decimals. Input is passed through untouched and checked by the service, which knows the
 * field path and answers BAD_USER_INPUT with `extensions.field` (a scalar error cannot).
 */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'Exact amount of money in yuan, a string with at most two decimals: "5000.01". Never a float.',
  serialize: (value) => formatFen(value as bigint),
  parseValue: (value) => value,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING) return ast.value;
    if (ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return Number(ast.value);
    return undefined;
  },
});

export const DateTimeScalar = DateTimeResolver;
/** JSON, bounded in depth and size (json-input.ts). */
export const JSONScalar = BoundedJSONScalar;
