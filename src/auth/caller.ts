import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { AppError } from '../common/errors';
import { isConnectionError } from '../database/errors';
import type { KeyRateLimiter } from '../graphql/hardening';
import type { Actor } from './actor';
import type { ApiKeyService } from './api-key.service';

/** The HTTP status of each refusal `callerOf` throws. */
export const CALLER_REFUSALS = { UNAUTHENTICATED: 401, FORBIDDEN: 403, RATE_LIMITED: 429, SERVICE_UNAVAILABLE: 503 } as const satisfies Partial<Record<AppError['code'], number>>;

/**
 * The actor a request's `Authorization: Bearer <key>` stands for, counted against the key's
 * per-minute budget: one door for GraphQL and the report downloads alike. Null when the
 * request sends no key. Throws AppError: UNAUTHENTICATED (malformed, unknown or revoked key),
 * SERVICE_UNAVAILABLE (the database cannot be asked), RATE_LIMITED (`retryAfterSeconds`),
 * FORBIDDEN (X-Triage-Employee from a key that may not act for staff, or naming no active member).
 */
export async function callerOf(req: IncomingMessage, apiKeys: ApiKeyService, rateLimiter: KeyRateLimiter, log: Logger, requestId: string): Promise<Actor | null> {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  let actor: Actor | null = null;
  try {
    actor = match ? await apiKeys.authenticate(match[1]) : null;
    // The person behind it: an integration acting for staff, or a staff sign-in (src/people).
    if (match && apiKeys.resolveStaff) actor = await apiKeys.resolveStaff(req.headers, match[1], actor);
  } catch (e) {
    if (!isConnectionError(e)) throw e;
    log.error({ err: e, requestId }, 'database unavailable');
    throw new AppError('SERVICE_UNAVAILABLE', 'the database is unavailable; try again shortly');
  }
  if (!actor) throw new AppError('UNAUTHENTICATED', 'the API key is unknown or revoked; send "Authorization: Bearer <api key>"');
  const retryAfter = await rateLimiter.take(actor.name);
  if (retryAfter !== null) throw new AppError('RATE_LIMITED', `rate limit reached for this API key; retry after ${retryAfter} s`, { retryAfterSeconds: retryAfter });
  return actor;
}
