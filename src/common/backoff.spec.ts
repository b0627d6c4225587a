import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffDelay, nextAttempt, RETRY_WINDOW_MS } from './backoff';
import { DEADLOCK_RETRY, WORKER_RESTART } from './backoff';

const S = 1000;
const H = 3600 * S;

describe('backoff', () => {
  it('restarts a crashing worker after 0.5 s, 1 s, 2 s … up to 30 s, without jitter', () => {
    const waits = Array.from({ length: 9 }, (_, i) => backoffDelay(i + 1, Math.random(), WORKER_RESTART));
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('retries a deadlock victim after 5–20 ms, then 10–40, 20–80', () => {
    expect([1, 2, 3].map((n) => backoffDelay(n, 0, DEADLOCK_RETRY))).toEqual([5, 10, 20]);
    expect([1, 2, 3].map((n) => backoffDelay(n, 1, DEADLOCK_RETRY))).toEqual([20, 40, 80]);
  });
});

describe('webhook retry backoff', () => {
  it('doubles from 5 s up to a 4-hour cap (jitter at its top)', () => {
    const top = Array.from({ length: 14 }, (_, i) => backoffDelay(i + 1, 1));
    expect(top.slice(0, 6)).toEqual([5 * S, 10 * S, 20 * S, 40 * S, 80 * S, 160 * S]);
    expect(top[11]).toBe(BACKOFF_BASE_MS * 2 ** 11); // 2 h 50 min
    expect(top[12]).toBe(BACKOFF_CAP_MS);
    expect(top[13]).toBe(BACKOFF_CAP_MS);
    expect(backoffDelay(1000, 1)).toBe(BACKOFF_CAP_MS);
  });

  it('jitters each wait within [half, whole) of it', () => {
    for (let attempt = 1; attempt <= 16; attempt++) {
      const whole = backoffDelay(attempt, 1);
      expect(backoffDelay(attempt, 0)).toBe(Math.round(whole / 2));
      const mid = backoffDelay(attempt, 0.5);
      expect(mid).toBeGreaterThanOrEqual(whole / 2);
      expect(mid).toBeLessThan(whole);
    }
    expect(() => backoffDelay(0, 0.5)).toThrow(RangeError);
  });

  it('retries for up to 24 hours after the event, then parks the delivery', () => {
    for (const random of [0, 0.37, 1]) {
      const start = new Date('2026-11-23T02:00:00Z');
      const until = new Date(start.getTime() + RETRY_WINDOW_MS);
      let at = start;
      let failures = 0;
      const times: Date[] = [];
      for (;;) {
        failures++;
        const next = nextAttempt(failures, at, until, random);
        if (!next) break;
        expect(next.getTime()).toBeGreaterThan(at.getTime());
        times.push(next);
        at = next;
      }
      expect(times.at(-1)!.getTime()).toBeLessThanOrEqual(until.getTime());
      // Parked only when the next wait would pass the window: the last try is within one wait of it.
      expect(until.getTime() - times.at(-1)!.getTime()).toBeLessThan(backoffDelay(failures, random));
      expect(failures).toBeGreaterThan(8);
      expect(failures).toBeLessThan(40);
    }
    expect(RETRY_WINDOW_MS).toBe(24 * H);
  });
});
