import http, { IncomingMessage, ServerResponse } from 'node:http';
import crypto from 'node:crypto';
import type { Metrics } from './metrics';
import { httpStatusOf } from '../common/errors';

/** Routes as metric labels: known paths only, so label values stay few. */
export function routeOf(pathname: string): string {
  if (pathname.startsWith('/reports/')) return '/reports';
  if (pathname === '/console' || pathname.startsWith('/console/')) return '/console';
  return ['/graphql', '/healthz', '/readyz', '/metrics'].includes(pathname) ? pathname : 'other';
}

/** GET /metrics in Prometheus text format; with METRICS_TOKEN set it needs "Authorization: Bearer <token>". */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: Metrics, token: string | null): Promise<void> {
  if (token) {
    const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '');
    const wanted = Buffer.from(token);
    if (given.length !== wanted.length || !crypto.timingSafeEqual(given, wanted)) {
      res.writeHead(httpStatusOf('UNAUTHENTICATED'), { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
      res.end('metrics need "Authorization: Bearer <METRICS_TOKEN>"\n');
      return;
    }
  }
  const body = await metrics.exposition();
  res.writeHead(200, { 'content-type': metrics.registry.contentType });
  res.end(body);
}

/** A separate server for /metrics only (METRICS_PORT), so the API port need not expose it. */
export function createMetricsServer(metrics: Metrics, token: string | null): http.Server {
  return http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    serveMetrics(req, res, metrics, token).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
}
