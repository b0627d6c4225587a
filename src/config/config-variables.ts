/**
 * Every environment variable the service reads, declared once: its name, default, bounds and
 * meaning. `loadConfig` reads whole numbers through these declarations (so a default or a bound
 * lives in one place), and docs/configuration.md is rendered from them (`triage config doc`;
 * a test keeps the two equal and checks that no variable is read without a declaration).
 */

export interface IntegerVariable {
  name: string;
  group: string;
  kind: 'integer';
  default: number;
  min: number;
  max: number;
  description: string;
}

export interface OtherVariable {
  name: string;
  group: string;
  kind: 'text' | 'boolean' | 'url' | 'list';
  /** As shown in the docs; null: unset by default. */
  default: string | null;
  description: string;
}

export type ConfigVariable = IntegerVariable | OtherVariable;

const SERVER = 'Server';
const DATABASE = 'Database';
const RULES = 'Rule pack';
const LIMITS = 'Limits on requests';
const METRICS = 'Metrics and logs';
const BACKGROUND = 'Deadlines and webhooks';
const TRACING = 'Tracing (OpenTelemetry)';
const PEOPLE = 'Staff sign-in and notifications';

export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  // Server
  { name: 'PORT', group: SERVER, kind: 'integer', default: 4000, min: 0, max: 65535, description: 'HTTP port (`0` picks a free one)' },
  { name: 'HOST', group: SERVER, kind: 'text', default: '127.0.0.1', description: 'interface to listen on (`0.0.0.0` for all); an IP address or a host name' },
  { name: 'NODE_ENV', group: SERVER, kind: 'text', default: 'development', description: '`production` turns introspection and the landing page off' },
  {
    name: 'WORKERS',
    group: SERVER,
    kind: 'integer',
    default: 1,
    min: 1,
    max: 64,
    description:
      '`triage serve` processes behind the one port (node:cluster). The primary migrates once (`--migrate`), restarts a worker that dies (backing off if they keep dying), drains every worker on SIGTERM/SIGINT, and on SIGHUP has each reload the rule pack in turn; a pack one worker activates (`reloadRules`) the others reload too. MySQL/MariaDB only (refused on SQLite: one writer). Rate limits and the webhook/escalation workers are per process; `/metrics` answers for the whole service whichever worker a scrape reaches',
  },
  {
    name: 'HTTP_REQUEST_TIMEOUT_MS',
    group: SERVER,
    kind: 'integer',
    default: 30_000,
    min: 100,
    max: 3_600_000,
    description: 'time to receive a whole request, body included (a trickled body gets HTTP 408)',
  },
  {
    name: 'HTTP_HEADERS_TIMEOUT_MS',
    group: SERVER,
    kind: 'integer',
    default: 10_000,
    min: 100,
    max: 3_600_000,
    description: "time to receive a request's headers (at most `HTTP_REQUEST_TIMEOUT_MS`)",
  },
  {
    name: 'HTTP_KEEP_ALIVE_TIMEOUT_MS',
    group: SERVER,
    kind: 'integer',
    default: 65_000,
    min: 100,
    max: 3_600_000,
    description: "an idle keep-alive connection is closed after this (keep it above a load balancer's idle timeout)",
  },
  {
    name: 'HTTP_MAX_CONNECTIONS',
    group: SERVER,
    kind: 'integer',
    default: 1024,
    min: 0,
    max: 1_000_000,
    description: 'connections at once per process; past it new ones are closed at once (`0`: no cap)',
  },

  // Database
  {
    name: 'DATABASE_URL',
    group: DATABASE,
    kind: 'url',
    default: 'sqlite:./data/triage.sqlite',
    description:
      '`sqlite:PATH` (embedded), `mysql://user:pass@host:3306/db` or `mariadb://…` (MariaDB: uses `INSERT … RETURNING`); `?pool=N` sets the pool size (10)',
  },
  {
    name: 'DATABASE_REPLICA_URLS',
    group: DATABASE,
    kind: 'list',
    default: null,
    description:
      "comma-separated `mysql://…` / `mariadb://…` URLs of read replicas of `DATABASE_URL` (each with its own `?pool=N`): reports, aggregates, backtests, list pages and the metrics' row counts read there; everything else stays on the primary. Refused with an SQLite `DATABASE_URL`",
  },
  {
    name: 'DB_LOCK_WAIT_TIMEOUT_MS',
    group: DATABASE,
    kind: 'integer',
    default: 5_000,
    min: 1,
    max: 3_600_000,
    description:
      'how long a statement waits for a row or table lock another client holds (MySQL/MariaDB `innodb_lock_wait_timeout` and `lock_wait_timeout`, rounded up to whole seconds; SQLite: the busy timeout). Past it the request answers `SERVICE_UNAVAILABLE` and writes nothing',
  },
  {
    name: 'DB_STATEMENT_TIMEOUT_MS',
    group: DATABASE,
    kind: 'integer',
    default: 60_000,
    min: 0,
    max: 86_400_000,
    description:
      'one statement runs at most this long (MariaDB `max_statement_time`; MySQL `max_execution_time`, SELECTs only); `0`: no limit. Migrations are not limited',
  },
  {
    name: 'DB_ACQUIRE_TIMEOUT_MS',
    group: DATABASE,
    kind: 'integer',
    default: 5_000,
    min: 1,
    max: 600_000,
    description: 'how long a request waits for a pooled connection (MySQL/MariaDB) before `SERVICE_UNAVAILABLE`',
  },

  // Rule pack
  { name: 'RULES_DIR', group: RULES, kind: 'text', default: './rules', description: 'the rule pack directory' },
  {
    name: 'RULES_DRAFTS_DIR',
    group: RULES,
    kind: 'text',
    default: './rules-drafts',
    description: 'the only directory the API reads draft rule packs under (backtests, shadow packs); symlinks out of it are refused',
  },
  {
    name: 'SHADOW_QUEUE_SIZE',
    group: RULES,
    kind: 'integer',
    default: 10_000,
    min: 1,
    max: 1_000_000,
    description: 'live decisions waiting for the shadow pack at most; what does not fit is dropped and counted',
  },

  // Limits on requests
  {
    name: 'MAX_PAGE_SIZE',
    group: LIMITS,
    kind: 'integer',
    default: 200,
    min: 1,
    max: 10_000,
    description: 'largest page any list returns, whatever `first` asks',
  },
  {
    name: 'MAX_BODY_BYTES',
    group: LIMITS,
    kind: 'integer',
    default: 1_048_576,
    min: 1024,
    max: 104_857_600,
    description: 'largest request body; larger gets HTTP 413',
  },
  { name: 'GRAPHQL_INTROSPECTION', group: LIMITS, kind: 'boolean', default: 'on unless `NODE_ENV=production`', description: 'schema introspection' },
  {
    name: 'GRAPHQL_MAX_DEPTH',
    group: LIMITS,
    kind: 'integer',
    default: 12,
    min: 1,
    max: 100,
    description: 'deepest selection accepted (introspection exempt)',
  },
  {
    name: 'GRAPHQL_MAX_COST',
    group: LIMITS,
    kind: 'integer',
    default: 50_000,
    min: 10,
    max: 10_000_000,
    description:
      'cost limit of one HTTP request (the operations of a batch together): every field 1, a paged list costs its children × the page it really returns (`first` capped at `MAX_PAGE_SIZE`); variables count',
  },
  { name: 'GRAPHQL_MAX_ALIASES', group: LIMITS, kind: 'integer', default: 30, min: 0, max: 10_000, description: 'aliases per operation' },
  {
    name: 'GRAPHQL_MAX_TOKENS',
    group: LIMITS,
    kind: 'integer',
    default: 5000,
    min: 100,
    max: 1_000_000,
    description: 'tokens per document (more: HTTP 400 `GRAPHQL_PARSE_FAILED`, counted while parsing)',
  },
  {
    name: 'GRAPHQL_MAX_BATCH',
    group: LIMITS,
    kind: 'integer',
    default: 10,
    min: 0,
    max: 1000,
    description: 'operations in one batched HTTP request (`0`: batching off)',
  },
  {
    name: 'GRAPHQL_TIMEOUT_MS',
    group: LIMITS,
    kind: 'integer',
    default: 30_000,
    min: 0,
    max: 3_600_000,
    description: "time budget of one HTTP request's GraphQL work: past it no further resolver starts and the answer is HTTP 503 `REQUEST_TIMEOUT` (`0`: none)",
  },
  {
    name: 'RATE_LIMIT_PER_MINUTE',
    group: LIMITS,
    kind: 'integer',
    default: 60_000,
    min: 0,
    max: 100_000_000,
    description:
      'operations per minute per API key (a request without a key: per client address), per process, GraphQL and report exports alike: each operation of a batch counts, a mutation once per mutation field it selects (aliases included), a download once; over it: HTTP 429, code `RATE_LIMITED`, `Retry-After` (`0`: off)',
  },
  {
    name: 'AUTH_FAILURES_PER_MINUTE',
    group: LIMITS,
    kind: 'integer',
    default: 30,
    min: 0,
    max: 1_000_000,
    description:
      "failed authentications (unknown, revoked or malformed keys) one client address may make in a minute; past them every request of that address with a key gets HTTP 429 `RATE_LIMITED` before any lookup, until the minute is over (`0`: off). The address is the socket's: behind a proxy, the proxy's",
  },
  {
    name: 'JSON_MAX_DEPTH',
    group: LIMITS,
    kind: 'integer',
    default: 16,
    min: 1,
    max: 1000,
    description: 'nesting depth of every JSON input (`completeAction(evidence:)` …) at most; deeper: `BAD_USER_INPUT` on the argument',
  },
  {
    name: 'JSON_MAX_BYTES',
    group: LIMITS,
    kind: 'integer',
    default: 65_536,
    min: 64,
    max: 16_777_216,
    description: 'serialized size of every JSON input at most; larger: `BAD_USER_INPUT` on the argument',
  },

  // Metrics and logs
  { name: 'LOG_LEVEL', group: METRICS, kind: 'text', default: 'info', description: '`fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent`' },
  {
    name: 'METRICS_PORT',
    group: METRICS,
    kind: 'integer',
    default: 0,
    min: 0,
    max: 65535,
    description: 'serve `/metrics` on this port only (`0`: on the API port)',
  },
  { name: 'METRICS_TOKEN', group: METRICS, kind: 'text', default: null, description: 'when set, `/metrics` needs `Authorization: Bearer <token>`' },
  {
    name: 'METRICS_OPERATION_NAMES',
    group: METRICS,
    kind: 'list',
    default: null,
    description:
      "comma-separated operation names your clients send (e.g. `Report,MonthlyReport`) that metrics label as they are; the schema's root fields are always known, any other name is labelled `other`",
  },

  // Deadlines and webhooks
  {
    name: 'ESCALATION_INTERVAL_MS',
    group: BACKGROUND,
    kind: 'integer',
    default: 30_000,
    min: 0,
    max: 86_400_000,
    description: 'a pass of the escalation scheduler every so often (`0`: off — passes run only by hand, as the tests do)',
  },
  {
    name: 'ESCALATION_LOOKBACK_HOURS',
    group: BACKGROUND,
    kind: 'integer',
    default: 168,
    min: 0,
    max: 87_600,
    description: 'deadlines missed longer ago than this when first seen are not breached (`0`: no limit)',
  },
  {
    name: 'WEBHOOK_INTERVAL_MS',
    group: BACKGROUND,
    kind: 'integer',
    default: 1_000,
    min: 0,
    max: 3_600_000,
    description: 'how often the delivery worker looks for work (`0`: off)',
  },
  {
    name: 'WEBHOOK_TIMEOUT_MS',
    group: BACKGROUND,
    kind: 'integer',
    default: 10_000,
    min: 100,
    max: 120_000,
    description: 'an attempt without an answer by then has failed',
  },
  {
    name: 'WEBHOOK_CONCURRENCY',
    group: BACKGROUND,
    kind: 'integer',
    default: 8,
    min: 1,
    max: 256,
    description: 'deliveries in flight per process (half of them at most to one subscription)',
  },
  {
    name: 'WEBHOOK_RETENTION_DAYS',
    group: BACKGROUND,
    kind: 'integer',
    default: 30,
    min: 0,
    max: 3650,
    description:
      'events older than this whose deliveries are all settled (`DELIVERED` or `DEAD`) are deleted with their deliveries, hourly (`0`: keep forever)',
  },
  {
    name: 'WEBHOOK_ALLOWED_HOSTS',
    group: BACKGROUND,
    kind: 'list',
    default: null,
    description:
      'comma-separated host names, IP addresses and CIDR ranges webhooks may go to although not public (`hooks.internal,10.20.0.0/16,127.0.0.1`); a listed name is allowed whatever it resolves to',
  },

  // Tracing
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    group: TRACING,
    kind: 'url',
    default: null,
    description:
      'turns tracing on: spans go to `<endpoint>/v1/traces` over OTLP/HTTP (JSON), e.g. `http://otel-collector:4318`. Unset: no tracing, and nothing of it is loaded or installed',
  },
  {
    name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    group: TRACING,
    kind: 'url',
    default: null,
    description: 'the full URL for spans, used as it is; wins over `OTEL_EXPORTER_OTLP_ENDPOINT`',
  },
  { name: 'OTEL_SERVICE_NAME', group: TRACING, kind: 'text', default: 'triage', description: "the spans' `service.name`" },
  {
    name: 'OTEL_TRACES_SAMPLER',
    group: TRACING,
    kind: 'text',
    default: 'parentbased_always_on',
    description:
      "which new traces are kept: `parentbased_traceidratio` (with `OTEL_TRACES_SAMPLER_ARG`), `parentbased_always_off` none; a caller's `traceparent` decides for its own trace either way",
  },
  {
    name: 'OTEL_TRACES_SAMPLER_ARG',
    group: TRACING,
    kind: 'text',
    default: '1',
    description: 'the share of new traces `parentbased_traceidratio` keeps, from 0 to 1 (`0.1`: a tenth)',
  },
  { name: 'OTEL_SDK_DISABLED', group: TRACING, kind: 'boolean', default: 'false', description: '`true` turns tracing off whatever the endpoint' },

  // Staff sign-in and notifications
  {
    name: 'OIDC_ISSUER',
    group: PEOPLE,
    kind: 'url',
    default: null,
    description: "turns staff sign-in on: the identity provider's issuer URL (its discovery document is at `/.well-known/openid-configuration`)",
  },
  {
    name: 'OIDC_AUDIENCE',
    group: PEOPLE,
    kind: 'text',
    default: null,
    description: "this service as the provider names it in the tokens' `aud` (required with `OIDC_ISSUER`)",
  },
  {
    name: 'OIDC_EMPLOYEE_CLAIM',
    group: PEOPLE,
    kind: 'text',
    default: 'sub',
    description: 'the token claim holding the employee number (工号), e.g. `employee_no`',
  },
  {
    name: 'OIDC_CLIENT_ID',
    group: PEOPLE,
    kind: 'text',
    default: null,
    description:
      'a public client (no secret) registered at the provider for signing in from a browser, the web console among them (authorization code with PKCE, redirect URI `<this server>/console/`); published with the issuer at `/.well-known/triage-sign-in`',
  },
  {
    name: 'OIDC_JWKS_COOLDOWN_MS',
    group: PEOPLE,
    kind: 'integer',
    default: 30_000,
    min: 0,
    max: 3_600_000,
    description: "after fetching the provider's keys, how long a token with an unknown key id waits before they are fetched again",
  },
  {
    name: 'NOTIFICATION_LINK',
    group: PEOPLE,
    kind: 'url',
    default: null,
    description: 'the link back in notifications, `{id}` standing for the incident id, e.g. `https://desk.example.com/incidents/{id}`',
  },
];

