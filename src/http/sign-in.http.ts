import type { ServerResponse } from 'node:http';
import type { OidcConfig } from '../config/config';

/** Where any client learns how staff sign in: public, no key needed. */
export const SIGN_IN_PATH = '/.well-known/triage-sign-in';

/**
 * The sign-in a browser can start on its own: the identity provider's issuer, the public client
 * registered for browsers (authorization code with PKCE) and the resource (audience) to ask a
 * token for. `oidc` is null when staff sign-in is off or no browser client is configured: sign
 * in with an API key then. Nothing here is secret; the web console reads it like any client.
 */
export function signInDocument(oidc: OidcConfig | null): { oidc: { issuer: string; clientId: string; audience: string; scope: string } | null } {
  if (!oidc?.clientId) return { oidc: null };
  return { oidc: { issuer: oidc.issuer, clientId: oidc.clientId, audience: oidc.audience, scope: 'openid' } };
}

export function serveSignIn(method: string | undefined, res: ServerResponse, oidc: OidcConfig | null): void {
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end('use GET\n');
    return;
  }
  const text = JSON.stringify(signInDocument(oidc));
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'public, max-age=300',
    'access-control-allow-origin': '*',
  });
  res.end(method === 'HEAD' ? undefined : text);
}
