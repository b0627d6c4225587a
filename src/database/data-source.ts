import fs from 'node:fs';
import path from 'node:path';
import { DataSource, DataSourceOptions, MigrationExecutor } from 'typeorm';
import type { DatabaseConfig, MysqlDatabaseConfig } from '../config/config';
import { MIGRATIONS } from '../../migrations';
import { ApiKeyEntity } from '../auth/api-key.entity';
import { IncidentEntity } from '../incidents/incident.entity';
import { IncidentActionEntity } from '../incidents/incident-action.entity';
import { IncidentEventEntity } from '../incidents/incident-event.entity';
import { IncidentDecisionEntity } from '../incidents/incident-decision.entity';
import { RuleSetVersionEntity } from '../rulesets/rule-set-version.entity';
import { ShadowDivergenceEntity } from '../rulesets/shadow-divergence.entity';
import { RefundEntity } from '../refunds/refund.entity';
import { RefundStepEntity } from '../refunds/refund-step.entity';
import { RefundTransitionEntity } from '../refunds/refund-transition.entity';
import { RemedyEntity } from '../remedies/remedy.entity';
import { RemedyStepEntity } from '../remedies/remedy-step.entity';
import { RemedyTransitionEntity } from '../remedies/remedy-transition.entity';
import { BreachEntity } from '../escalation/breach.entity';
import { IncidentClockEntity } from '../escalation/incident-clock.entity';
import { SlaWarningEntity } from '../escalation/sla-warning.entity';
import { WebhookDeliveryEntity } from '../webhooks/webhook-delivery.entity';
import { WebhookOutboxEntity } from '../webhooks/webhook-outbox.entity';
import { WebhookSubscriptionEntity } from '../webhooks/webhook-subscription.entity';
import { IdempotencyKeyEntity } from '../idempotency/idempotency-key.entity';
import { ReportFilingEntity, ReportSignOffEntity } from '../reports/report-filing.entity';
import { ShiftHandoverRecordEntity } from '../reports/shift-handover-record.entity';
import { PEOPLE_ENTITIES } from '../people/people.entities';
import { DrillDueClockEntity, DrillRunEntity, DrillRunStepEntity } from '../drills/drill-run.entity';
import { bindSqliteIntegers } from './driver-internals';

/** Every entity, listed explicitly (no globs: the build and ts-jest see the same set). */
export const ENTITIES = [
  ApiKeyEntity,
  IncidentEntity,
  IncidentActionEntity,
  IncidentEventEntity,
  RuleSetVersionEntity,
  RefundEntity,
  RefundStepEntity,
  RefundTransitionEntity,
  RemedyEntity,
  RemedyStepEntity,
  RemedyTransitionEntity,
  ShadowDivergenceEntity,
  IncidentClockEntity,
  BreachEntity,
  SlaWarningEntity,
  WebhookSubscriptionEntity,
  WebhookOutboxEntity,
  WebhookDeliveryEntity,
  IdempotencyKeyEntity,
  ReportFilingEntity,
  ReportSignOffEntity,
  ShiftHandoverRecordEntity,
  IncidentDecisionEntity,
  ...PEOPLE_ENTITIES,
  DrillRunEntity,
  DrillRunStepEntity,
  DrillDueClockEntity,
];

/** TypeORM options for SQLite (embedded default) or MySQL/MariaDB. Never `synchronize`. */
export function dataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logging: false } as const;
  if (db.kind === 'sqlite') {
    if (db.file !== ':memory:') fs.mkdirSync(path.dirname(db.file), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: db.file,
      enableWAL: db.file !== ':memory:',
      timeout: 10_000,
      prepareDatabase: (conn: { pragma(s: string): unknown }) => {
        conn.pragma('foreign_keys = ON');
        conn.pragma('synchronous = NORMAL');
      },
    };
  }
  return {
    ...common,
    type: db.flavor,
    host: db.host,
    port: db.port,
    username: db.user,
    password: db.password,
    database: db.database,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    poolSize: db.poolSize,
    // trace: false — mysql2's promise API otherwise captures a stack trace on every statement
    // (4% of the write path's CPU); TypeORM's QueryFailedError already names the query.
    extra: { connectionLimit: db.poolSize, maxIdle: db.poolSize, enableKeepAlive: true, trace: false },
  };
}

/**
 * A data source on `db`; with `replicas` (MySQL/MariaDB only), reads that ask for a replica
 * (ReadDb, read-db.ts) go to one of them and everything else to `db`.
 */
export function createDataSource(db: DatabaseConfig, replicas: readonly MysqlDatabaseConfig[] = []): DataSource {
  if (!replicas.length) {
    const ds = new DataSource(dataSourceOptions(db));
    if (db.kind === 'sqlite') bindSqliteIntegers(ds);
    return ds;
  }
  if (db.kind !== 'mysql') throw new Error('read replicas need a MySQL/MariaDB primary');
  return new DataSource(withReplicas(dataSourceOptions(db), db, replicas));
}

/**
 * The options with read replicas: TypeORM replication on a mysql2 pool cluster. With
 * `defaultMode: 'master'` every statement, SELECTs included, goes to the primary unless its
 * query runner was created in 'slave' mode, which only ReadDb does.
 */
export function withReplicas(options: DataSourceOptions, primary: MysqlDatabaseConfig, replicas: readonly MysqlDatabaseConfig[]): DataSourceOptions {
  if (options.type !== 'mysql' && options.type !== 'mariadb') throw new Error('read replicas need a MySQL/MariaDB primary');
  const { host: _host, port: _port, username: _username, password: _password, database: _database, extra, ...rest } = options;
  // `extra` is applied to every server of the cluster: each keeps its own pool size instead.
  const { connectionLimit: _limit, maxIdle: _idle, ...shared } = (extra ?? {}) as Record<string, unknown>;
  const server = (db: MysqlDatabaseConfig) => ({
    host: db.host,
    port: db.port,
    username: db.user,
    password: db.password,
    database: db.database,
    poolSize: db.poolSize,
  });
  return {
    ...rest,
    extra: shared,
    replication: {
      master: server(primary),
      slaves: replicas.map(server),
      defaultMode: 'master',
      // A server that fails is neither retried in a loop nor dropped from the cluster (mysql2's
      // defaults would drop it for good after 5 errors): the primary behaves as a plain pool
      // (errors surface as SERVICE_UNAVAILABLE, it recovers when the server is back), and a dead
      // replica is ReadDb's to fall back from.
      canRetry: false,
      removeNodeErrorCount: Number.MAX_SAFE_INTEGER,
    },
  };
}

/** The migrations this build has that the database has not recorded (read only: no table is created). */
export async function pendingMigrations(ds: DataSource): Promise<string[]> {
  const done = new Set((await new MigrationExecutor(ds).getExecutedMigrations()).map((m) => m.name));
  return ds.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !done.has(name));
}

/** Refuses to work on a database that lacks migrations, with what to do instead of a missing table's SQL error. */
export async function assertMigrated(ds: DataSource): Promise<void> {
  const pending = await pendingMigrations(ds);
  if (pending.length) {
    throw new Error(
      `the database has ${pending.length} migration${pending.length === 1 ? '' : 's'} to apply (${pending.join(', ')}): run \`triage migrate\` first, or \`triage serve --migrate\``,
    );
  }
}

/** Runs the pending migrations; returns the names of those it ran. */
export async function migrate(ds: DataSource): Promise<string[]> {
  const ran = await ds.runMigrations({ transaction: 'each' });
  return ran.map((m) => m.name);
}
