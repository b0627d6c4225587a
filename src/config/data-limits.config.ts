import { readInteger } from './config-variables';

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

/** Reads the data limits; problems are pushed onto `problems`, as loadConfig does. */
export function readDataLimitsConfig(env: NodeJS.ProcessEnv, problems: string[]): DataLimitsConfig {
  const allowed = (env.WEBHOOK_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const entry of allowed) {
    if (!/^[a-z0-9.:\-[\]]+(\/\d{1,3})?$/.test(entry))
      problems.push(`WEBHOOK_ALLOWED_HOSTS entry "${entry}" must be a host name, an IP address or a CIDR range (10.0.0.0/8)`);
  }
  return {
    databaseLimits: {
      lockWaitTimeoutMs: readInteger(env, 'DB_LOCK_WAIT_TIMEOUT_MS', problems),
      statementTimeoutMs: readInteger(env, 'DB_STATEMENT_TIMEOUT_MS', problems),
      acquireTimeoutMs: readInteger(env, 'DB_ACQUIRE_TIMEOUT_MS', problems),
    },
    webhookAllowedHosts: allowed,
    jsonInput: {
      maxDepth: readInteger(env, 'JSON_MAX_DEPTH', problems),
      maxBytes: readInteger(env, 'JSON_MAX_BYTES', problems),
    },
  };
}
