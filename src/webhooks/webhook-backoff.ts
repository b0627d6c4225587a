/**
 * When a failed delivery is tried again: exponential backoff with jitter, for up to 24 hours
 * after the event, then parked as dead. Pure: the random draw is passed in.
 *
 * The n-th retry waits min(BASE × 2^(n−1), CAP), scaled by a jitter factor in [0.5, 1) so that
 * receivers coming back from an outage are not hit by every delivery at once ("equal jitter").
 * Without jitter: 5 s, 10 s, 20 s, 40 s, 80 s, … 2 h 50 min, then every 4 h.
 */
export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_CAP_MS = 4 * 60 * 60 * 1000;
/** How long a delivery is retried, counted from its event. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The wait before retry number `attempt` (1 = the retry after the first failure). */
export function backoffDelay(attempt: number, random: number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a whole number ≥ 1, got ${attempt}`);
  const r = Math.min(Math.max(random, 0), 1);
  const exponential = Math.min(BACKOFF_BASE_MS * 2 ** Math.min(attempt - 1, 30), BACKOFF_CAP_MS);
  return Math.round(exponential * (0.5 + r / 2));
}

/**
 * After `failures` failed attempts at `now`: when to try again, or null when that would be past
 * `retryUntil` (the delivery is parked as dead).
 */
export function nextAttempt(failures: number, now: Date, retryUntil: Date, random: number): Date | null {
  const at = new Date(now.getTime() + backoffDelay(failures, random));
  return at.getTime() > retryUntil.getTime() ? null : at;
}
