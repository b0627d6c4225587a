/**
 * Synthetic refunds for the reports benchmark, written straight to MariaDB with multi-row
 * INSERTs over a few connections: N refunds spread evenly over `months` business months
 * ending with `lastMonth`, each with the five steps of the standard chain. Shaped like the
 * service's own rows: business-zone month and day, steps with due and decision times, about
 * 6% of decisions late, old refunds finished, the last two weeks still in progress, a small
 * stuck backlog. Deterministic (seeded PRNG).
 */
import type { Pool } from 'mysql2/promise';
import { prng } from '../src/common/prng';

const H = 3_600_000;
/** Asia/Shanghai has kept UTC+8 without daylight saving since 1991: plain arithmetic is exact here. */
const SHANGHAI_MS = 8 * H;
const CHAIN = ['CASHIER_CHECK', 'ACCOUNTANT_REVIEW', 'FINANCE_DIRECTOR_APPROVAL', 'PAYOUT', 'CUSTOMER_NOTIFIED'];
const ROLES = ['CASHIER', 'ACCOUNTANT', 'FINANCE_DIRECTOR', 'CASHIER', 'AGENT'];
const BANKS = ['招商银行', '工商银行', '建设银行', '农业银行', '中国银行', '交通银行', '支付宝', '微信支付'];
const METHODS = ['ORIGINAL_PAYMENT', 'ORIGINAL_PAYMENT', 'ORIGINAL_PAYMENT', 'BANK_TRANSFER', 'CASH', 'WECHAT', 'ALIPAY'];
const CATEGORIES: Array<[string, string]> = [
  ['OVERCHARGE', 'FINANCE'],
  ['PAYMENT_FAULT', 'CUSTOMER_SERVICE'],
  ['PRODUCT_QUALITY', 'AFTER_SALES'],
  ['LOGISTICS', 'LOGISTICS'],
  ['ORDER_ERROR', 'CUSTOMER_SERVICE'],
  ['SERVICE', 'CUSTOMER_SERVICE'],
];
const REFUND_COLUMNS =
  'id, refund_no, incident_id, source, amount_fen, method, status, current_step, chain, attempt, bank, phone, requested_by, requested_at, business_month, business_day, paid_at, completed_at, cancelled_at, drill, category, owner_department, rule_set_version, version, updated_at';
const STEP_COLUMNS = 'refund_id, attempt, position, step, role, approval, can_return, status, actor, pending_since, due_at, decided_at';

export interface SeedOptions {
  refunds: number;
  months: number;
  lastMonth: string;
  /** "Now" for the data: refunds in the two weeks before it are still in progress. */
  now: Date;
  batch: number;
}

const sql = (d: Date | null) => (d ? d.toISOString().slice(0, 23).replace('T', ' ') : null);

/**
 * Seeds incidents (one per 100 refunds), refunds and steps; returns the row counts. The
 * secondary indexes no foreign key needs are dropped first and built again at the end, as
 * SHOW INDEX described them: a sorted build is much faster than millions of random inserts.
 */
export async function seedRefunds(pool: Pool, o: SeedOptions, progress: (done: number) => void): Promise<{ refunds: number; steps: number }> {
  const dropped = [...(await dropIndexes(pool, 'refunds')), ...(await dropIndexes(pool, 'refund_steps'))];
  const counts = await insertRows(pool, o, progress);
  for (const ix of dropped) {
    await pool.query(`ALTER TABLE ${ix.table} ADD ${ix.unique ? 'UNIQUE ' : ''}INDEX ${ix.name} (${ix.columns.join(', ')})`);
  }
  return counts;
}

interface Index {
  table: string;
  name: string;
  unique: boolean;
  columns: string[];
}

async function dropIndexes(pool: Pool, table: string): Promise<Index[]> {
  const [rows] = (await pool.query(`SHOW INDEX FROM ${table}`)) as unknown as [
    Array<{ Key_name: string; Seq_in_index: number; Column_name: string; Non_unique: number }>,
  ];
  const [fks] = (await pool.query(
    'SELECT COLUMN_NAME AS c FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL',
    [table],
  )) as unknown as [Array<{ c: string }>];
  const indexes = new Map<string, Index>();
  for (const r of [...rows].sort((a, b) => a.Seq_in_index - b.Seq_in_index)) {
    const ix = indexes.get(r.Key_name) ?? { table, name: r.Key_name, unique: Number(r.Non_unique) === 0, columns: [] };
    ix.columns.push(r.Column_name);
    indexes.set(r.Key_name, ix);
  }
  const droppable = [...indexes.values()].filter((ix) => ix.name !== 'PRIMARY' && !fks.some((f) => f.c === ix.columns[0]));
  if (droppable.length) await pool.query(`ALTER TABLE ${table} ${droppable.map((ix) => `DROP INDEX ${ix.name}`).join(', ')}`);
  return droppable;
}

