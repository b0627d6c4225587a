import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import crypto from 'node:crypto';
import request from 'supertest';
import pino from 'pino';
import mysql from 'mysql2/promise';
import { createApp, App } from '../../../src/app';
import { AppConfig, loadConfig, parseDatabaseUrl } from '../../../src/config/config';
import { ManualClock, Clock } from '../../../src/common/clock';
import type { RulePackOptions } from '../../../src/rules/rule-pack.loader';
import { TcpProxy } from './tcp-proxy';

/** The roles tests get keys for, one key each; plus an INTEGRATION key per source. */
export const TEST_ROLES = ['ADMIN', 'AGENT', 'CS_LEAD', 'TECH', 'CASHIER', 'ACCOUNTANT', 'FINANCE_DIRECTOR', 'PRESIDENT', 'ANALYST', 'LOGISTICS'] as const;
export type TestRole = (typeof TEST_ROLES)[number];

export interface Harness {
  app: App;
  clock: ManualClock;
  keys: Record<TestRole | 'ERP' | 'CRM', string>;
  /** POST /graphql with a key; returns the parsed body. */
  gql<T = any>(
    key: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: T; errors?: Array<{ message: string; extensions: Record<string, any> }> }>;
  /** Adds another key (e.g. a second CASHIER). */
  key(name: string, roles: string[], source?: string): Promise<string>;
  /** With `databaseProxy` on MySQL/MariaDB: the proxy the service reaches its database through (cut it for an outage). */
  databaseProxy: TcpProxy | null;
  close(): Promise<void>;
}

/**
 * Starts the real service over HTTP on a fresh database: SQLite in a temp file, or — when
 * TEST_DATABASE_URL names MySQL/MariaDB — a new database created for this test file and
 * dropped after it. Migrations run as in production.
 */
export async function startHarness(
  options: { now?: Date; rulesDir?: string; env?: Record<string, string>; log?: pino.Logger; rulePack?: RulePackOptions; databaseProxy?: boolean } = {},
): Promise<Harness> {
  const clock = new ManualClock(options.now ?? new Date('2026-11-23T02:00:00Z'));
  const fresh = await freshDatabase();
  const { cleanup } = fresh;
  let url = fresh.url;
  let databaseProxy: TcpProxy | null = null;
  if (options.databaseProxy && !url.startsWith('sqlite:')) {
    const direct = new URL(url);
    databaseProxy = new TcpProxy(direct.hostname, Number(direct.port || 3306));
    await databaseProxy.start();
    direct.hostname = '127.0.0.1';
    direct.port = String(databaseProxy.port);
    url = direct.toString();
  }
  const config: AppConfig = {
    // The escalation scheduler and the webhook worker run only when a test ticks them
    // (`services.escalation.tick()`, `services.webhooks.runOnce()`), unless `env` turns them on.
    ...loadConfig({
      DATABASE_URL: url,
      ...selfReplica(url),
      PORT: '0',
      LOG_LEVEL: 'silent',
      ESCALATION_INTERVAL_MS: '0',
      WEBHOOK_INTERVAL_MS: '0',
      ...options.env,
    }),
    rulesDir: options.rulesDir ?? path.join(__dirname, '..', '..', '..', 'rules'),
  };
  const app = await createApp(config, {
    clock: clock as Clock,
    migrate: true,
    log: options.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    rulePack: options.rulePack,
  });
  const key = async (name: string, roles: string[], source?: string) => (await app.services.apiKeys.create(name, roles, source ?? null)).key;
  const keys = {} as Harness['keys'];
  for (const role of TEST_ROLES) keys[role] = await key(`test-${role.toLowerCase()}`, [role]);
  keys.ERP = await key('test-erp', ['INTEGRATION'], 'erp');
  keys.CRM = await key('test-crm', ['INTEGRATION'], 'crm');
  const agent = request(app.server);
  return {
    app,
    clock,
    keys,
    key,
    databaseProxy,
    async gql(k, query, variables) {
      const req = agent.post('/graphql').set('content-type', 'application/json');
      if (k) req.set('authorization', `Bearer ${k}`);
      const res = await req.send({ query, variables });
      return res.body;
    },
    async close() {
      await databaseProxy?.restore();
      await app.close();
      await databaseProxy?.cut();
      await cleanup();
    },
  };
}

/**
 * TEST_DATABASE_REPLICA=self (MySQL/MariaDB): the test database is also its own read replica,
 * so every read that may go to a replica (reports, lists, backtests) runs on a replica query
 * runner of TypeORM's replication, under the whole suite's assertions.
 */
function selfReplica(url: string): Record<string, string> {
  return process.env.TEST_DATABASE_REPLICA === 'self' && !url.startsWith('sqlite:') ? { DATABASE_REPLICA_URLS: url } : {};
}

/** Whether TEST_DATABASE_URL names a MySQL/MariaDB server (else every test runs on an SQLite file): for the tests only a server can run. */
export const onDatabaseServer = !!process.env.TEST_DATABASE_URL && !process.env.TEST_DATABASE_URL.startsWith('sqlite:');

export async function freshDatabase(): Promise<{ url: string; cleanup: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base || !onDatabaseServer) {
    const file = path.join(os.tmpdir(), `triage-test-${process.pid}-${crypto.randomBytes(4).toString('hex')}.sqlite`);
    return {
      url: `sqlite:${file}`,
      cleanup: async () => {
        for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
      },
    };
  }
  const db = parseDatabaseUrl(base);
  if (db.kind !== 'mysql') throw new Error('unreachable');
  const name = `${db.database}_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = await mysql.createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    cleanup: async () => {
      const c = await mysql.createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/** The fields of Incident most tests read. */
export const INCIDENT_FIELDS = `
  id source externalRef category subtype status severity ownerDepartment notifyDepartments
  actions { code dueAt done } policeReportRequired amount occurredAt reportedAt acknowledgeBy resolveBy
  drill satisfactionScore version
  decision { severity ownerDepartment notifyDepartments policeReportRequired refundSteps ruleSetVersion
    actions { code dueAt done } firedRules { name stage event } }
`;

export const REPORT = `mutation Report($input: ReportIncidentInput!) {
  reportIncident(input: $input) { created incident { ${INCIDENT_FIELDS} } }
}`;

let counter = 0;
/** A unique externalRef per call. */
export const ref = (prefix = 'T') => `${prefix}-${process.pid}-${++counter}-${crypto.randomBytes(2).toString('hex')}`;
