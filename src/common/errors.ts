/**
 * Domain errors. Services throw these with a code; one place (src/graphql/format-error.ts)
 * maps them to the contract's `extensions.code`. Anything else is masked as
 * INTERNAL_SERVER_ERROR and logged.
 */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'RULES_INVALID',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'RULES_FAILED',
  'REQUEST_TIMEOUT',
  'ACTIONS_OUTSTANDING',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes of the transport itself (no domain error): a malformed request, a masked failure. */
export type TransportErrorCode = 'BAD_REQUEST' | 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED' | 'INTERNAL_SERVER_ERROR';

/**
 * The one table from an error code to its answer: the contract's `extensions.code` and the HTTP
 * status. GraphQL (graphql/format-error.ts, the refusals before an operation runs: sign-in, rate
 * limit, cost, time budget) and the plain HTTP routes (http/http-errors.ts: report downloads,
 * the endpoint's own refusals) both read it. An error inside a GraphQL operation is answered
 * with HTTP 200, as GraphQL over HTTP does; the status is for everything else.
 */
export const ERROR_ANSWERS = {
  UNAUTHENTICATED: { code: 'UNAUTHENTICATED', status: 401 },
  FORBIDDEN: { code: 'FORBIDDEN', status: 403 },
  BAD_USER_INPUT: { code: 'BAD_USER_INPUT', status: 400 },
  NOT_FOUND: { code: 'NOT_FOUND', status: 404 },
  CONFLICT: { code: 'CONFLICT', status: 409 },
  RULES_INVALID: { code: 'RULES_INVALID', status: 422 },
  RATE_LIMITED: { code: 'RATE_LIMITED', status: 429 },
  SERVICE_UNAVAILABLE: { code: 'SERVICE_UNAVAILABLE', status: 503 },
  RULES_FAILED: { code: 'RULES_FAILED', status: 500 },
  REQUEST_TIMEOUT: { code: 'REQUEST_TIMEOUT', status: 503 },
  ACTIONS_OUTSTANDING: { code: 'ACTIONS_OUTSTANDING', status: 409 },
  BAD_REQUEST: { code: 'BAD_REQUEST', status: 400 },
  GRAPHQL_PARSE_FAILED: { code: 'GRAPHQL_PARSE_FAILED', status: 400 },
  GRAPHQL_VALIDATION_FAILED: { code: 'GRAPHQL_VALIDATION_FAILED', status: 400 },
  INTERNAL_SERVER_ERROR: { code: 'INTERNAL_SERVER_ERROR', status: 500 },
} as const satisfies Record<ErrorCode | TransportErrorCode, { code: string; status: number }>;

/** The HTTP status of a code (ERROR_ANSWERS). */
export const httpStatusOf = (code: ErrorCode | TransportErrorCode): number => ERROR_ANSWERS[code].status;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra extensions: `field` for BAD_USER_INPUT, `allowed`, `problems`… */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badInput = (field: string, message: string, extra: Record<string, unknown> = {}) =>
  new AppError('BAD_USER_INPUT', `${field}: ${message}`, { field, ...extra });
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, extra: Record<string, unknown> = {}) => new AppError('CONFLICT', message, extra);
export const forbidden = (message = 'not allowed for your roles') => new AppError('FORBIDDEN', message);
