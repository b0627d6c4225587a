import type { Logger } from 'pino';
import type { Actor } from '../auth/actor';
import { AppError } from '../common/errors';
import type { Services } from '../services';

/** What every resolver gets: the caller, the services, a request-scoped logger. */
export interface GqlContext {
  actor: Actor | null;
  requestId: string;
  services: Services;
  log: Logger;
}

/** The caller, or UNAUTHENTICATED. */
export function actorOf(ctx: GqlContext): Actor {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED', 'send "Authorization: Bearer <api key>"');
  return ctx.actor;
}
