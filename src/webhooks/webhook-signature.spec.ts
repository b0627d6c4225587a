import crypto from 'node:crypto';
import { generateSecret, secretKey, sign, signatureHeader, verify } from './webhook-signature';

// The Standard Webhooks specification's own test vector (also Svix's): a receiver using any of
// that specification's libraries verifies what we send.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

/** The reference algorithm, written out: HMAC-SHA256 over "id.timestamp.body" with the base64-decoded key. */
function byHand(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.split('_')[1], 'base64');
  return 'v1,' + crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
}

describe('Standard Webhooks signatures', () => {
  it('reproduces the reference vector', () => {
    expect(byHand(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
    expect(sign(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
    expect(verify(VECTOR.secret, VECTOR.id, String(VECTOR.timestamp), VECTOR.body, VECTOR.signature)).toBe(true);
  });

  it('matches the algorithm written out for our own secrets and Chinese text', () => {
    const secret = generateSecret();
    const body = JSON.stringify({ type: 'incident.escalated', data: { escalatedToLabel: '部门经理' } });
    expect(sign(secret, 'msg_1', 1_700_000_000, body)).toBe(byHand(secret, 'msg_1', 1_700_000_000, body));
  });

  it('signs with every active secret, space-separated, so either verifies during a rotation', () => {
    const [next, previous] = [generateSecret(), generateSecret()];
    const header = signatureHeader([next, previous], 'msg_2', 1_700_000_001, '{}');
    expect(header.split(' ')).toEqual([sign(next, 'msg_2', 1_700_000_001, '{}'), sign(previous, 'msg_2', 1_700_000_001, '{}')]);
    expect(verify(next, 'msg_2', 1_700_000_001, '{}', header)).toBe(true);
    expect(verify(previous, 'msg_2', 1_700_000_001, '{}', header)).toBe(true);
    expect(verify(generateSecret(), 'msg_2', 1_700_000_001, '{}', header)).toBe(false);
  });

  it('fails on any change of id, timestamp or body', () => {
    const { secret, id, timestamp, body, signature } = VECTOR;
    expect(verify(secret, 'msg_other', timestamp, body, signature)).toBe(false);
    expect(verify(secret, id, timestamp + 1, body, signature)).toBe(false);
    expect(verify(secret, id, timestamp, body.replace('2432232314', '2432232315'), signature)).toBe(false);
  });

  it('accepts only whsec_ + base64 of 24 to 64 bytes as a secret', () => {
    expect(generateSecret()).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKey(VECTOR.secret)?.length).toBe(24);
    for (const bad of ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_', 'whsec_c2hvcnQ=', 'whsec_not base64!', `whsec_${Buffer.alloc(65).toString('base64')}`]) {
      expect(secretKey(bad)).toBeNull();
    }
    expect(() => sign('nope', 'a', 1, '')).toThrow(RangeError);
  });
});
