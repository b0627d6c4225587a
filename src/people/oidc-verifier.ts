import { createRemoteJWKSet, errors as joseErrors, jwtVerify, JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock';
import { AppError } from '../common/errors';
import type { OidcConfig } from '../config/config';
import type { SignInVerifier } from './staff-identity';

/** Asymmetric algorithms only: a token signed with a shared secret or unsigned is never accepted. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** The discovery document is read again after this long (the JWKS itself has jose's own cache). */
const DISCOVERY_MAX_AGE_MS = 60 * 60 * 1000;
/** How long the JWKS is kept before it is fetched again even when every key id is known. */
const JWKS_MAX_AGE_MS = 10 * 60 * 1000;
const FETCH_TIMEOUT_MS = 5_000;

/**
 * Verifies staff sign-in tokens (OIDC JWT bearer tokens) with jose: the issuer's discovery
 * document names its JWKS; keys are fetched from there, cached (one issuer, one key set, kept
 * at most JWKS_MAX_AGE_MS) and fetched again when a token names an unknown key id (a rotation),
 * at most once per cooldown. Signature, issuer, audience and expiry are checked against the
 * injected clock; the employee number comes from the configured claim.
 */
export class OidcVerifier implements SignInVerifier {
  private keys: { getKey: JWTVerifyGetKey; until: number } | null = null;
  private loading: Promise<JWTVerifyGetKey> | null = null;

  constructor(
    private readonly config: OidcConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async employeeNo(token: string): Promise<string> {
    const getKey = await this.keySet();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: ALGORITHMS,
        currentDate: this.clock.now(),
        requiredClaims: ['exp'],
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWKSTimeout || (e instanceof TypeError && /fetch/i.test(e.message))) throw unavailable(e, this.log);
      if (e instanceof joseErrors.JOSEError) throw new AppError('UNAUTHENTICATED', `the sign-in token is not valid here (${e.code})`, { reason: e.code });
      throw e;
    }
    const claim = payload[this.config.employeeClaim];
    if ((typeof claim !== 'string' && typeof claim !== 'number') || String(claim).trim() === '') {
      throw new AppError('UNAUTHENTICATED', `the sign-in token has no ${this.config.employeeClaim} claim naming an employee`);
    }
    return String(claim).trim();
  }

  /** The JWKS of the issuer's discovery document, found again once DISCOVERY_MAX_AGE_MS has passed. */
  private async keySet(): Promise<JWTVerifyGetKey> {
    if (this.keys && this.keys.until > Date.now()) return this.keys.getKey;
    this.loading ??= this.discover().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async discover(): Promise<JWTVerifyGetKey> {
    const url = `${this.config.issuer}/.well-known/openid-configuration`;
    let doc: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      doc = (await res.json()) as typeof doc;
    } catch (e) {
      throw unavailable(e, this.log);
    }
    // OpenID Connect Discovery 1.0 §4.3: the document's issuer is exactly the one configured.
    if (doc.issuer !== this.config.issuer || typeof doc.jwks_uri !== 'string') {
      this.log.error({ issuer: doc.issuer, configured: this.config.issuer }, 'oidc: the discovery document names another issuer or no jwks_uri');
      throw new AppError('SERVICE_UNAVAILABLE', 'staff sign-in is misconfigured (the identity provider names another issuer); try an API key');
    }
    const getKey = createRemoteJWKSet(new URL(doc.jwks_uri), {
      cooldownDuration: this.config.jwksCooldownMs,
      cacheMaxAge: JWKS_MAX_AGE_MS,
      timeoutDuration: FETCH_TIMEOUT_MS,
    });
    this.keys = { getKey, until: Date.now() + DISCOVERY_MAX_AGE_MS };
    return getKey;
  }
}

function unavailable(e: unknown, log: Logger): AppError {
  log.error({ err: e }, 'oidc: the identity provider cannot be reached');
  return new AppError('SERVICE_UNAVAILABLE', 'the identity provider cannot be reached to check the sign-in; try again shortly');
}
