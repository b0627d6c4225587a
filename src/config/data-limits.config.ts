/**
 * The data layer's limits, read with the rest of the configuration (loadConfig spreads them in):
 * how long the database may make a request wait, which webhook destinations inside the network
 * are allowed, how large a JSON input may be.
 */
export interface DataLimitsConfig {
  databaseLimits: {
    /** A row or table lock waited for at most this long (MySQL/MariaDB, rounded up to seconds); SQLite's busy timeout. */
    lockWaitTimeoutMs: number;
    /** One statement runs at most this long (MariaDB max_statement_time, MySQL max_execution_time for SELECTs); 0: no limit. */
    statementTimeoutMs: number;
    /** A request waits at most this long for a pooled connection (MySQL/MariaDB). */
    acquireTimeoutMs: number;
  };
  /**
   * Webhook destinations allowed although not public (WEBHOOK_ALLOWED_HOSTS): host names, IP
   * addresses or CIDR ranges, lower case. Empty: only public addresses.
   */
  webhookAllowedHosts: string[];
  /** JSON inputs (evidence, …): nesting depth and serialized size at most. */
  jsonInput: { maxDepth: number; maxBytes: number };
}

function whole(name: string, raw: string | undefined, fallback: number, min: number, max: number, problems: string[]): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name}="${raw}" must be a whole number from ${min} to ${max}`);
    return fallback;
  }
  return Number(raw);
}

/** Reads the data limits; problems are pushed onto `problems`, as loadConfig does. */
export function readDataLimitsConfig(env: NodeJS.ProcessEnv, problems: string[]): DataLimitsConfig {
  const allowed = (env.WEBHOOK_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  for (const entry of allowed) {
    if (!/^[a-z0-9.:\-[\]]+(\/\d{1,3})?$/.test(entry)) problems.push(`WEBHOOK_ALLOWED_HOSTS entry "${entry}" must be a host name, an IP address or a CIDR range (10.0.0.0/8)`);
  }
  return {
    databaseLimits: {
      lockWaitTimeoutMs: whole('DB_LOCK_WAIT_TIMEOUT_MS', env.DB_LOCK_WAIT_TIMEOUT_MS, 5_000, 1, 3_600_000, problems),
      statementTimeoutMs: whole('DB_STATEMENT_TIMEOUT_MS', env.DB_STATEMENT_TIMEOUT_MS, 60_000, 0, 86_400_000, problems),
      acquireTimeoutMs: whole('DB_ACQUIRE_TIMEOUT_MS', env.DB_ACQUIRE_TIMEOUT_MS, 5_000, 1, 600_000, problems),
    },
    webhookAllowedHosts: allowed,
    jsonInput: {
      maxDepth: whole('JSON_MAX_DEPTH', env.JSON_MAX_DEPTH, 16, 1, 1_000, problems),
      maxBytes: whole('JSON_MAX_BYTES', env.JSON_MAX_BYTES, 65_536, 64, 16_777_216, problems),
    },
  };
}
