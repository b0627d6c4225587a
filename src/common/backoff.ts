/**
 * The one backoff of the project: how long to wait before attempt number n+1 after n failures.
 * Exponential — min(base × 2^(n−1), cap) — scaled by a jitter factor drawn from the policy's
 * range, so that many waiters do not all come back at once. Pure: the random draw is passed in.
 *
 * Used by the background jobs (deliveries, notifications: src/jobs), the database's deadlock
 * retries (database/transaction.ts) and the restarts of crashed WORKERS=n workers (cli/serve.cluster.ts).
 */
export interface BackoffPolicy {
  /** The first wait, before jitter. */
  baseMs: number;
  /** No wait is longer than this, before jitter. */
  capMs: number;
  /** The jitter factor's range [low, high): 1, 1 for none. */
  jitter: readonly [low: number, high: number];
}

/**
 * A failed webhook delivery or notification: 5 s, 10 s, 20 s, 40 s, 80 s, … 2 h 50 min, then
 * every 4 h, each scaled into [half, whole) of it ("equal jitter"): receivers coming back from an
 * outage are not hit by every delivery at once.
 */
export const DELIVERY_RETRY: BackoffPolicy = { baseMs: 5_000, capMs: 4 * 60 * 60 * 1000, jitter: [0.5, 1] };

/** A transaction MySQL/MariaDB chose as a deadlock victim: 5–20 ms, then 10–40, 20–80 — enough for the winner to commit, short against a request. */
export const DEADLOCK_RETRY: BackoffPolicy = { baseMs: 5, capMs: 1_000, jitter: [1, 4] };

/** A WORKERS=n worker that died soon after it started: 0.5 s, 1 s, 2 s, … up to 30 s before the next is forked (no jitter). */
export const WORKER_RESTART: BackoffPolicy = { baseMs: 500, capMs: 30_000, jitter: [1, 1] };

export const BACKOFF_BASE_MS = DELIVERY_RETRY.baseMs;
export const BACKOFF_CAP_MS = DELIVERY_RETRY.capMs;
/** How long a delivery is retried, counted from its event. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The wait before retry number `attempt` (1 = the retry after the first failure). */
export function backoffDelay(attempt: number, random: number, policy: BackoffPolicy = DELIVERY_RETRY): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a whole number ≥ 1, got ${attempt}`);
  const r = Math.min(Math.max(random, 0), 1);
  const exponential = Math.min(policy.baseMs * 2 ** Math.min(attempt - 1, 30), policy.capMs);
  const [low, high] = policy.jitter;
  return Math.round(exponential * (low + (high - low) * r));
}

/**
 * After `failures` failed attempts at `now`: when to try again, or null when that would be past
 * `retryUntil` (the delivery is parked as dead).
 */
export function nextAttempt(failures: number, now: Date, retryUntil: Date, random: number, policy: BackoffPolicy = DELIVERY_RETRY): Date | null {
  const at = new Date(now.getTime() + backoffDelay(failures, random, policy));
  return at.getTime() > retryUntil.getTime() ? null : at;
}
