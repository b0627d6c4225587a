/**
 * Reports at scale: a year of monthly refund aggregates over 1,000,000
 * refunds on MariaDB, answered from the monthly rollup, against the same aggregate read from
 * the refunds themselves (the baseline, same run, same data), plus one monthly table.
 *
 * Complaint statistics (incidentAggregates): a year by month × category over 1,000,000 more
 * incidents (`--incidents`), from the incident rollup, beside a plain GROUP BY over the
 * incidents and the same figures read from the incidents, in the same run.
 *
 *   npm run build && node dist/bench/reports.bench.js [--refunds 1000000] [--incidents 1000000] [--months 24]
 *     [--runs 5] [--mariadb-url mariadb://root@127.0.0.1:3306/triage_reports_bench] [--keep]
 *
 * Seeds a fresh database (dropped afterwards unless --keep) with multi-row INSERTs, rebuilds
 * the rollup the way the migration does, then prints medians, EXPLAIN plans and ratios.
 * Bounded: it stops with an error after --max-minutes (20).
 */
import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { ManualClock } from '../src/common/clock';
import { loadConfig } from '../src/config/config';
import { createDataSource, migrate } from '../src/database/data-source';
import { rebuildRefundRollups } from '../src/reports/refund-rollup.store';
import { createServices } from '../src/services';
import { seedRefunds } from './reports.seed';
import { seedIncidents } from './incidents.seed';
import { rebuildIncidentRollups } from '../src/reports/incident-rollup.store';
import { freshMariaDb } from './support/bench-mariadb';

const ROOT = path.join(__dirname, '..', '..');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const t = process.hrtime.bigint();
  const result = await work();
  return [Number(process.hrtime.bigint() - t) / 1e6, result];
}

/** Median of `runs` timings after one warm-up run. */
async function median<T>(runs: number, work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  let [, result] = await timed(work);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [ms, r] = await timed(work);
    times.push(ms);
    result = r;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result };
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)).padStart(8);

