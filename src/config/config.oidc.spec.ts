import { ConfigError, loadConfig } from './config';

describe('staff sign-in configuration (OIDC_*)', () => {
  it('is off unless OIDC_ISSUER is set; the employee claim defaults to sub', () => {
    expect(loadConfig({}).oidc).toBeNull();
    expect(loadConfig({ OIDC_ISSUER: 'https://id.example.com/', OIDC_AUDIENCE: 'triage' }).oidc).toEqual({
      issuer: 'https://id.example.com',
      audience: 'triage',
      employeeClaim: 'sub',
      jwksCooldownMs: 30_000,
      clientId: null,
    });
    expect(loadConfig({ OIDC_ISSUER: 'https://id.example.com/', OIDC_AUDIENCE: 'triage', OIDC_CLIENT_ID: 'triage-console' }).oidc?.clientId).toBe(
      'triage-console',
    );
  });

  it('refuses an issuer without an audience, a non-URL issuer, an audience alone', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems({ OIDC_ISSUER: 'https://id.example.com' })).toEqual([expect.stringMatching(/^OIDC_AUDIENCE/)]);
    expect(problems({ OIDC_ISSUER: 'id.example.com', OIDC_AUDIENCE: 'x' })).toEqual([expect.stringMatching(/^OIDC_ISSUER/)]);
    expect(problems({ OIDC_AUDIENCE: 'x' })).toEqual([expect.stringMatching(/^OIDC_AUDIENCE is set/)]);
    expect(problems({ OIDC_ISSUER: 'https://id.example.com', OIDC_AUDIENCE: 'x', OIDC_EMPLOYEE_CLAIM: 'a b' })).toEqual([
      expect.stringMatching(/^OIDC_EMPLOYEE_CLAIM/),
    ]);
    expect(problems({ OIDC_CLIENT_ID: 'triage-console' })).toEqual([expect.stringMatching(/^OIDC_CLIENT_ID is set/)]);
    expect(problems({ OIDC_ISSUER: 'https://id.example.com', OIDC_AUDIENCE: 'x', OIDC_CLIENT_ID: 'a b' })).toEqual([expect.stringMatching(/^OIDC_CLIENT_ID=/)]);
  });
});
