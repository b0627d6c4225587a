import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import { routeOf } from './metrics.http';
import { ATTR, Tracing } from './tracing';

/** How http-server.ts handles one request, under the request id it gave it. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<unknown>;

/**
 * `handle` with a server span around each request, active while it runs: the root of the
 * request's trace, or a child of the caller's when it sends a W3C `traceparent`. Named by route
 * (`POST /graphql`), with the request id; ended when the response closes.
 */
export function traceRequests(tracing: Tracing, handle: RequestHandler): RequestHandler {
  return (req, res, requestId) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routeOf(path);
    const method = req.method ?? 'GET';
    const span = tracing.tracer.startSpan(
      `${method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_HTTP_ROUTE]: route, [ATTR_URL_PATH]: path, [ATTR.requestId]: requestId },
      },
      parent,
    );
    res.once('close', () => {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    return context.with(trace.setSpan(parent, span), handle, undefined, req, res, requestId);
  };
}
