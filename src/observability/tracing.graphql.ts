import type { ApolloServerPlugin } from '@apollo/server';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { Context, context, SpanStatusCode, trace } from '@opentelemetry/api';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import type { GqlContext } from '../graphql/context';
import { operationNameOf, outcomeOf } from './metrics.plugin';
import { ATTR, Tracing } from './tracing';

/**
 * The context of each operation's span, by the operation's GraphQL context object (Apollo
 * gives every operation its own, also within a batch).
 */
const operations = new WeakMap<object, Context>();

/**
 * A span per GraphQL operation, `graphql.mutation reportIncident` once the operation is known,
 * with the request id and the outcome (OK or the first error's code; ERROR status when not OK).
 * Its parent is the request's server span. Error messages are not recorded: they can quote input.
 */
export function tracingPlugin(tracing: Tracing): ApolloServerPlugin<GqlContext> {
  return {
    async requestDidStart({ contextValue }) {
      const span = tracing.tracer.startSpan('graphql.request', { attributes: { [ATTR.requestId]: contextValue.requestId } });
      operations.set(contextValue, trace.setSpan(context.active(), span));
      return {
        async didResolveOperation(requestContext) {
          const type = requestContext.operation?.operation ?? 'unknown';
          const name = operationNameOf(requestContext);
          span.updateName(`graphql.${type} ${name}`);
          span.setAttributes({ 'graphql.operation.type': type, 'graphql.operation.name': name });
        },
        async willSendResponse(requestContext) {
          const outcome = outcomeOf(requestContext);
          span.setAttribute(ATTR.outcome, outcome);
          if (outcome !== 'OK') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
          span.end();
        },
      };
    },
    // Apollo answers "Internal server error" without willSendResponse when its pipeline itself throws.
    async unexpectedErrorProcessingRequest({ requestContext }) {
      const operation = operations.get(requestContext.contextValue);
      const span = operation && trace.getSpan(operation);
      if (!span?.isRecording()) return;
      span.setAttribute(ATTR.outcome, 'INTERNAL_SERVER_ERROR');
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'INTERNAL_SERVER_ERROR' });
      span.end();
    },
  };
}

/**
 * The schema with every field resolver run inside its operation's span, so that the spans
 * resolvers start (rule evaluation, database statements) are that span's children. Apollo's
 * plugin hooks cannot do it: they run before and after execution, never around it. A copy: the
 * schema built once per process stays as it is for apps that do not trace.
 */
export function withOperationSpans(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field) => (field.resolve ? { ...field, resolve: inOperation(field.resolve) } : field),
  });
}

function inOperation(resolve: GraphQLFieldResolver<unknown, object>): GraphQLFieldResolver<unknown, object> {
  return (source, args, contextValue, info) => {
    const operation = operations.get(contextValue);
    return operation ? context.with(operation, resolve, undefined, source, args, contextValue, info) : resolve(source, args, contextValue, info);
  };
}
