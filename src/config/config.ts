import net from 'node:net';
import path from 'node:path';
import { readTracingConfig, TracingConfig } from './tracing.config';
import { DataLimitsConfig, readDataLimitsConfig } from './data-limits.config';
import { readInteger } from './config-variables';

/** Log levels pino knows. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | {
      kind: 'mysql';
      /** `mariadb` uses INSERT … RETURNING (fewer statements); `mysql` works on both servers. */
      flavor: 'mysql' | 'mariadb';
      host: string;
      port: number;
      user: string;
      password: string;
      database: string;
      poolSize: number;
    };

/** A MySQL/MariaDB server: the primary of DATABASE_URL, or a read replica. */
export type MysqlDatabaseConfig = Extract<DatabaseConfig, { kind: 'mysql' }>;

/** Everything the service reads from the environment, parsed and checked once at boot. */
export interface AppConfig extends DataLimitsConfig {
  database: DatabaseConfig;
  /** The URL as given, for messages (password masked). */
  databaseUrlForDisplay: string;
  /** Read replicas of a MySQL/MariaDB primary (DATABASE_REPLICA_URLS): reports, lists and backtests read there. */
  databaseReplicas: MysqlDatabaseConfig[];
  port: number;
  host: string;
  rulesDir: string;
  /** The only directory `simulateRules` / `installShadowRules` read draft packs under (RULES_DRAFTS_DIR, default ./rules-drafts). */
  rulesDraftsDir: string;
  /** Live decisions waiting for the shadow pack, at most (more are dropped and counted). */
  shadowQueueSize: number;
  logLevel: LogLevel;
  /** Largest page a list query returns, whatever `first` asks for. */
  maxPageSize: number;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  introspection: boolean;
  nodeEnv: string;
  /**
   * Limits on a GraphQL request, checked before it runs (`maxCost` is the sum over a batch's
   * operations); `timeoutMs`: the time one HTTP request may run before it is cancelled (0: none).
   */
  graphql: { maxDepth: number; maxCost: number; maxAliases: number; maxTokens: number; maxBatch: number; timeoutMs: number };
  /** Operations per minute one API key (or, without a key, one client address) may run; each mutation field counts (0: no limit). */
  rateLimitPerMinute: number;
  /** Failed authentications (unknown or revoked keys) per minute one client address may make before it is refused (0: no limit). */
  authFailuresPerMinute: number;
  /** The HTTP server: time to receive a whole request and its headers, idle keep-alive time, connections at once (0: no cap). */
  http: { requestTimeoutMs: number; headersTimeoutMs: number; keepAliveTimeoutMs: number; maxConnections: number };
  /**
   * Prometheus metrics: on a port of their own (0: on the main port) and/or behind a bearer token;
   * `operationNames`: client operation names labelled as they are (the schema's root fields are too; any other is `other`).
   */
  metrics: { port: number; token: string | null; operationNames: string[] };
  /**
   * The escalation scheduler: a pass every intervalMs (0: off; ticks then run only by hand);
   * deadlines missed more than lookbackHours before it sees them are not breached (0: no limit).
   */
  escalation: { intervalMs: number; lookbackHours: number };
  /** The webhook delivery worker: poll interval (0: off), per-attempt timeout, deliveries in flight, days settled events are kept (0: forever). */
  webhooks: { intervalMs: number; timeoutMs: number; concurrency: number; retentionDays: number };
  /** `triage serve` processes behind one port (node:cluster); 1 serves in the process itself. */
  workers: number;
  /** OpenTelemetry tracing over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT); null: off, nothing installed. */
  tracing: TracingConfig | null;
  /**
   * Staff sign-in with the company's identity provider: OIDC bearer tokens from OIDC_ISSUER for
   * OIDC_AUDIENCE, the employee number in OIDC_EMPLOYEE_CLAIM (default sub); OIDC_JWKS_COOLDOWN_MS:
   * how long after fetching the JWKS an unknown key id waits before the next fetch. Null: off.
   */
  oidc: OidcConfig | null;
  /** The link back in notifications, `{id}` standing for the incident id (NOTIFICATION_LINK); null: none. */
  notificationLink: string | null;
}

