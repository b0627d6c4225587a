import type { ApolloServerPlugin } from '@apollo/server';
import type { GqlContext } from '../graphql/context';
import type { Metrics } from './metrics';

/** Counts every GraphQL operation by name, type and outcome, and times it. */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin<GqlContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, errors, response }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : null;
          const firstError = body?.errors?.[0] ?? errors?.[0];
          const outcome = firstError ? String(firstError.extensions?.code ?? 'INTERNAL_SERVER_ERROR') : 'OK';
          const name = operationName ?? operation?.name?.value ?? (operation ? 'anonymous' : 'unparsed');
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.operations.inc({ operation: name, type: operation?.operation ?? 'unknown', outcome });
          metrics.operationDuration.observe({ operation: name, outcome }, seconds);
        },
      };
    },
  };
}
