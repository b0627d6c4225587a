import http, { IncomingMessage, ServerResponse } from 'node:http';
import crypto from 'node:crypto';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { GqlContext } from '../graphql/context';
import type { Actor } from '../auth/actor';
import { callerOf, clientAddressOf, refusalHeaders } from '../auth/caller';
import { sendError } from './http-errors';
import { AppError, ERROR_ANSWERS, httpStatusOf } from '../common/errors';
import type { Services } from '../services';
import { handleReportExport, REPORT_EXPORT_PREFIX } from '../reports/report-export.http';
import { EdgeLimits, MAX_NESTING } from '../graphql/hardening';
import { nestingOf } from '../graphql/document-limits';
import { RequestState } from '../graphql/request-state';
import { routeOf, serveMetrics } from '../observability/metrics.http';
import { RequestHandler, traceRequests } from '../observability/tracing.http';
import type { Tracing } from '../observability/tracing';
import { HttpAnswer, idempotentHttp } from '../idempotency/idempotency.http';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { consoleDir, CONSOLE_PREFIX, consoleHeaders, serveConsole } from './console.http';
import { serveSignIn, SIGN_IN_PATH } from './sign-in.http';

class BodyTooLarge extends Error {}

/** HTTP methods labelled as they are in metrics; any other is `other`. */
const METHODS = new Set(['GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']);

/** Reads a request body up to `limit` bytes; past it, drains the rest and rejects. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume();
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * The HTTP front: POST/GET /graphql through Apollo, /healthz (the process answers) and
 * /readyz (database reachable and a rule pack loaded). Plain node:http: the service's
 * thread is the bottleneck, so no framework sits in the hot path. With `tracing`, each request
 * runs in a server span (tracing.http.ts); without, nothing wraps it.
 */
export function createHttpServer(apollo: ApolloServer<GqlContext>, services: Services, limits: EdgeLimits, tracing: Tracing | null = null): http.Server {
  const { log, config } = services;
  const idempotency = new IdempotencyStore(services.ds, services.clock);
  const drain: DrainState = { closing: false, inFlight: new Set(), idle: [] };
  const consoleRoot = consoleDir();
  // The console may talk to the identity provider (discovery, token endpoint) besides this server.
  const consoleHttp = consoleHeaders(config.oidc?.clientId ? [new URL(config.oidc.issuer).origin] : []);
  const handle: RequestHandler = async (req, res, requestId) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(url.pathname);
      services.metrics.httpRequests.inc({ method: METHODS.has(req.method ?? '') ? req.method! : 'other', route, status: String(res.statusCode) });
      services.metrics.httpDuration.observe({ route }, seconds);
      log.debug({ requestId, method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 }, 'request');
    });
    try {
      if (url.pathname === '/healthz') return send(res, 200, { status: 'ok' });
      if (url.pathname === '/readyz') return await ready(res, services);
      if (url.pathname === '/metrics' && !config.metrics.port) return await serveMetrics(req, res, services.metrics, config.metrics.token);
      if (url.pathname === CONSOLE_PREFIX || url.pathname.startsWith(`${CONSOLE_PREFIX}/`)) return serveConsole(req, res, url, consoleRoot, consoleHttp);
      if (url.pathname === SIGN_IN_PATH) return serveSignIn(req.method, res, config.oidc);
      if (url.pathname.startsWith(REPORT_EXPORT_PREFIX)) return await handleReportExport(req, res, url, services, limits, requestId);
      if (url.pathname !== '/graphql') return send(res, 404, { error: 'not found', paths: ['/graphql', '/healthz', '/readyz', SIGN_IN_PATH] });
      if (req.method !== 'POST' && req.method !== 'GET') return send(res, 405, { error: 'use POST /graphql' }, { allow: 'GET, POST' });

      let body: unknown = undefined;
      if (req.method === 'POST') {
        const raw = await readBody(req, config.maxBodyBytes);
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch {
          return sendError(res, 'BAD_REQUEST', 'the request body is not JSON');
        }
        if (Array.isArray(body) && body.length > config.graphql.maxBatch) {
          return sendError(res, 'BAD_REQUEST', `at most ${config.graphql.maxBatch} operations per batch`);
        }
      }
      const tooDeep = queriesOf(req.method === 'POST' ? body : { query: url.searchParams.get('query') }).find((q) => nestingOf(q) > MAX_NESTING);
      if (tooDeep !== undefined) {
        return sendError(res, 'GRAPHQL_PARSE_FAILED', `the document nests braces, brackets or parentheses more than ${MAX_NESTING} deep`, {
          maxNesting: MAX_NESTING,
        });
      }
      const headers = new HeaderMap();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      const execute = async (): Promise<HttpAnswer> => {
        const result = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method!, headers, search: url.search, body },
          context: () => contextFor(req, requestId, services, limits),
        });
        let text = '';
        if (result.body.kind === 'complete') text = result.body.string;
        else for await (const chunk of result.body.asyncIterator) text += chunk;
        return { status: result.status ?? 200, headers: [...result.headers], body: text };
      };
      // With an Idempotency-Key header, a retried mutation gets the first answer (idempotency.http.ts).
      const answer = await idempotentHttp(req, url, body, idempotency, execute);
      for (const [k, v] of answer.headers) res.setHeader(k, v);
      res.statusCode = answer.status;
      res.end(answer.body);
    } catch (e) {
      if (e instanceof BodyTooLarge) return sendError(res, 'BAD_REQUEST', `the request body is larger than ${config.maxBodyBytes} bytes`, {}, { status: 413 });
      log.error({ err: e, requestId }, 'request failed');
      if (!res.headersSent) sendError(res, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.end();
    }
  };
  const serve = tracing ? traceRequests(tracing, handle) : handle; // decided once, not per request
  const { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs, maxConnections } = config.http;
  const server = http.createServer(
    {
      requestTimeout: requestTimeoutMs, // the whole request, body included, must arrive within it (else 408)
      headersTimeout: headersTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      // How often node:http looks for requests past those timeouts (its default, 30 s, would let a trickle run long past them).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(Math.min(requestTimeoutMs, headersTimeoutMs) / 4))),
    },
    (req, res) => {
      // Once closing, every answer closes its connection: keep-alive clients cannot hold the drain open.
      if (drain.closing) res.shouldKeepAlive = false;
      drain.inFlight.add(res);
      const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || crypto.randomUUID();
      res.setHeader('x-request-id', requestId);
      void serve(req, res, requestId).finally(() => {
        drain.inFlight.delete(res);
        if (drain.inFlight.size === 0) for (const done of drain.idle.splice(0)) done();
      });
    },
  );
  if (maxConnections > 0) server.maxConnections = maxConnections; // past it, new connections are closed at once
  drains.set(server, drain);
  return server;
}