export interface OidcConfig {
  issuer: string;
  audience: string;
  employeeClaim: string;
  jwksCooldownMs: number;
  /** The public client browsers sign in with (authorization code with PKCE); null: none published. */
  clientId: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/triage.sqlite';

/**
 * Parses `sqlite:PATH` (relative to the working directory; `sqlite::memory:` for memory) or
 * `mysql://user:pass@host:port/db` (also `mariadb://`, which lets TypeORM use
 * MariaDB's INSERT … RETURNING); `?pool=N` sets the connection pool size (default 10).
 */
export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file) throw new Error('sqlite URL needs a file path, e.g. sqlite:./data/triage.sqlite');
    // SQLite has one connection and no options: `?pool=` would otherwise become part of the file name.
    if (file.includes('?')) throw new Error(`sqlite URLs take no options ("${file.slice(file.indexOf('?'))}"; ?pool= is for mysql:// and mariadb://)`);
    return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('is not a URL; expected sqlite:PATH, mysql://user:pass@host:port/db or mariadb://user:pass@host:port/db');
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new Error(`unsupported scheme "${parsed.protocol}"; expected sqlite:, mysql:// or mariadb://`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) throw new Error('names no database, e.g. mysql://root@127.0.0.1:3306/triage');
  const poolSize = Number(parsed.searchParams.get('pool') ?? 10);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 500) throw new Error('pool must be a whole number from 1 to 500');
  return {
    kind: 'mysql',
    flavor: parsed.protocol === 'mariadb:' ? 'mariadb' : 'mysql',
    poolSize,
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    database,
  };
}

/**
 * Parses DATABASE_REPLICA_URLS: comma-separated `mysql://` or `mariadb://` URLs of replicas of
 * the primary (empty entries ignored). Throws one message per bad entry, for ConfigError.
 */
