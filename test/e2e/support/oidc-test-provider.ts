import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { exportJWK, generateKeyPair, JWK } from 'jose';

/** A key the provider signs with: a private JWK with its key id. */
export async function signingKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

/** The OpenID Provider of oidc-provider.mjs in a child process on 127.0.0.1; restart() rotates its keys on the same issuer. */
export class TestOpenIdProvider {
  issuer = '';
  private child: ChildProcess | null = null;

  constructor(
    private readonly employees: string[],
    private readonly audience: string,
    /** A public client for the authorization code flow with PKCE from a browser, and its redirect URI. */
    private readonly browser: { clientId: string; redirectUri: string } | null = null,
  ) {}

  async start(keys: JWK[]): Promise<string> {
    const port = this.issuer ? new URL(this.issuer).port : '0';
    const child = spawn(process.execPath, [path.join(__dirname, 'oidc-provider.mjs')], {
      env: {
        ...process.env,
        OIDC_TEST_KEYS: JSON.stringify(keys),
        OIDC_TEST_PORT: port,
        OIDC_TEST_EMPLOYEES: this.employees.join(','),
        OIDC_TEST_AUDIENCE: this.audience,
        ...(this.browser ? { OIDC_TEST_BROWSER_CLIENT: this.browser.clientId, OIDC_TEST_BROWSER_REDIRECT: this.browser.redirectUri } : {}),
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.issuer = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /READY (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
      });
      child.once('exit', (code) => reject(new Error(`the OpenID Provider exited (${code}): ${err}`)));
    });
    return this.issuer;
  }

  /** A token from the provider's token endpoint (client_credentials with a resource indicator). */
  async token(employeeNo: string, resource = this.audience): Promise<string> {
    const res = await fetch(`${this.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`staff-${employeeNo}:secret`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api', resource }).toString(),
    });
    const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
    if (!body.access_token) throw new Error(`no token: ${body.error} ${body.error_description}`);
    return body.access_token;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    child.removeAllListeners('exit');
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
