import { createParameterDecorator } from 'type-graphql';
import { actorOf, type GqlContext } from './context';

/**
 * The caller of the request as a resolver parameter: `@CurrentActor() actor: Actor`.
 * UNAUTHENTICATED when the request has none (`@Authorized` resolvers have refused it already).
 */
export function CurrentActor() {
  return createParameterDecorator<GqlContext>(({ context }) => actorOf(context));
}
