import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { GqlContext } from './context';

/**
 * A plugin whose hooks keep no state of their own per request: one listener serves every
 * operation, handed to Apollo as one promise made at boot. Apollo asks every plugin for its
 * listener on every operation; an `async requestDidStart` building it anew costs a promise, an
 * object and its closures each time, for hooks that only read the request context they are given.
 */
export function requestHooks(listener: GraphQLRequestListener<GqlContext>): ApolloServerPlugin<GqlContext> {
  const ready = Promise.resolve(listener);
  return { requestDidStart: () => ready };
}
