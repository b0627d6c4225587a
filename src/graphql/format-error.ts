import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { AppError, ERROR_CODES } from '../common/errors';
import { isConnectionError } from '../database/errors';

/** Codes Apollo itself sets, passed through as they are. */
const APOLLO_CODES = new Set([
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN',
]);

/**
 * The one place errors become the contract's shape. Domain errors keep their code and
 * extensions; Apollo's request errors keep theirs (variable errors gain `field`); anything
 * else is masked as INTERNAL_SERVER_ERROR and logged with its stack. No stack trace is ever
 * sent to a client.
 */
export function makeFormatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    if (original instanceof AppError) {
      return { ...base, message: original.message, extensions: { code: original.code, ...original.extensions } };
    }
    const code = formatted.extensions?.code as string | undefined;
    if (code && (APOLLO_CODES.has(code) || (ERROR_CODES as readonly string[]).includes(code))) {
      const { stacktrace: _s, http: _h, exception: _e, ...rest } = formatted.extensions ?? {};
      const extensions: Record<string, unknown> = { ...rest, code };
      const field = fieldOf(formatted.message);
      if (code === 'BAD_USER_INPUT' && field && !extensions.field) extensions.field = field;
      return { ...base, extensions };
    }
    if (original instanceof GraphQLError && !original.originalError) {
      // A scalar or argument error raised by graphql-js while executing: the input is at fault.
      return { ...base, extensions: { code: 'BAD_USER_INPUT' } };
    }
    if (isConnectionError(original)) {
      log.error({ err: original }, 'database unavailable');
      return { ...base, message: 'the database is unavailable; try again shortly', extensions: { code: 'SERVICE_UNAVAILABLE' } };
    }
    log.error({ err: original }, 'unexpected error');
    return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/**
 * The input path named in graphql-js variable errors:
 * `Variable "$input" got invalid value "x" at "input.amount"; …` → input.amount;
 * `…; Field "source" of required type "String!" was not provided.` → input.source.
 */
export function fieldOf(message: string): string | undefined {
  const variable = /^Variable "\$([^"]+)"/.exec(message)?.[1];
  if (!variable) return undefined;
  const at = /got invalid value .* at "([^"]+)"/.exec(message)?.[1] ?? variable;
  const missing = /Field "([^"]+)" of required type/.exec(message)?.[1] ?? /Field "([^"]+)" is not defined by type/.exec(message)?.[1];
  return missing ? `${at}.${missing}` : at;
}
