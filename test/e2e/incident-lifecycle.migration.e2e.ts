import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app';
import { ManualClock } from '../../src/common/clock';
import { loadConfig, parseDatabaseUrl } from '../../src/config/config';
import { dataSourceOptions } from '../../src/database/data-source';
import { rawParams } from '../../src/database/raw-params';
import { MIGRATIONS } from '../../migrations';
import { IncidentLifecycle1732300000040 } from '../../migrations/1732300000040-incident-lifecycle';
import { freshDatabase } from './support/harness';

const DECISION = JSON.stringify({
  severity: 'SERIOUS',
  ownerDepartment: 'FINANCE',
  notifyDepartments: ['CUSTOMER_SERVICE'],
  actions: [],
  policeReportRequired: false,
  refundSteps: [],
  acknowledgeBy: null,
  resolveBy: null,
  ruleSetVersion: 'old@1',
  firedRules: [],
});

/**
 * Existing data: the migration gives every stored action its status from `done`, and an
 * incident closed before actions had statuses stays closed, its unfinished actions open.
 */
describe('the action status migration on existing data', () => {
  it('gives DONE to done actions, OPEN to the rest, and leaves closed incidents closed', async () => {
    const { url, cleanup } = await freshDatabase();
    const db = parseDatabaseUrl(url);
    const before = new DataSource({ ...dataSourceOptions(db), migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(IncidentLifecycle1732300000040)) });
    await before.initialize();
    try {
      await before.runMigrations({ transaction: 'each' });
      const at = new Date('2026-11-20T02:00:00Z');
      const insertIncident = (ref: string, status: string) =>
        before.query(
          `INSERT INTO incidents (source, external_ref, input_hash, category, subtype, status, severity, owner_department, police_report_required, amount_fen, report,
          customer_id, customer_phone, order_no, occurred_at, reported_at, acknowledge_by, resolve_by, acknowledged_at, resolved_at, drill, rule_set_version, decision,
          satisfaction_score, satisfaction_comment, version, updated_at)
         VALUES (?, ?, ?, 'OVERCHARGE', NULL, ?, 'SERIOUS', 'FINANCE', ?, NULL, ?, NULL, NULL, NULL, NULL, ?, NULL, NULL, NULL, NULL, ?, 'old@1', ?, NULL, NULL, 3, ?)`,
          rawParams(before, [
            'erp',
            ref,
            'h'.repeat(64),
            status,
            false,
            JSON.stringify({ category: 'OVERCHARGE', source: 'erp', externalRef: ref }),
            at,
            false,
            DECISION,
            at,
          ]),
        );
      await insertIncident('OLD-OPEN', 'ACKNOWLEDGED');
      await insertIncident('OLD-CLOSED', 'CLOSED');
      const ids = (await before.query('SELECT id, external_ref FROM incidents ORDER BY id')) as Array<{ id: number | string; external_ref: string }>;
      const action = (incidentId: number | string, code: string, position: number, done: boolean) =>
        before.query(
          'INSERT INTO incident_actions (incident_id, code, position, due_at, retain_until, done, done_at, done_by, note) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, NULL)',
          rawParams(before, [incidentId, code, position, at, done, done ? at : null, done ? 'agent' : null]),
        );
      await action(ids[0].id, 'APOLOGIZE', 0, true);
      await action(ids[0].id, 'REFUND', 1, false);
      await action(ids[1].id, 'APOLOGIZE', 0, false);
    } finally {
      await before.destroy();
    }

    const app = await createApp(
      {
        ...loadConfig({ DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'silent', ESCALATION_INTERVAL_MS: '0', WEBHOOK_INTERVAL_MS: '0' }),
        rulesDir: path.join(__dirname, '..', '..', 'rules'),
      },
      { clock: new ManualClock(new Date('2026-11-23T02:00:00Z')), migrate: true, log: pino({ level: 'silent' }) },
    );
    try {
      const { key } = await app.services.apiKeys.create('migration-admin', ['ADMIN'], null);
      const read = async (ref: string) =>
        (
          await request(app.server)
            .post('/graphql')
            .set('authorization', `Bearer ${key}`)
            .send({ query: `{ incidentByExternalRef(source: "erp", externalRef: "${ref}") { status version actions { code status done late } } }` })
        ).body.data.incidentByExternalRef;
      expect(await read('OLD-OPEN')).toEqual({
        status: 'ACKNOWLEDGED',
        version: 3,
        actions: [
          { code: 'APOLOGIZE', status: 'DONE', done: true, late: false },
          { code: 'REFUND', status: 'OPEN', done: false, late: true },
        ],
      });
      expect(await read('OLD-CLOSED')).toEqual({ status: 'CLOSED', version: 3, actions: [{ code: 'APOLOGIZE', status: 'OPEN', done: false, late: true }] });
    } finally {
      await app.close();
      await cleanup();
    }
  });
});