/** The query texts of a POST body (one operation or a batch) or of a GET's `query` parameter. */
function queriesOf(body: unknown): string[] {
  const ops = Array.isArray(body) ? body : [body];
  return ops.flatMap((op) => (op && typeof op === 'object' && typeof (op as { query?: unknown }).query === 'string' ? [(op as { query: string }).query] : []));
}

interface DrainState {
  closing: boolean;
  /** Requests whose handler has not finished (even when their client has gone). */
  inFlight: Set<ServerResponse>;
  idle: Array<() => void>;
}

const drains = new WeakMap<http.Server, DrainState>();

/**
 * Stops the HTTP front gracefully: no new connections, idle keep-alive connections closed,
 * every request in flight answered with `Connection: close`. Resolves once the last handler
 * has finished — also those whose client went away meanwhile, so the database is never
 * closed under a transaction still running.
 */
export async function closeHttpServer(server: http.Server): Promise<void> {
  const drain = drains.get(server);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  if (drain) {
    drain.closing = true;
    for (const res of drain.inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
  }
  server.closeIdleConnections();
  await closed;
  if (drain && drain.inFlight.size > 0) await new Promise<void>((resolve) => drain.idle.push(resolve));
}

/** A request's context. Its logger is made on first use: most requests never log. */
class RequestContext implements GqlContext {
  private logger: Logger | null = null;

  constructor(
    readonly actor: Actor | null,
    readonly requestId: string,
    readonly services: Services,
    readonly request: RequestState,
  ) {}

  get log(): Logger {
    return (this.logger ??= this.services.log.child(this.actor ? { requestId: this.requestId, actor: this.actor.name } : { requestId: this.requestId }));
  }
}

async function contextFor(req: IncomingMessage, requestId: string, services: Services, limits: EdgeLimits): Promise<GqlContext> {
  const state = new RequestState(clientAddressOf(req), services.config.graphql.timeoutMs);
  try {
    return new RequestContext(await callerOf(req, services.apiKeys, limits.authThrottle, services.log, requestId), requestId, services, state);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    // Apollo takes the status only with a HeaderMap beside it (undefined headers: the status is dropped, HTTP 500).
    const headers = new HeaderMap(Object.entries(refusalHeaders(e)));
    throw new GraphQLError(e.message, {
      extensions: { code: ERROR_ANSWERS[e.code].code, ...e.extensions, http: { status: httpStatusOf(e.code), headers } },
    });
  }
}

/** How long /readyz waits for the database: a pool run dry or a server that hangs is not ready. */
export const READY_DATABASE_WAIT_MS = 800;

async function ready(res: ServerResponse, services: Services) {
  const checks = { database: false, rules: services.ruleSets.isLoaded() };
  let timer: NodeJS.Timeout | undefined;
  try {
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database check timed out')), READY_DATABASE_WAIT_MS);
    });
    await Promise.race([services.ds.query('SELECT 1'), late]);
    checks.database = true;
  } catch {
    // reported below (a check that answers after the timeout is ignored)
  } finally {
    clearTimeout(timer);
  }
  const ok = checks.database && checks.rules;
  send(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', checks, ruleSetVersion: checks.rules ? services.ruleSets.current().version : null });
}