async function insertRows(pool: Pool, o: SeedOptions, progress: (done: number) => void): Promise<{ refunds: number; steps: number }> {
  const [y, m] = o.lastMonth.split('-').map(Number);
  const start = Date.UTC(y, m - o.months, 1) - SHANGHAI_MS;
  const span = Math.min(Date.UTC(y, m, 1) - SHANGHAI_MS, o.now.getTime() - H) - start;
  const incidents = Math.max(1, Math.ceil(o.refunds / 100));
  await inBatches(pool, incidents, o.batch, (from, to) => {
    const rows = [];
    for (let id = from; id < to; id++) {
      rows.push([
        id,
        'bench',
        `B-${id}`,
        'h',
        'OVERCHARGE',
        'RESOLVED',
        'SERIOUS',
        'FINANCE',
        0,
        100_000_000,
        '{}',
        '2025-01-01 00:00:00',
        0,
        'bench',
        '{}',
        1,
        '2025-01-01 00:00:00',
      ]);
    }
    return [
      'INSERT INTO incidents (id, source, external_ref, input_hash, category, status, severity, owner_department, police_report_required, amount_fen, report, reported_at, drill, rule_set_version, decision, version, updated_at) VALUES ?',
      rows,
    ];
  });
  let steps = 0;
  await inBatches(
    pool,
    o.refunds,
    o.batch,
    (from, to) => {
      const rnd = prng(from);
      const refunds: unknown[][] = [];
      const stepRows: unknown[][] = [];
      for (let id = from; id < to; id++) {
        const requested = new Date(start + Math.floor(((id - 1 + rnd()) / o.refunds) * span));
        const local = new Date(requested.getTime() + SHANGHAI_MS).toISOString();
        const recent = o.now.getTime() - requested.getTime() < 14 * 24 * H;
        const roll = rnd();
        // How far the refund got: 5 = completed, 4 = paid, 0..3 = waiting at that step; -1 cancelled.
        const reached = recent ? [5, 5, 4, 3, 2, 1, 0, -1][Math.floor(roll * 8)] : roll < 0.955 ? 5 : roll < 0.995 ? -1 : roll < 0.998 ? 1 : 4;
        const [category, owner] = CATEGORIES[Math.floor(rnd() * CATEGORIES.length)];
        let t = requested.getTime();
        let paidAt: Date | null = null;
        let completedAt: Date | null = null;
        CHAIN.forEach((step, pos) => {
          const state = reached === -1 ? (pos === 0 ? 'PENDING' : 'WAITING') : pos < reached ? 'APPROVED' : pos === reached ? 'PENDING' : 'WAITING';
          const pending = state === 'WAITING' ? null : new Date(t);
          const due = pending ? new Date(t + (pos === 4 ? 24 : 2) * H) : null;
          let decided: Date | null = null;
          if (state === 'APPROVED') {
            t += rnd() < 0.06 ? (2 + rnd() * 20) * H : rnd() * 1.5 * H; // about 6% late
            decided = new Date(t);
            if (step === 'PAYOUT') paidAt = decided;
            if (pos === 4) completedAt = decided;
          }
          stepRows.push([
            id,
            1,
            pos,
            step,
            ROLES[pos],
            pos < 3 ? 1 : 0,
            pos < 4 ? 1 : 0,
            state,
            decided ? `bench.${ROLES[pos].toLowerCase()}` : null,
            sql(pending),
            sql(due),
            sql(decided),
          ]);
        });
        const status = reached === -1 ? 'CANCELLED' : reached === 5 ? 'COMPLETED' : reached === 4 ? 'PAID' : 'IN_APPROVAL';
        refunds.push([
          id,
          `RF${local.slice(0, 10).replace(/-/g, '')}${String(id).padStart(7, '0')}`,
          1 + (id % incidents),
          'bench',
          100 + Math.floor(rnd() * 500_000),
          METHODS[Math.floor(rnd() * METHODS.length)],
          status,
          status === 'COMPLETED' || status === 'CANCELLED' ? null : CHAIN[Math.min(reached, 4)],
          JSON.stringify(CHAIN),
          1,
          BANKS[Math.floor(rnd() * BANKS.length)],
          `138${String(id).padStart(8, '0')}`,
          'bench.agent',
          sql(requested),
          local.slice(0, 7),
          local.slice(0, 10),
          sql(paidAt),
          sql(completedAt),
          status === 'CANCELLED' ? sql(new Date(requested.getTime() + H)) : null,
          rnd() < 0.01 ? 1 : 0,
          category,
          owner,
          'bench',
          1,
          sql(requested),
        ]);
      }
      steps += stepRows.length;
      return [`INSERT INTO refunds (${REFUND_COLUMNS}) VALUES ?`, refunds, `INSERT INTO refund_steps (${STEP_COLUMNS}) VALUES ?`, stepRows];
    },
    progress,
  );
  return { refunds: o.refunds, steps };
}

/**
 * Runs `make(from, to)` for ids 1..count in batches, four batches at a time, each batch one
 * transaction of one or two multi-row INSERTs.
 */
async function inBatches(
  pool: Pool,
  count: number,
  batch: number,
  make: (from: number, to: number) => unknown[],
  progress?: (done: number) => void,
): Promise<void> {
  let next = 1;
  let done = 0;
  const worker = async () => {
    const conn = await pool.getConnection();
    try {
      await conn.query('SET foreign_key_checks = 0, unique_checks = 0');
      while (next <= count) {
        const from = next;
        const to = Math.min(count + 1, from + batch);
        next = to;
        const statements = make(from, to);
        await conn.beginTransaction();
        for (let i = 0; i < statements.length; i += 2) await conn.query(statements[i] as string, [statements[i + 1]]);
        await conn.commit();
        done += to - from;
        progress?.(done);
      }
    } finally {
      conn.release();
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}
