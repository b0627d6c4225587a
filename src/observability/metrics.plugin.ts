import type { ApolloServerPlugin, GraphQLRequestContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { ERROR_CODES } from '../common/errors';
import type { GqlContext } from '../graphql/context';
import type { Metrics } from './metrics';

/** What a label is when its value is not one of the known ones. */
export const OTHER = 'other';

/** Every code an answer can carry: the outcome label takes these values only. */
const OUTCOMES = new Set<string>([
  'OK',
  ...ERROR_CODES,
  'INTERNAL_SERVER_ERROR',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * The operation names metrics label as they are: the schema's root fields (`reportIncident`,
 * also written `ReportIncident`), the names METRICS_OPERATION_NAMES lists, and `anonymous` /
 * `unparsed`. Any other name is `other`: clients choose names, and every distinct label value
 * is a series kept for the life of the process.
 */
export function knownOperationNames(schema: GraphQLSchema, configured: readonly string[]): ReadonlySet<string> {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) => (t ? Object.keys(t.getFields()) : []));
  return new Set([...roots, ...roots.map((r) => r[0].toUpperCase() + r.slice(1)), ...configured, 'anonymous', 'unparsed']);
}

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

/** Counts every GraphQL operation by name (a known one, else `other`), type and outcome, and times it. */
export function metricsPlugin(metrics: Metrics, knownNames: ReadonlySet<string>): ApolloServerPlugin<GqlContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(requestContext) {
          const { operation } = requestContext;
          const given = outcomeOf(requestContext);
          const outcome = OUTCOMES.has(given) ? given : OTHER;
          const givenName = operationNameOf(requestContext);
          const name = knownNames.has(givenName) ? givenName : OTHER;
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.operations.inc({ operation: name, type: operation?.operation ?? 'unknown', outcome });
          metrics.operationDuration.observe({ operation: name, outcome }, seconds);
        },
      };
    },
  };
}
