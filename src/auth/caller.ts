import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { AppError } from '../common/errors';
import { isDatabaseUnavailable } from '../database/errors';
import type { Actor } from './actor';
import type { ApiKeyService } from './api-key.service';
import type { AuthFailureThrottle } from './auth-throttle';

/** Seconds a client is told to wait while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The HTTP headers that go with a refusal, GraphQL and the report downloads alike:
 * `WWW-Authenticate` with a 401, `Retry-After` with a 429 or 503.
 */
export function refusalHeaders(e: AppError): Record<string, string> {
  if (e.code === 'UNAUTHENTICATED') return { 'www-authenticate': 'Bearer realm="triage"' };
  const retryAfter = e.extensions.retryAfterSeconds;
  return retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
}

/** The client's address as the socket sees it (behind a proxy: the proxy's). */
export const clientAddressOf = (req: IncomingMessage): string => req.socket.remoteAddress ?? 'unknown';

/**
 * The actor a request's `Authorization: Bearer <key>` stands for: one door for GraphQL and the
 * report downloads alike. Null when the request sends no key. Throws AppError:
 * UNAUTHENTICATED (malformed, unknown or revoked key), RATE_LIMITED (`retryAfterSeconds`: the
 * client address failed authentication too often), SERVICE_UNAVAILABLE (`retryAfterSeconds`:
 * the database cannot be asked), FORBIDDEN (X-Triage-Employee from a key that may not act for
 * staff, or naming no active member). Rate limits per key are counted per operation, elsewhere.
 */
export async function callerOf(
  req: IncomingMessage,
  apiKeys: ApiKeyService,
  throttle: AuthFailureThrottle,
  log: Logger,
  requestId: string,
): Promise<Actor | null> {
  const header = req.headers.authorization;
  if (!header) return null;
  const address = clientAddressOf(req);
  const wait = await throttle.blocked(address);
  if (wait !== null) {
    throw new AppError('RATE_LIMITED', `too many failed authentications from this address; retry after ${wait} s`, { retryAfterSeconds: wait });
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  let actor: Actor | null;
  try {
    actor = match ? await apiKeys.authenticate(match[1]) : null;
    // The person behind it: an integration acting for staff, or a staff sign-in (src/people).
    if (match && apiKeys.resolveStaff) actor = await apiKeys.resolveStaff(req.headers, match[1], actor);
  } catch (e) {
    if (!isDatabaseUnavailable(e)) throw e;
    log.error({ err: e, requestId }, 'database unavailable');
    throw new AppError('SERVICE_UNAVAILABLE', 'the database is unavailable; try again shortly', { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
  }
  if (!actor) {
    await throttle.failed(address);
    throw new AppError('UNAUTHENTICATED', 'the API key is unknown or revoked; send "Authorization: Bearer <api key>"');
  }
  return actor;
}
