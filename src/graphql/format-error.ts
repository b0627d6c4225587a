import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GqlContext } from './context';
import { AppError, ERROR_ANSWERS, ERROR_CODES } from '../common/errors';
import { isDatabaseUnavailable } from '../database/errors';
import { fieldOf, inputPathOf } from './input-paths';
import { requestHooks } from './request-hooks';

/** Codes Apollo itself sets, passed through as they are. */
const APOLLO_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
]);

/** What an error is, for the client's answer and for the log. */
type Kind = 'domain' | 'known-code' | 'input' | 'database-down' | 'unexpected';

function kindOf(formatted: GraphQLFormattedError | null, error: unknown): Kind {
  const original = unwrapResolverError(error);
  if (original instanceof AppError) return 'domain';
  const code = (formatted?.extensions?.code ?? (error instanceof GraphQLError ? error.extensions?.code : undefined)) as string | undefined;
  if (code && (APOLLO_CODES.has(code) || (ERROR_CODES as readonly string[]).includes(code))) return 'known-code';
  // A scalar or argument error raised by graphql-js while executing: the input is at fault.
  if (original instanceof GraphQLError && !original.originalError) return 'input';
  return isDatabaseUnavailable(original) ? 'database-down' : 'unexpected';
}

/**
 * The one place errors become the contract's shape. Domain errors keep their code and
 * extensions; Apollo's request errors keep theirs (variable errors gain `field`, bad values
 * written in the query become BAD_USER_INPUT with theirs: input-paths.ts); anything
 * else is masked as INTERNAL_SERVER_ERROR. No stack trace is ever sent to a client; the
 * masked ones are logged by `errorLogPlugin`, with the request's id.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  switch (kindOf(formatted, error)) {
    case 'domain': {
      const original = unwrapResolverError(error) as AppError;
      return { ...base, message: original.message, extensions: { code: ERROR_ANSWERS[original.code].code, ...original.extensions } };
    }
    case 'known-code': {
      // A bad value written in the query itself fails validation: it is bad input all the same.
      const path = inputPathOf(error);
      const given = formatted.extensions!.code as string;
      const code = path && given === 'GRAPHQL_VALIDATION_FAILED' ? 'BAD_USER_INPUT' : given;
      const { stacktrace: _s, http: _h, exception: _e, ...rest } = formatted.extensions ?? {};
      const extensions: Record<string, unknown> = { ...rest, code };
      const field = path ?? fieldOf(formatted.message);
      if (code === 'BAD_USER_INPUT' && field && !extensions.field) extensions.field = field;
      return { ...base, extensions };
    }
    case 'input':
      return { ...base, extensions: { code: ERROR_ANSWERS.BAD_USER_INPUT.code } };
    case 'database-down':
      return { ...base, message: 'the database is unavailable; try again shortly', extensions: { code: ERROR_ANSWERS.SERVICE_UNAVAILABLE.code } };
    case 'unexpected':
      return { ...base, message: 'Internal server error', extensions: { code: ERROR_ANSWERS.INTERNAL_SERVER_ERROR.code } };
  }
}

/**
 * Logs the errors `formatError` masks — with their stack, on the request's logger, so each
 * line carries the request id (and the actor) the client's `x-request-id` header names.
 */
export function errorLogPlugin(): ApolloServerPlugin<GqlContext> {
  return requestHooks({
    async didEncounterErrors({ contextValue, errors }) {
      for (const error of errors) {
        const kind = kindOf(null, error);
        if (kind === 'database-down') contextValue.log.error({ err: unwrapResolverError(error) }, 'database unavailable');
        if (kind === 'unexpected') contextValue.log.error({ err: unwrapResolverError(error) }, 'unexpected error');
      }
    },
  });
}
