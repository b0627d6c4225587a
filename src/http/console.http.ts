import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Every path the console answers is /console or under it. */
export const CONSOLE_PREFIX = '/console';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * No inline scripts, nothing from another origin: the console talks to this server's /graphql
 * and /reports only, and to the identity provider when staff sign in through it (`connectTo`:
 * its origin, for discovery and the token endpoint). ECharts sets inline styles on its
 * canvases, hence style-src 'unsafe-inline'.
 */
export function consoleHeaders(connectTo: string[] = []): Record<string, string> {
  return {
    'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src ${["'self'", ...connectTo].join(' ')}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/** Where `npm run build` writes the console: console/dist beside package.json (from src/ under ts-jest, or dist/src/ when built). */
export function consoleDir(from = __dirname): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'console'))) {
      const built = path.join(dir, 'console', 'dist');
      return fs.existsSync(path.join(built, 'index.html')) ? built : null;
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * GET /console/…: the built web console (应急控制台), static files only. Hashed assets are
 * cached for a year; every other path is the single page's index.html (its router decides),
 * never cached, so a new build is picked up on the next visit. It holds no secret and needs no
 * key: the page asks for one and calls the public GraphQL API with it.
 */
export function serveConsole(req: IncomingMessage, res: ServerResponse, url: URL, root: string | null, headers = consoleHeaders()): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end('use GET\n');
    return;
  }
  if (!root) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('the console is not built: run npm run build\n');
    return;
  }
  if (url.pathname === CONSOLE_PREFIX) {
    res.writeHead(301, { location: `${CONSOLE_PREFIX}/` });
    res.end();
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname.slice(CONSOLE_PREFIX.length + 1));
  } catch {
    rel = '';
  }
  const file = path.resolve(root, rel);
  const inside = file.startsWith(root + path.sep) && !rel.includes('\0');
  const asset = inside && rel.startsWith('assets/') && isFile(file);
  const target = asset ? file : path.join(root, 'index.html');
  if (rel.startsWith('assets/') && !asset) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
    return;
  }
  const body = fs.readFileSync(target);
  res.writeHead(200, {
    'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': asset ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