export function parseReplicaUrls(raw: string | undefined, primary: DatabaseConfig): MysqlDatabaseConfig[] {
  const urls = (raw ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (!urls.length) return [];
  if (primary.kind !== 'mysql') throw new Error('DATABASE_REPLICA_URLS needs a MySQL/MariaDB DATABASE_URL: SQLite has no replicas');
  const problems: string[] = [];
  const replicas = urls.flatMap((url, i) => {
    try {
      const db = parseDatabaseUrl(url);
      if (db.kind === 'mysql') return [db];
      problems.push(`DATABASE_REPLICA_URLS entry ${i + 1} "${maskUrl(url)}" must be a mysql:// or mariadb:// URL`);
    } catch (e) {
      problems.push(`DATABASE_REPLICA_URLS entry ${i + 1} "${maskUrl(url)}" ${(e as Error).message}`);
    }
    return [];
  });
  if (problems.length) throw new Error(problems.join('\n'));
  return replicas;
}

function maskUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

function boolean(name: string, raw: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  problems.push(`${name}="${raw}" must be true or false`);
  return fallback;
}

/** METRICS_OPERATION_NAMES: comma-separated GraphQL names (at most 200), e.g. `Report,MonthlyReport`. */
function operationNames(raw: string | undefined, problems: string[]): string[] {
  const names = (raw ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !/^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(n));
  if (bad.length) problems.push(`METRICS_OPERATION_NAMES has names that are not GraphQL names of at most 64 characters: ${bad.slice(0, 3).join(', ')}`);
  if (names.length > 200) problems.push(`METRICS_OPERATION_NAMES lists ${names.length} names; at most 200`);
  return bad.length || names.length > 200 ? [] : [...new Set(names)];
}

function readOidcConfig(env: NodeJS.ProcessEnv, problems: string[]): OidcConfig | null {
  const issuer = env.OIDC_ISSUER?.trim();
  const jwksCooldownMs = readInteger(env, 'OIDC_JWKS_COOLDOWN_MS', problems);
  if (!issuer) {
    if (env.OIDC_AUDIENCE) problems.push('OIDC_AUDIENCE is set but OIDC_ISSUER is not: set both for staff sign-in');
    if (env.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID is set but OIDC_ISSUER is not: browsers sign in at the issuer');
    return null;
  }
  let url: URL | null = null;
  try {
    url = new URL(issuer);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    problems.push(`OIDC_ISSUER="${issuer}" must be the issuer's http(s) URL (its discovery document is at /.well-known/openid-configuration)`);
  const audience = env.OIDC_AUDIENCE?.trim();
  if (!audience) problems.push("OIDC_AUDIENCE must name this service as the identity provider puts it in the token's aud");
  const employeeClaim = env.OIDC_EMPLOYEE_CLAIM?.trim() || 'sub';
  if (!/^[\w.:-]{1,128}$/.test(employeeClaim)) problems.push(`OIDC_EMPLOYEE_CLAIM="${employeeClaim}" must be a claim name`);
  const clientId = env.OIDC_CLIENT_ID?.trim() || null;
  if (clientId && !/^[\x21-\x7e]{1,200}$/.test(clientId))
    problems.push(`OIDC_CLIENT_ID="${clientId}" must be a client id of printable characters without spaces`);
  return { issuer: issuer.replace(/\/+$/, ''), audience: audience ?? '', employeeClaim, jwksCooldownMs, clientId };
}

/** Reads the configuration; throws ConfigError with one line per bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const url = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  let database: DatabaseConfig = { kind: 'sqlite', file: ':memory:' };
  try {
    database = parseDatabaseUrl(url);
  } catch (e) {
    problems.push(`DATABASE_URL="${maskUrl(url)}" ${(e as Error).message}`);
  }
  let databaseReplicas: MysqlDatabaseConfig[] = [];
  try {
    // Checked against the primary only when DATABASE_URL itself parsed.
    if (!problems.length) databaseReplicas = parseReplicaUrls(env.DATABASE_REPLICA_URLS, database);
  } catch (e) {
    problems.push(...(e as Error).message.split('\n'));
  }
  const port = readInteger(env, 'PORT', problems);
  const host = env.HOST || '127.0.0.1';
  if (!net.isIP(host) && !/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(host)) {
    problems.push(`HOST="${env.HOST}" must be an IP address (0.0.0.0 for every interface) or a host name`);
  }
  const logLevel = (env.LOG_LEVEL || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL="${env.LOG_LEVEL}" must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const nodeEnv = env.NODE_ENV || 'development';
  const config: AppConfig = {
    database,
    databaseUrlForDisplay: maskUrl(url),
    databaseReplicas,
    port,
    host,
    rulesDir: path.resolve(env.RULES_DIR || './rules'),
    rulesDraftsDir: path.resolve(env.RULES_DRAFTS_DIR || './rules-drafts'),
    shadowQueueSize: readInteger(env, 'SHADOW_QUEUE_SIZE', problems),
    logLevel: (LOG_LEVELS as readonly string[]).includes(logLevel) ? (logLevel as LogLevel) : 'info',
    maxPageSize: readInteger(env, 'MAX_PAGE_SIZE', problems),
    maxBodyBytes: readInteger(env, 'MAX_BODY_BYTES', problems),
    introspection: boolean('GRAPHQL_INTROSPECTION', env.GRAPHQL_INTROSPECTION, nodeEnv !== 'production', problems),
    nodeEnv,
    graphql: {
      maxDepth: readInteger(env, 'GRAPHQL_MAX_DEPTH', problems),
      maxCost: readInteger(env, 'GRAPHQL_MAX_COST', problems),
      maxAliases: readInteger(env, 'GRAPHQL_MAX_ALIASES', problems),
      maxTokens: readInteger(env, 'GRAPHQL_MAX_TOKENS', problems),
      maxBatch: readInteger(env, 'GRAPHQL_MAX_BATCH', problems),
      timeoutMs: readInteger(env, 'GRAPHQL_TIMEOUT_MS', problems),
    },
    metrics: {
      port: readInteger(env, 'METRICS_PORT', problems),
      token: env.METRICS_TOKEN || null,
      operationNames: operationNames(env.METRICS_OPERATION_NAMES, problems),
    },
    rateLimitPerMinute: readInteger(env, 'RATE_LIMIT_PER_MINUTE', problems),
    authFailuresPerMinute: readInteger(env, 'AUTH_FAILURES_PER_MINUTE', problems),
    http: {
      requestTimeoutMs: readInteger(env, 'HTTP_REQUEST_TIMEOUT_MS', problems),
      headersTimeoutMs: readInteger(env, 'HTTP_HEADERS_TIMEOUT_MS', problems),
      keepAliveTimeoutMs: readInteger(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', problems),
      maxConnections: readInteger(env, 'HTTP_MAX_CONNECTIONS', problems),
    },
    escalation: {
      intervalMs: readInteger(env, 'ESCALATION_INTERVAL_MS', problems),
      lookbackHours: readInteger(env, 'ESCALATION_LOOKBACK_HOURS', problems),
    },
    webhooks: {
      intervalMs: readInteger(env, 'WEBHOOK_INTERVAL_MS', problems),
      timeoutMs: readInteger(env, 'WEBHOOK_TIMEOUT_MS', problems),
      concurrency: readInteger(env, 'WEBHOOK_CONCURRENCY', problems),
      retentionDays: readInteger(env, 'WEBHOOK_RETENTION_DAYS', problems),
    },
    workers: readInteger(env, 'WORKERS', problems),
    tracing: readTracingConfig(env, problems),
    ...readDataLimitsConfig(env, problems),
    oidc: readOidcConfig(env, problems),
    notificationLink: env.NOTIFICATION_LINK || null,
  };
  if (config.http.headersTimeoutMs > config.http.requestTimeoutMs) {
    // node:http refuses to start otherwise: the headers are part of the request.
    problems.push(`HTTP_HEADERS_TIMEOUT_MS=${config.http.headersTimeoutMs} must not exceed HTTP_REQUEST_TIMEOUT_MS=${config.http.requestTimeoutMs}`);
  }
  if (config.notificationLink !== null && !/^https?:\/\/\S+$/.test(config.notificationLink)) {
    problems.push(`NOTIFICATION_LINK="${config.notificationLink}" must be an http(s) URL, {id} standing for the incident id`);
  }
  if (config.workers > 1 && config.database.kind === 'sqlite') {
    // SQLite transactions are queued one after the other inside one process only: processes
    // sharing the file would meet as concurrent writers (SQLITE_BUSY), so several need MySQL/MariaDB.
    problems.push(`WORKERS=${config.workers} needs a MySQL/MariaDB DATABASE_URL: on SQLite serve with WORKERS=1`);
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
