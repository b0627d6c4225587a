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
