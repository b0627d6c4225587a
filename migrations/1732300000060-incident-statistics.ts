import { DateTime } from 'luxon';
import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { rebuildIncidentRollups } from '../src/reports/incident-rollup.store';
import { columns } from './portable';

/** The zone of the default rule pack: incidents reported before this migration were reported under it. */
const BACKFILL_ZONE = 'Asia/Shanghai';
const DAY_MS = 24 * 60 * 60 * 1000;
const REPEAT_WINDOW_MS = 30 * DAY_MS;
const PAGE = 5000;

const NEW_COLUMNS: Array<[string, string]> = [
  ['business_month', "varchar(7) NOT NULL DEFAULT ''"],
  ['business_week', "varchar(8) NOT NULL DEFAULT ''"],
  ['business_day', "varchar(10) NOT NULL DEFAULT ''"],
  ['channel', 'varchar(64) NULL'],
  ['repeat_incidents_30d', 'integer NOT NULL DEFAULT 0'],
];

/**
 * Complaint statistics (客诉统计分析) at scale. Each incident keeps what the statistics group and
 * count by and could not read cheaply before: its business-zone month, ISO week and day, its
 * channel (only inside the report JSON until now) and its customer's earlier non-drill
 * incidents in the 30 days before it. `incident_rollups` keeps counts and sums per business
 * month × drill × category × subtype × severity × owner department × source × channel ×
 * status, maintained in every incident write's transaction (src/reports/incident-rollup.store.ts).
 * Existing rows are backfilled; the rollup is rebuilt from them.
 */
export class IncidentStatistics1732300000060 implements MigrationInterface {
  name = 'IncidentStatistics1732300000060';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    const isSqlite = queryRunner.connection.driver.options.type === 'better-sqlite3';
    // Plain ALTER TABLE, valid on both databases (TypeORM's SQLite addColumn copies the table).
    const text = isSqlite ? '' : ' CHARACTER SET utf8mb4 COLLATE utf8mb4_bin';
    for (const [name, type] of NEW_COLUMNS) {
      const typed = type.startsWith('varchar') ? type.replace(/^(varchar\(\d+\))/, `$1${text}`) : type;
      await queryRunner.query(`ALTER TABLE incidents ADD COLUMN ${name} ${typed}`);
    }
    await backfillPeriods(queryRunner);
    // The channel was kept in the report JSON only.
    await queryRunner.query(
      isSqlite
        ? "UPDATE incidents SET channel = json_extract(report, '$.channel') WHERE json_type(report, '$.channel') = 'text'"
        : "UPDATE incidents SET channel = JSON_UNQUOTE(JSON_EXTRACT(report, '$.channel')) WHERE JSON_TYPE(JSON_EXTRACT(report, '$.channel')) = 'STRING'",
    );
    await backfillRepeats(queryRunner);
    // DAY and WEEK groupings, and windows that cut a month, read the incidents of the window.
    await queryRunner.createIndex('incidents', new TableIndex({ name: 'ix_incidents_business_day', columnNames: ['business_day', 'drill'] }));
    await queryRunner.createTable(
      new Table({
        name: 'incident_rollups',
        columns: [
          c.id(),
          c.str('business_month', 7),
          c.bool('drill'),
          c.str('category', 64),
          c.str('subtype', 64),
          c.str('severity', 16),
          c.str('owner_department', 64),
          c.str('source', 64),
          c.str('channel', 64),
          c.str('status', 16),
          c.int('incident_count'),
          c.int('acknowledged'),
          c.int('acknowledged_on_time'),
          c.int('resolved'),
          c.int('resolved_on_time'),
          c.bigint('resolve_ms'),
          c.int('breaches'),
          c.int('surveyed'),
          c.int('satisfaction_sum'),
          c.int('repeat_customer'),
          c.bigint('total_fen'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_incident_rollups_cell',
            columnNames: ['business_month', 'drill', 'category', 'subtype', 'severity', 'owner_department', 'source', 'channel', 'status'],
            isUnique: true,
          }),
        ],
      }),
    );
    await rebuildIncidentRollups(queryRunner.manager);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('incident_rollups');
    await queryRunner.dropIndex('incidents', 'ix_incidents_business_day');
    for (const [name] of [...NEW_COLUMNS].reverse()) await queryRunner.query(`ALTER TABLE incidents DROP COLUMN ${name}`);
  }
}

/** A DATETIME as either driver returns it (SQLite: UTC text without a zone). */
function instant(v: Date | string): Date {
  return v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T')}Z`);
}

/**
 * Month, ISO week and day of each incident: one UPDATE per business day over the reported_at
 * index (a day is a range of instants), not one per incident.
 */
async function backfillPeriods(queryRunner: QueryRunner): Promise<void> {
  const [range] = await queryRunner.query('SELECT MIN(reported_at) AS first, MAX(reported_at) AS last FROM incidents');
  if (!range?.first) return;
  const last = instant(range.last).getTime();
  const isSqlite = queryRunner.connection.driver.options.type === 'better-sqlite3';
  const at = (d: DateTime) => (isSqlite ? d.toUTC().toFormat('yyyy-MM-dd HH:mm:ss.SSS') : d.toJSDate());
  for (let day = DateTime.fromJSDate(instant(range.first), { zone: BACKFILL_ZONE }).startOf('day'); day.toMillis() <= last; day = day.plus({ days: 1 })) {
    await queryRunner.query('UPDATE incidents SET business_month = ?, business_week = ?, business_day = ? WHERE reported_at >= ? AND reported_at < ?', [
      day.toFormat('yyyy-MM'),
      day.toFormat("kkkk-'W'WW"),
      day.toFormat('yyyy-MM-dd'),
      at(day),
      at(day.plus({ days: 1 })),
    ]);
  }
}

/**
 * Each incident's customer's earlier non-drill incidents in the 30 days before it, in one
 * pass over the incidents by customer and time (a sliding window per customer, pages of
 * PAGE rows); only the rows with some are written.
 */
async function backfillRepeats(queryRunner: QueryRunner): Promise<void> {
  let after: { customer: string; at: string | Date; id: number } | null = null;
  let customer: string | null = null;
  let window: number[] = [];
  for (;;) {
    const rows: Array<{ id: number | string; customer_id: string; reported_at: Date | string; drill: number | string | boolean }> = await queryRunner.query(
      `SELECT id, customer_id, reported_at, drill FROM incidents WHERE customer_id IS NOT NULL${after ? ' AND (customer_id > ? OR (customer_id = ? AND (reported_at > ? OR (reported_at = ? AND id > ?))))' : ''}
       ORDER BY customer_id, reported_at, id LIMIT ${PAGE}`,
      after ? [after.customer, after.customer, after.at, after.at, after.id] : [],
    );
    for (const r of rows) {
      if (r.customer_id !== customer) {
        customer = r.customer_id;
        window = [];
      }
      const t = instant(r.reported_at).getTime();
      window = window.filter((w) => w >= t - REPEAT_WINDOW_MS && w < t);
      if (window.length) await queryRunner.query('UPDATE incidents SET repeat_incidents_30d = ? WHERE id = ?', [window.length, r.id]);
      if (!Number(r.drill)) window.push(t);
    }
    if (rows.length < PAGE) return;
    const lastRow = rows[rows.length - 1];
    after = { customer: lastRow.customer_id, at: lastRow.reported_at, id: Number(lastRow.id) };
  }
}
