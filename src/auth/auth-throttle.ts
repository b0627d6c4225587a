import { RateLimiterMemory } from 'rate-limiter-flexible';

/**
 * Failed authentications (unknown, revoked or malformed keys) per client address, in this
 * process: past `perMinute` in a minute, the address's requests with a key are refused with 429
 * before any key is looked up, until the minute has passed. Guessing keys, or hammering the
 * database with lookups of bad ones, costs the guesser its address's minute.
 */
export class AuthFailureThrottle {
  private readonly limiter: RateLimiterMemory | null;

  constructor(private readonly perMinute: number) {
    this.limiter = perMinute > 0 ? new RateLimiterMemory({ points: perMinute, duration: 60 }) : null;
  }

  /** Seconds the address must wait before its next attempt, or null when it may try. */
  async blocked(address: string): Promise<number | null> {
    const res = await this.limiter?.get(address);
    if (!res || res.consumedPoints < this.perMinute) return null;
    return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  }

  /** Counts one failed authentication of the address. */
  async failed(address: string): Promise<void> {
    await this.limiter?.penalty(address, 1);
  }
}
