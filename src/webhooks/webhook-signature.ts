import crypto from 'node:crypto';

/**
 * Signing as the Standard Webhooks specification has it (https://www.standardwebhooks.com):
 * a secret is `whsec_` + base64 of 24 to 64 random bytes; the signature of a delivery is
 * `v1,` + base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")), one per active
 * secret, space-separated, so a receiver keeps verifying while a secret is rotated.
 * Pure: no I/O.
 */
export const SECRET_PREFIX = 'whsec_';
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;

/** A new secret: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + crypto.randomBytes(32).toString('base64');
}

/** The key bytes of a secret, or null when it is not `whsec_` + base64 of 24 to 64 bytes. */
export function secretKey(secret: string): Buffer | null {
  if (typeof secret !== 'string' || !secret.startsWith(SECRET_PREFIX)) return null;
  const b64 = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return null;
  const key = Buffer.from(b64, 'base64');
  return key.length >= MIN_KEY_BYTES && key.length <= MAX_KEY_BYTES ? key : null;
}

/** `v1,<base64 signature>` of one message with one secret. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = secretKey(secret);
  if (!key) throw new RangeError('not a webhook secret (whsec_ + base64 of 24 to 64 bytes)');
  return `v1,${crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The `webhook-signature` header: one signature per secret, space-separated. */
export function signatureHeader(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  return secrets.map((s) => sign(s, id, timestamp, body)).join(' ');
}

/**
 * True when one of the header's v1 signatures is the message's signature with `secret`
 * (constant-time comparison). What a receiver does; used by the tests and the README example.
 */
export function verify(secret: string, id: string, timestamp: number | string, body: string, header: string): boolean {
  const expected = Buffer.from(sign(secret, id, Number(timestamp), body));
  return header.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
}
