import type { AuthChecker } from 'type-graphql';
import { hasAnyRole, Role } from '../auth/actor';
import { AppError } from '../common/errors';
import { actorOf, GqlContext } from './context';

/**
 * `@Authorized()` needs any valid key; `@Authorized(['ADMIN', …])` one of those roles.
 * Throws coded errors itself so the answer is UNAUTHENTICATED or FORBIDDEN, never a generic one.
 */
export const authChecker: AuthChecker<GqlContext, Role> = ({ context, info }, roles) => {
  const actor = actorOf(context);
  if (roles.length === 0 || hasAnyRole(actor, roles)) return true;
  throw new AppError('FORBIDDEN', `${info.parentType.name}.${info.fieldName} needs one of the roles ${roles.join(', ')}`);
};
