// A real OpenID Provider (the certified `oidc-provider` package) for the staff sign-in tests, on
// 127.0.0.1. Started as a child process: the package is ESM only. Environment:
//   OIDC_TEST_KEYS  JSON array of private JWKs; the first one signs (a rotation puts a new key first)
//   OIDC_TEST_PORT  the port (0: any; a restart after a rotation keeps the issuer's port)
//   OIDC_TEST_AUDIENCE  the resource indicator tokens may be issued for (others are refused by the service under test, not here)
//   OIDC_TEST_BROWSER_CLIENT, OIDC_TEST_BROWSER_REDIRECT  optional: a public client (no secret,
//     PKCE required) for the authorization code flow from a browser, with that redirect URI; the
//     provider's own login page (devInteractions) signs anyone in by the login typed, its consent granted
// Clients: `staff-<employeeNo>` with secret `secret`, client_credentials only; a token carries
// employee_no = <employeeNo> (the account signed in, for the browser client). Prints `READY <issuer>` once listening.
import http from 'node:http';
import Provider from 'oidc-provider';

const keys = JSON.parse(process.env.OIDC_TEST_KEYS);
const employees = (process.env.OIDC_TEST_EMPLOYEES ?? '').split(',').filter(Boolean);
const browserClient = process.env.OIDC_TEST_BROWSER_CLIENT;
const audience = process.env.OIDC_TEST_AUDIENCE;
const server = http.createServer();
await new Promise((resolve) => server.listen(Number(process.env.OIDC_TEST_PORT ?? 0), '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  jwks: { keys },
  clients: [
    ...employees.map((no) => ({
      client_id: `staff-${no}`,
      client_secret: 'secret',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
    })),
    ...(browserClient
      ? [
          {
            client_id: browserClient,
            token_endpoint_auth_method: 'none',
            grant_types: ['authorization_code'],
            response_types: ['code'],
            redirect_uris: [process.env.OIDC_TEST_BROWSER_REDIRECT],
          },
        ]
      : []),
  ],
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, employee_no: id }) }),
  // The browser client's consent is given: the test signs in, it does not click through a consent page.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    if (ctx.oidc.client.clientId !== browserClient) return undefined;
    const grant = new ctx.oidc.provider.Grant({ clientId: browserClient, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid');
    grant.addResourceScope(audience, 'api');
    await grant.save();
    return grant;
  },
  scopes: ['api'],
  features: {
    devInteractions: { enabled: !!browserClient },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => ({
        scope: 'api',
        audience: resource,
        accessTokenTTL: 300,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  extraTokenClaims: (_ctx, token) => ({ employee_no: token.accountId ?? token.clientId.replace(/^staff-/, '') }),
});
provider.on('server_error', (_ctx, err) => console.error('oidc-provider server_error', err));
server.on('request', provider.callback());
console.log(`READY ${issuer}`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
