import type { ServerResponse } from 'node:http';
import { AppError, ERROR_ANSWERS, ERROR_CODES } from '../common/errors';
import { sendAppError, sendError } from './http-errors';

function response() {
  const sent: { status?: number; headers?: Record<string, unknown>; body?: string } = {};
  const res = {
    writeHead: (status: number, headers: Record<string, unknown>) => Object.assign(sent, { status, headers }),
    end: (body: string) => Object.assign(sent, { body }),
  } as unknown as ServerResponse;
  return { res, sent };
}

describe('error answers', () => {
  it('give every domain code an API code and an HTTP status', () => {
    for (const code of ERROR_CODES) expect(ERROR_ANSWERS[code]).toEqual({ code, status: expect.any(Number) });
    expect(ERROR_ANSWERS.UNAUTHENTICATED.status).toBe(401);
    expect(ERROR_ANSWERS.SERVICE_UNAVAILABLE.status).toBe(503);
  });

  it('answer a domain error on plain HTTP in the GraphQL error shape with its status and headers', () => {
    const { res, sent } = response();
    sendAppError(res, new AppError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 3 }), { 'retry-after': '3' });
    expect(sent.status).toBe(429);
    expect(sent.headers).toMatchObject({ 'retry-after': '3', 'content-type': 'application/json; charset=utf-8' });
    expect(JSON.parse(sent.body!)).toEqual({ errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 3 } }] });
  });

  it('lets a route override the status (413, 405)', () => {
    const { res, sent } = response();
    sendError(res, 'BAD_REQUEST', 'too large', {}, { status: 413 });
    expect(sent.status).toBe(413);
    expect(JSON.parse(sent.body!).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});
