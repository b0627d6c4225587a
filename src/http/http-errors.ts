import type { ServerResponse } from 'node:http';
import { AppError, ERROR_ANSWERS, type ErrorCode, type TransportErrorCode } from '../common/errors';

/**
 * A plain HTTP route's error answer in the GraphQL error shape (`{ errors: [{ message,
 * extensions: { code } }] }`), with the code's HTTP status from ERROR_ANSWERS unless `status`
 * says otherwise (413 for a body too large, 405 for a wrong method).
 */
export function sendError(
  res: ServerResponse,
  code: ErrorCode | TransportErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
  options: { status?: number; headers?: Record<string, string> } = {},
): void {
  const answer = ERROR_ANSWERS[code];
  const text = JSON.stringify({ errors: [{ message, extensions: { code: answer.code, ...extensions } }] });
  res.writeHead(options.status ?? answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...options.headers,
  });
  res.end(text);
}

/** A domain error as a plain HTTP route answers it. */
export function sendAppError(res: ServerResponse, e: AppError, headers: Record<string, string> = {}): void {
  sendError(res, e.code, e.message, e.extensions, { headers });
}
