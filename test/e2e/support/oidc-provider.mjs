// A real OpenID Provider (the certified `oidc-provider` package) for the staff sign-in tests, on
// 127.0.0.1. Started as a child process: the package is ESM only. Environment:
//   OIDC_TEST_KEYS  JSON array of private JWKs; the first one signs (a rotation puts a new key first)
//   OIDC_TEST_PORT  the port (0: any; a restart after a rotation keeps the issuer's port)
//   OIDC_TEST_AUDIENCE  the resource indicator tokens may be issued for (others are refused by the service under test, not here)
// Clients: `staff-<employeeNo>` with secret `secret`, client_credentials only; a token carries
// employee_no = <employeeNo>. Prints `READY <issuer>` once listening.
import http from 'node:http';
import Provider from 'oidc-provider';

const keys = JSON.parse(process.env.OIDC_TEST_KEYS);
const employees = (process.env.OIDC_TEST_EMPLOYEES ?? '').split(',').filter(Boolean);
const server = http.createServer();
await new Promise((resolve) => server.listen(Number(process.env.OIDC_TEST_PORT ?? 0), '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  jwks: { keys },
  clients: employees.map((no) => ({
    client_id: `staff-${no}`,
    client_secret: 'secret',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
  })),
  scopes: ['api'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => process.env.OIDC_TEST_AUDIENCE,
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
  extraTokenClaims: (_ctx, token) => ({ employee_no: token.clientId.replace(/^staff-/, '') }),
});
provider.on('server_error', (_ctx, err) => console.error('oidc-provider server_error', err));
server.on('request', provider.callback());
console.log(`READY ${issuer}`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
