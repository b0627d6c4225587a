/** True when a write failed on a unique index (SQLite or MySQL/MariaDB). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { driverError?: { code?: string; errno?: number }; code?: string; errno?: number } | null;
  const d = e?.driverError ?? e;
  return d?.code === 'SQLITE_CONSTRAINT_UNIQUE' || d?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || d?.code === 'ER_DUP_ENTRY' || d?.errno === 1062;
}

/** True when the database could not be reached or the connection dropped. */
export function isConnectionError(error: unknown): boolean {
  const e = error as { driverError?: { code?: string }; code?: string } | null;
  const code = e?.driverError?.code ?? e?.code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', 'PROTOCOL_CONNECTION_LOST', 'ETIMEDOUT', 'EPIPE', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR', 'SQLITE_BUSY'].includes(
    code,
  );
}

/**
 * True when MySQL/MariaDB chose this transaction as a deadlock victim (ER_LOCK_DEADLOCK, 1213):
 * it was rolled back whole and may simply run again.
 */
export function isDeadlock(error: unknown): boolean {
  const d = driverErrorOf(error);
  return d?.code === 'ER_LOCK_DEADLOCK' || d?.errno === 1213;
}

/**
 * True when the database gave up waiting rather than failed: a row or table lock held by
 * another transaction past the lock-wait timeout (ER_LOCK_WAIT_TIMEOUT 1205), a statement past
 * the statement timeout (ER_STATEMENT_TIMEOUT 1969 on MariaDB, ER_QUERY_TIMEOUT 3024 on MySQL,
 * a query interrupted 1317), or no pooled connection free in time (the pool's queue timeout).
 * Answered as SERVICE_UNAVAILABLE: the same request may well pass a moment later.
 */
export function isDatabaseBusy(error: unknown): boolean {
  const d = driverErrorOf(error);
  if (!d) return false;
  if (['ER_LOCK_WAIT_TIMEOUT', 'ER_STATEMENT_TIMEOUT', 'ER_QUERY_TIMEOUT', 'ER_QUERY_INTERRUPTED', 'POOL_QUEUE_TIMEOUT'].includes(d.code ?? '')) return true;
  return [1205, 1969, 3024, 1317].includes(d.errno ?? 0);
}

function driverErrorOf(error: unknown): { code?: string; errno?: number } | null {
  const e = error as { driverError?: { code?: string; errno?: number }; code?: string; errno?: number } | null;
  return e?.driverError ?? e ?? null;
}

/**
 * True for every failure that means "the database cannot serve this now" rather than "this is
 * wrong": down or unreachable, busy past a timeout, or a deadlock still losing after its
 * retries. Answered SERVICE_UNAVAILABLE.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return isConnectionError(error) || isDatabaseBusy(error) || isDeadlock(error);
}