const BY_NAME = new Map(CONFIG_VARIABLES.map((v) => [v.name, v]));

/** The declaration of `name`; a name nobody declared is a programming error. */
export function variable(name: string): ConfigVariable {
  const v = BY_NAME.get(name);
  if (!v) throw new Error(`configuration variable ${name} is not declared in config-variables.ts`);
  return v;
}

/**
 * A declared whole number from the environment: its default when unset or empty; out of its
 * bounds or not a whole number, a problem line (for ConfigError) and the default.
 */
export function readInteger(env: NodeJS.ProcessEnv, name: string, problems: string[]): number {
  const v = variable(name);
  if (v.kind !== 'integer') throw new Error(`configuration variable ${name} is not a whole number`);
  const raw = env[name];
  if (raw === undefined || raw === '') return v.default;
  if (!/^\d+$/.test(raw) || Number(raw) < v.min || Number(raw) > v.max) {
    problems.push(`${name}="${raw}" must be a whole number from ${v.min} to ${v.max}`);
    return v.default;
  }
  return Number(raw);
}

/** docs/configuration.md: one table per group, in declaration order. */
export function renderConfigDoc(): string {
  const out = [
    '# Configuration',
    [
      'Triage reads its configuration from the environment once, at start; every bad value is reported on its own',
      'line and the service refuses to start. This page is generated from the declarations in',
      '`src/config/config-variables.ts` by `triage config doc > docs/configuration.md` (a test keeps the two equal).',
    ].join('\n'),
  ];
  const groups = [...new Set(CONFIG_VARIABLES.map((v) => v.group))];
  for (const group of groups) {
    out.push(`## ${group}`);
    const rows = CONFIG_VARIABLES.filter((v) => v.group === group).map((v) => {
      const def = v.kind === 'integer' ? `\`${v.default}\`` : v.default === null ? 'none' : v.default.includes('`') ? v.default : `\`${v.default}\``;
      const range = v.kind === 'integer' ? ` (${v.min}–${v.max})` : '';
      return `| \`${v.name}\` | ${def}${range} | ${v.description.replace(/\|/g, '\\|')} |`;
    });
    out.push(['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n'));
  }
  out.push(
    [
      '## Read by libraries',
      '',
      '`OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_EXPORTER_OTLP_TIMEOUT` and `OTEL_EXPORTER_OTLP_COMPRESSION` (and their `_TRACES_` forms)',
      'are read by the OTLP exporter itself, e.g. `OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer%20…` for a hosted collector.',
    ].join('\n'),
  );
  return out.join('\n\n') + '\n';
}
