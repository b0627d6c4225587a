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
  return ['ECONNREFUSED', 'ECONNRESET', 'PROTOCOL_CONNECTION_LOST', 'ETIMEDOUT', 'EPIPE', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR', 'SQLITE_BUSY'].includes(code);
}
