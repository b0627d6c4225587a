import type { ApolloServerPlugin, GraphQLRequestContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { GqlContext } from '../graphql/context';
import type { Metrics } from './metrics';

/** An operation's outcome: OK, or the code of its first error (what metrics and traces label it with). */
export function outcomeOf({ errors, response }: GraphQLRequestContextWillSendResponse<GqlContext>): string {
  const body = response.body.kind === 'single' ? response.body.singleResult : null;
  const firstError = body?.errors?.[0] ?? errors?.[0];
  return firstError ? String(firstError.extensions?.code ?? 'INTERNAL_SERVER_ERROR') : 'OK';
}

/** An operation's name as metrics and traces label it: its own, `anonymous`, or `unparsed` before it is known. */
export function operationNameOf({ operationName, operation }: Pick<GraphQLRequestContext<GqlContext>, 'operationName' | 'operation'>): string {
  return operationName ?? operation?.name?.value ?? (operation ? 'anonymous' : 'unparsed');
}

/** Counts every GraphQL operation by name, type and outcome, and times it. */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin<GqlContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(requestContext) {
          const { operation } = requestContext;
          const outcome = outcomeOf(requestContext);
          const name = operationNameOf(requestContext);
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.operations.inc({ operation: name, type: operation?.operation ?? 'unknown', outcome });
          metrics.operationDuration.observe({ operation: name, outcome }, seconds);
        },
      };
    },
  };
}
