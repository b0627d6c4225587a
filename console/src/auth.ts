/**
 * Who is signed in, kept in sessionStorage: for this tab's session only, gone when the tab
 * closes. Either an API key pasted once, or an access token from the company's identity
 * provider (OpenID Connect, authorization code flow with PKCE). Both are sent the same way
 * (Authorization: Bearer …); who that is and which roles they hold, the server says (`me`).
 *
 * The provider, the client id and the audience come from GET /.well-known/triage-sign-in, the
 * public document any client may read. The flow is the standard one for a browser app
 * (RFC 6749 §4.1 with RFC 7636 PKCE, S256; RFC 8707 resource; RFC 9207 iss checked when sent):
 * a few lines of WebCrypto, no library in the bundle.
 */
export type Session = { kind: 'api-key'; token: string } | { kind: 'oidc'; token: string; expiresAt: number | null };

export interface SignInOptions {
  issuer: string;
  clientId: string;
  audience: string;
  scope: string;
}

const KEY = 'triage.console.session';
const PENDING = 'triage.console.oidc';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** The server's sign-in document: the identity provider's browser client, or null (API keys only). */
export async function signInOptions(): Promise<SignInOptions | null> {
  try {
    const res = await fetch('/.well-known/triage-sign-in');
    if (!res.ok) return null;
    return ((await res.json()) as { oidc: SignInOptions | null }).oidc;
  } catch {
    return null;
  }
}

interface Pending {
  state: string;
  verifier: string;
  redirectUri: string;
  issuer: string;
  tokenEndpoint: string;
  clientId: string;
  audience: string;
  returnTo: string;
}

const b64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const random = (n: number) => b64url(crypto.getRandomValues(new Uint8Array(n)));

async function discover(issuer: string): Promise<{ authorization_endpoint: string; token_endpoint: string }> {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`identity provider discovery: HTTP ${res.status}`);
  const doc = (await res.json()) as { issuer?: string; authorization_endpoint?: string; token_endpoint?: string };
  if (doc.issuer !== issuer || !doc.authorization_endpoint || !doc.token_endpoint)
    throw new Error('identity provider discovery: another issuer, or no endpoints');
  return { authorization_endpoint: doc.authorization_endpoint, token_endpoint: doc.token_endpoint };
}

/** Leaves for the provider's sign-in page; it comes back to /console/?code=…&state=…. */
export async function startSignIn(o: SignInOptions): Promise<void> {
  const { authorization_endpoint, token_endpoint } = await discover(o.issuer);
  const verifier = random(32);
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const pending: Pending = {
    state: random(16),
    verifier,
    redirectUri: `${location.origin}/console/`,
    issuer: o.issuer,
    tokenEndpoint: token_endpoint,
    clientId: o.clientId,
    audience: o.audience,
    returnTo: location.hash,
  };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL(authorization_endpoint);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: o.clientId,
    redirect_uri: pending.redirectUri,
    scope: o.scope,
    state: pending.state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    resource: o.audience,
  }))
    url.searchParams.set(k, v);
  location.assign(url.toString());
}

/** Back from the provider: exchanges the code (with the PKCE verifier) for the access token. Null when this is not a return. */
export async function finishSignIn(): Promise<Session | null> {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return null;
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  const pending = raw ? (JSON.parse(raw) as Pending) : null;
  history.replaceState(null, '', `/console/${pending?.returnTo ?? ''}`);
  if (!pending || params.get('state') !== pending.state) throw new Error('sign-in: the answer does not match a sign-in this tab started; sign in again');
  if (params.has('iss') && params.get('iss') !== pending.issuer) throw new Error('sign-in: the answer comes from another issuer');
  if (params.has('error')) throw new Error(`sign-in refused: ${params.get('error_description') ?? params.get('error')}`);
  const res = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code')!,
      redirect_uri: pending.redirectUri,
      client_id: pending.clientId,
      code_verifier: pending.verifier,
      resource: pending.audience,
    }).toString(),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
  if (!body.access_token) throw new Error(`sign-in: no token (${body.error_description ?? body.error ?? `HTTP ${res.status}`})`);
  const session: Session = { kind: 'oidc', token: body.access_token, expiresAt: body.expires_in ? Date.now() + body.expires_in * 1000 : null };
  saveSession(session);
  return session;
}
