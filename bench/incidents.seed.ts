/**
 * Synthetic incidents for the complaint statistics in the reports benchmark, written straight
 * to MariaDB with multi-row INSERTs: N incidents spread evenly over `months` business months
 * ending with `lastMonth`, shaped like the service's rows — business-zone month, ISO week and
 * day, category with subtype, severity and owner as the pack decides them, sources and
 * channels, deadlines with about 10% missed (each with a breach row), old incidents resolved or
 * closed, recent ones still open, satisfaction on 60%, 3% repeat customers, 1% drills.
 * Deterministic (seeded PRNG).
 */
import type { Pool } from 'mysql2/promise';
import { DateTime } from 'luxon';
import { prng } from '../src/common/prng';

const H = 3_600_000;
/** Asia/Shanghai has kept UTC+8 without daylight saving since 1991: plain arithmetic is exact here. */
const SHANGHAI_MS = 8 * H;
const SOURCES = ['erp', 'erp', 'crm', 'hall'];
const CHANNELS = ['hotline', 'app', 'wechat', 'counter'];
/** [category, subtypes, severity, owner, weight] */
const CATEGORIES: Array<[string, Array<string | null>, string, string, number]> = [
  ['OVERCHARGE', [null], 'SERIOUS', 'FINANCE', 18],
  ['PAYMENT_FAULT', ['NO_ORDER_ISSUED', 'ORDER_CONFLICT', 'PAYMENT_TIMEOUT'], 'GENERAL', 'CUSTOMER_SERVICE', 16],
  ['PRODUCT_QUALITY', ['COSMETIC_DEFECT', 'MINOR_MALFUNCTION', 'FUNCTION_FAILURE', 'SERIOUS_DEFECT'], 'GENERAL', 'AFTER_SALES', 14],
  ['LOGISTICS', ['DAMAGED', 'LOST', 'DELAYED', 'TRANSPORT_ACCIDENT'], 'SERIOUS', 'LOGISTICS', 12],
  ['ORDER_ERROR', [null], 'GENERAL', 'CUSTOMER_SERVICE', 9],
  ['SERVICE', ['SLOW_RESPONSE', 'ATTITUDE', 'MISCOMMUNICATION'], 'GENERAL', 'CUSTOMER_SERVICE', 9],
  ['AGITATED_CUSTOMER', [null], 'SERIOUS', 'CUSTOMER_SERVICE', 6],
  ['SYSTEM_FAILURE', ['COMPUTER', 'NETWORK', 'POWER_OUTAGE', 'HOTLINE'], 'GENERAL', 'IT', 5],
  ['PROPERTY_LOSS', ['LOST', 'STOLEN', 'DAMAGED'], 'SERIOUS', 'SECURITY', 4],
  ['PERSONAL_SAFETY', ['TRAFFIC_ACCIDENT', 'ANIMAL_BITE', 'WORK_INJURY'], 'URGENT', 'SECURITY', 3],
  ['ONSITE_EMERGENCY', ['CUSTOMER_ILLNESS', 'TROUBLEMAKER', 'ELECTRICAL_FAULT'], 'URGENT', 'FACILITIES', 4],
];
const TOTAL_WEIGHT = CATEGORIES.reduce((s, c) => s + c[4], 0);
const DEADLINES: Record<string, [number, number]> = { GENERAL: [4 * H, 120 * H], SERIOUS: [H, 72 * H], URGENT: [H / 4, 24 * H], CRITICAL: [H / 12, 4 * H] };
const COLUMNS =
  'id, source, external_ref, input_hash, category, subtype, status, severity, owner_department, police_report_required, amount_fen, report, customer_id, channel, ' +
  'reported_at, business_month, business_week, business_day, acknowledge_by, resolve_by, acknowledged_at, resolved_at, drill, repeat_incidents_30d, rule_set_version, decision, ' +
  'satisfaction_score, version, updated_at';
const BREACH_COLUMNS = 'subject_type, subject_id, kind, incident_id, due_at, detected_at, level';

export interface IncidentSeedOptions {
  incidents: number;
  months: number;
  lastMonth: string;
  /** Incidents in the two weeks before it are still open. */
  now: Date;
  batch: number;
  /** The first id (after the incidents the refund seed made). */
  firstId: number;
}

const sql = (d: Date | null) => (d ? d.toISOString().slice(0, 23).replace('T', ' ') : null);