async function main() {
  const refunds = Number(option('refunds', '1000000'));
  const incidentCount = Number(option('incidents', '1000000'));
  const months = Number(option('months', '24'));
  const runs = Number(option('runs', '5'));
  const url = option('mariadb-url', 'mariadb://root@127.0.0.1:3306/triage_reports_bench');
  const maxMinutes = Number(option('max-minutes', '20'));
  const keep = process.argv.includes('--keep');
  setTimeout(() => {
    console.error(`reports bench: still running after ${maxMinutes} minutes, stopping`);
    process.exit(2);
  }, maxMinutes * 60_000).unref();

  const { db, admin, pool } = await freshMariaDb(url);
  const config = { ...loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' }), rulesDir: path.join(ROOT, 'rules') };
  const ds = createDataSource(config.database);
  await ds.initialize();
  try {
    await migrate(ds);
    const now = new Date('2027-01-05T02:00:00Z');
    const [[server]] = [await ds.query('SELECT VERSION() AS version, @@innodb_buffer_pool_size AS pool')];
    console.log(
      `reports bench: ${refunds.toLocaleString('en')} refunds over ${months} months to 2026-12, MariaDB ${server.version} at ${db.host}:${db.port}/${db.database}`,
    );
    console.log(
      `  InnoDB buffer pool ${Math.round(Number(server.pool) / 2 ** 20)} MiB; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} at start`,
    );
    let shown = 0;
    const [seedMs, seeded] = await timed(() =>
      seedRefunds(pool, { refunds, months, lastMonth: '2026-12', now, batch: 2000 }, (done) => {
        if (done - shown >= refunds / 10) {
          shown = done;
          process.stdout.write(`  seeded ${done.toLocaleString('en')}\r`);
        }
      }),
    );
    console.log(`\nseed: ${seeded.refunds.toLocaleString('en')} refunds, ${seeded.steps.toLocaleString('en')} steps in ${(seedMs / 1000).toFixed(1)} s`);
    const [rebuildMs] = await timed(() => ds.transaction((em) => rebuildRefundRollups(em)));
    const [[{ cells }]] = [await ds.query('SELECT COUNT(*) AS cells FROM refund_rollups')];
    console.log(`rollup rebuilt from the refunds in ${(rebuildMs / 1000).toFixed(1)} s: ${Number(cells).toLocaleString('en')} cells`);
    shown = 0;
    const [incidentSeedMs, seededIncidents] = await timed(() =>
      seedIncidents(pool, { incidents: incidentCount, months: 12, lastMonth: '2026-12', now, batch: 2000, firstId: Math.ceil(refunds / 100) + 1 }, (done) => {
        if (done - shown >= incidentCount / 10) {
          shown = done;
          process.stdout.write(`  seeded ${done.toLocaleString('en')} incidents\r`);
        }
      }),
    );
    console.log(
      `\nseed: ${seededIncidents.incidents.toLocaleString('en')} incidents over 2026, ${seededIncidents.breaches.toLocaleString('en')} breaches in ${(incidentSeedMs / 1000).toFixed(1)} s`,
    );
    const [incidentRebuildMs] = await timed(() => ds.transaction((em) => rebuildIncidentRollups(em)));
    for (const t of ['incidents', 'refunds', 'refund_steps', 'refund_rollups', 'incident_rollups', 'breaches']) await ds.query(`ANALYZE TABLE ${t}`);
    const [[{ incidentCells }]] = [await ds.query('SELECT COUNT(*) AS incidentCells FROM incident_rollups')];
    console.log(
      `incident rollup rebuilt from the incidents in ${(incidentRebuildMs / 1000).toFixed(1)} s: ${Number(incidentCells).toLocaleString('en')} cells`,
    );

    const clock = new ManualClock(now);
    const services = createServices(config, ds, clock, pino({ level: 'silent' }));
    await services.ruleSets.init();
    const { aggregates, monthly } = services.reports;
    const year = { from: new Date('2025-12-31T16:00:00Z'), to: new Date('2026-12-31T16:00:00Z') };

    const rows: Array<[string, number, string]> = [];
    const measure = async <T>(label: string, n: number, work: () => Promise<T>, note: (r: T) => string) => {
      const { ms, result } = await median(n, work);
      rows.push([label, ms, note(result)]);
      return { ms, result };
    };
    const groups = (r: unknown[]) => `${r.length} groups`;
    const byMonth = await measure('year by MONTH, rollup', runs, () => aggregates.aggregate(['MONTH'], year), groups);
    const byMonthBank = await measure('year by MONTH × BANK, rollup', runs, () => aggregates.aggregate(['MONTH', 'BANK'], year), groups);
    const scanMonth = await measure(
      'year by MONTH, from refunds (baseline)',
      Math.min(runs, 3),
      () => aggregates.aggregate(['MONTH'], year, { scan: true }),
      groups,
    );
    const scanMonthBank = await measure(
      'year by MONTH × BANK, from refunds (baseline)',
      Math.min(runs, 3),
      () => aggregates.aggregate(['MONTH', 'BANK'], year, { scan: true }),
      groups,
    );
    const pendingSql = aggregates.plan(['MONTH', 'BANK'], year).pending;
    await measure(
      '  of which steps pending past due now (live)',
      runs,
      () => ds.query(pendingSql.sql, pendingSql.params),
      (r: unknown[]) => `${r.length} groups`,
    );
    const count = await measure(
      'plain COUNT(*) of the year (index range)',
      runs,
      () => ds.query('SELECT COUNT(*) AS n FROM refunds WHERE requested_at >= ? AND requested_at < ?', [year.from, year.to]),
      (r: Array<{ n: string }>) => `${Number(r[0].n).toLocaleString('en')} refunds`,
    );
    const october = await measure(
      'monthly table 2026-10 (both tables)',
      runs,
      () => monthly.report('2026-10'),
      (r) => `${r.totalCount.toLocaleString('en')} rows`,
    );
    const days = await measure(
      '2026-10 by DAY, from refunds',
      runs,
      () => aggregates.aggregate(['DAY'], { from: new Date('2026-09-30T16:00:00Z'), to: new Date('2026-10-31T16:00:00Z') }),
      groups,
    );

    const stats = services.reports.incidentAggregates;
    const statsMonthCategory = await measure('statistics: year by MONTH × CATEGORY, rollup', runs, () => stats.aggregate(['MONTH', 'CATEGORY'], year), groups);
    const statsMonth = await measure('statistics: year by MONTH, rollup', runs, () => stats.aggregate(['MONTH'], year), groups);
    const plain = await measure(
      'statistics baseline: plain GROUP BY month, category over the incidents (count, amount)',
      Math.min(runs, 3),
      () =>
        ds.query(
          'SELECT business_month, category, COUNT(*) AS n, SUM(amount_fen) AS fen FROM incidents WHERE reported_at >= ? AND reported_at < ? AND drill = 0 GROUP BY business_month, category',
          [year.from, year.to],
        ),
      (r: unknown[]) => `${r.length} groups`,
    );
    const statsScan = await measure(
      'statistics: year by MONTH × CATEGORY, every figure from the incidents',
      Math.min(runs, 3),
      () => stats.aggregate(['MONTH', 'CATEGORY'], year, { scan: true }),
      groups,
    );
    const statsDays = await measure(
      'statistics: 2026-10 by DAY, from the incidents',
      runs,
      () => stats.aggregate(['DAY'], { from: new Date('2026-09-30T16:00:00Z'), to: new Date('2026-10-31T16:00:00Z') }),
      groups,
    );
    const statsSame = JSON.stringify(statsMonthCategory.result, big) === JSON.stringify(statsScan.result, big);

    const same =
      JSON.stringify(byMonth.result, big) === JSON.stringify(scanMonth.result, big) &&
      JSON.stringify(byMonthBank.result, big) === JSON.stringify(scanMonthBank.result, big);
    console.log('\n| what | median ms | |\n|---|---:|---|');
    for (const [label, ms, note] of rows) console.log(`| ${label} | ${fmt(ms)} | ${note} |`);
    console.log(
      `\nrollup vs reading the refunds, same data, same run: MONTH ${(scanMonth.ms / byMonth.ms).toFixed(0)}× faster, MONTH × BANK ${(scanMonthBank.ms / byMonthBank.ms).toFixed(0)}× faster; rollup vs a bare COUNT(*) of the year: ${(count.ms / byMonth.ms).toFixed(1)}×`,
    );
    console.log(`both paths give identical groups, counts and fen totals: ${same ? 'yes' : 'NO'}`);
    console.log(
      `statistics: a year by MONTH × CATEGORY from the rollup vs a plain GROUP BY over the incidents: ${(plain.ms / statsMonthCategory.ms).toFixed(0)}× faster; vs every figure from the incidents: ${(statsScan.ms / statsMonthCategory.ms).toFixed(0)}× faster`,
    );
    console.log(
      `statistics: rollup and incidents give identical groups and figures: ${statsSame ? 'yes' : 'NO'}; ${statsMonth.result.reduce((s, a) => s + a.count, 0).toLocaleString('en')} incidents in 2026 (no drills), ${statsDays.result.length} days in October`,
    );
    console.log(
      `year total ${byMonth.result.reduce((s, a) => s + a.count, 0).toLocaleString('en')} refunds; October table ${october.result.totalCount.toLocaleString('en')} rows, ${days.result.length} days`,
    );

    const explain = async (label: string, q: { sql: string; params: unknown[] }) => {
      console.log(`\nEXPLAIN ${label}:`);
      console.table(await ds.query(`EXPLAIN ${q.sql}`, q.params));
    };
    const plan = aggregates.plan(['MONTH', 'BANK'], year);
    await explain('year by MONTH × BANK, sums from the rollup', plan.sums);
    await explain('year by MONTH × BANK, steps pending past due now (live, from refund_pending_steps)', plan.pending);
    await explain('year by MONTH × BANK, baseline sums from the refunds', aggregates.plan(['MONTH', 'BANK'], year, { scan: true }).sums);
    console.log('\nEXPLAIN monthly table 2026-10:');
    console.table(
      await ds.query(
        "EXPLAIN SELECT r.id FROM refunds r WHERE r.business_month = '2026-10' AND r.drill = 0 AND r.status <> 'CANCELLED' ORDER BY r.requested_at, r.id",
      ),
    );
    await explain('statistics: year by MONTH × CATEGORY from the rollup', stats.plan(['MONTH', 'CATEGORY'], year).sums);
    if (!same || !statsSame) process.exitCode = 1;
  } finally {
    await pool.end();
    await ds.destroy();
    if (!keep) await admin.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
    await admin.end();
  }
}

/** JSON.stringify replacer for bigint fen. */
function big(_: string, v: unknown) {
  return typeof v === 'bigint' ? v.toString() : v;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
