import type { Logger } from 'pino';
import type { Actor } from '../auth/actor';
import { AppError } from '../common/errors';
import type { Services } from '../services';
import type { RequestState } from './request-state';

/** What every resolver gets: the caller, the services, a request-scoped logger, what the HTTP request's operations share. */
export interface GqlContext {
  actor: Actor | null;
  requestId: string;
  request: RequestState;
  services: Services;
  log: Logger;
}

/** The caller, or UNAUTHENTICATED. */
export function actorOf(ctx: GqlContext): Actor {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED', 'send "Authorization: Bearer <api key>"');
  return ctx.actor;
}