/** Seeds the incidents and their breaches; returns the row counts. Secondary indexes are built after the rows. */
export async function seedIncidents(pool: Pool, o: IncidentSeedOptions, progress: (done: number) => void): Promise<{ incidents: number; breaches: number }> {
  const indexes = await secondaryIndexes(pool, 'incidents');
  if (indexes.length) await pool.query(`ALTER TABLE incidents ${indexes.map((ix) => `DROP INDEX ${ix.name}`).join(', ')}`);
  const [y, m] = o.lastMonth.split('-').map(Number);
  const start = Date.UTC(y, m - o.months, 1) - SHANGHAI_MS;
  const span = Math.min(Date.UTC(y, m, 1) - SHANGHAI_MS, o.now.getTime() - H) - start;
  let breaches = 0;
  let next = 0;
  let done = 0;
  const worker = async () => {
    const conn = await pool.getConnection();
    try {
      await conn.query('SET foreign_key_checks = 0, unique_checks = 0');
      while (next < o.incidents) {
        const from = next;
        const to = Math.min(o.incidents, from + o.batch);
        next = to;
        const rnd = prng(o.firstId + from);
        const rows: unknown[][] = [];
        const breachRows: unknown[][] = [];
        for (let n = from; n < to; n++) {
          const id = o.firstId + n;
          const reported = new Date(start + Math.floor(((n + rnd()) / o.incidents) * span));
          const local = DateTime.fromMillis(reported.getTime(), { zone: 'UTC+8' });
          let roll = rnd() * TOTAL_WEIGHT;
          const [category, subtypes, baseSeverity, owner] = CATEGORIES.find((c) => (roll -= c[4]) < 0) ?? CATEGORIES[0];
          const repeats = rnd() < 0.03 ? 3 + Math.floor(rnd() * 3) : Math.floor(rnd() * 3);
          const severity = repeats >= 3 && baseSeverity === 'GENERAL' ? 'SERIOUS' : baseSeverity;
          const [ackSpan, resolveSpan] = DEADLINES[severity];
          const ackBy = new Date(reported.getTime() + ackSpan);
          const resolveBy = new Date(reported.getTime() + resolveSpan);
          const recent = o.now.getTime() - reported.getTime() < 14 * 24 * H;
          const lateAck = rnd() < 0.1;
          const acked = !recent || rnd() < 0.7 ? new Date(reported.getTime() + (lateAck ? ackSpan * (1 + rnd() * 3) : ackSpan * rnd())) : null;
          const lateResolve = rnd() < 0.15;
          const resolved =
            acked && (!recent || rnd() < 0.4) ? new Date(reported.getTime() + (lateResolve ? resolveSpan * (1 + rnd() * 2) : resolveSpan * rnd())) : null;
          const status = resolved ? (rnd() < 0.6 ? 'CLOSED' : 'RESOLVED') : acked ? 'ACKNOWLEDGED' : 'OPEN';
          const amount = rnd() < 0.7 ? 100 + Math.floor(rnd() * 500_000) : null;
          rows.push([
            id,
            SOURCES[Math.floor(rnd() * SOURCES.length)],
            `BI-${id}`,
            'h',
            category,
            subtypes[Math.floor(rnd() * subtypes.length)],
            status,
            severity,
            owner,
            0,
            amount,
            '{}',
            `CUST-${Math.floor(rnd() * 200_000)}`,
            CHANNELS[Math.floor(rnd() * CHANNELS.length)],
            sql(reported),
            local.toFormat('yyyy-MM'),
            local.toFormat("kkkk-'W'WW"),
            local.toFormat('yyyy-MM-dd'),
            sql(ackBy),
            sql(resolveBy),
            sql(acked),
            sql(resolved),
            rnd() < 0.01 ? 1 : 0,
            repeats,
            'bench',
            '{}',
            resolved && rnd() < 0.6 ? 1 + Math.floor(rnd() * 5) : null,
            1,
            sql(resolved ?? acked ?? reported),
          ]);
          if (acked && acked > ackBy) breachRows.push(['INCIDENT', id, 'ACKNOWLEDGE', id, sql(ackBy), sql(ackBy), 0]);
          if (resolved && resolved > resolveBy) breachRows.push(['INCIDENT', id, 'RESOLVE', id, sql(resolveBy), sql(resolveBy), 1]);
        }
        await conn.beginTransaction();
        await conn.query(`INSERT INTO incidents (${COLUMNS}) VALUES ?`, [rows]);
        if (breachRows.length) await conn.query(`INSERT INTO breaches (${BREACH_COLUMNS}) VALUES ?`, [breachRows]);
        await conn.commit();
        breaches += breachRows.length;
        done += to - from;
        progress(done);
      }
    } finally {
      conn.release();
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  for (const ix of indexes) await pool.query(`ALTER TABLE incidents ADD ${ix.unique ? 'UNIQUE ' : ''}INDEX ${ix.name} (${ix.columns.join(', ')})`);
  return { incidents: o.incidents, breaches };
}

async function secondaryIndexes(pool: Pool, table: string): Promise<Array<{ name: string; unique: boolean; columns: string[] }>> {
  const [rows] = (await pool.query(`SHOW INDEX FROM ${table}`)) as unknown as [
    Array<{ Key_name: string; Seq_in_index: number; Column_name: string; Non_unique: number }>,
  ];
  const out = new Map<string, { name: string; unique: boolean; columns: string[] }>();
  for (const r of [...rows].sort((a, b) => a.Seq_in_index - b.Seq_in_index)) {
    if (r.Key_name === 'PRIMARY') continue;
    const ix = out.get(r.Key_name) ?? { name: r.Key_name, unique: Number(r.Non_unique) === 0, columns: [] };
    ix.columns.push(r.Column_name);
    out.set(r.Key_name, ix);
  }
  return [...out.values()];
}
