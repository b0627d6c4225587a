import type { RefundView } from '../refunds/refund.reader';
import { LIVE_REFUND_STATUSES } from '../refunds/refund.state-machine';
import { utcText } from '../database/dialect';

/**
 * The monthly rollup of refunds, as pure data. Invariant: every row of `refund_rollups` is the
 * sum of `contributionOf` over the refunds in its cell, now. A write moves a refund's whole
 * contribution: its old one is subtracted and its new one added, in the same transaction.
 */
export interface RollupCell {
  businessMonth: string;
  drill: boolean;
  category: string;
  /** '' when the refund names no bank: NULLs never match in a unique index. */
  bank: string;
  method: string;
  status: string;
  ownerDepartment: string;
}

export interface RollupAmounts {
  refunds: number;
  totalFen: bigint;
  paid: number;
  /** Σ (paidAt − requestedAt) in milliseconds over the paid refunds. */
  payMs: number;
  /** Steps decided after their due time, every attempt. */
  lateSteps: number;
}

export interface RollupDelta {
  cell: RollupCell;
  amounts: RollupAmounts;
}

/** The cell columns of `refund_rollups`, in the order of its unique index. */
export const CELL_COLUMNS = ['business_month', 'drill', 'category', 'bank', 'method', 'status', 'owner_department'] as const;
/** The summed columns, in the order `amountValues` gives them. */
export const AMOUNT_COLUMNS = ['refund_count', 'total_fen', 'paid_count', 'pay_ms', 'late_steps'] as const;

/** What one refund adds to its cell. */
export function contributionOf(view: RefundView): RollupDelta {
  const e = view.entity;
  return {
    cell: {
      businessMonth: e.businessMonth,
      drill: e.drill,
      category: e.category,
      bank: e.bank ?? '',
      method: e.method,
      status: e.status,
      ownerDepartment: e.ownerDepartment,
    },
    amounts: {
      refunds: 1,
      totalFen: e.amountFen,
      paid: e.paidAt ? 1 : 0,
      payMs: e.paidAt ? e.paidAt.getTime() - e.requestedAt.getTime() : 0,
      lateSteps: view.steps.filter((s) => s.decidedAt && s.dueAt && s.decidedAt > s.dueAt).length,
    },
  };
}

export const cellId = (c: RollupCell) => [c.businessMonth, c.drill ? '1' : '0', c.category, c.bank, c.method, c.status, c.ownerDepartment].join('\u0001');

/**
 * What a write changes in the rollup: the refund's contribution before it (subtracted) and
 * after it (added), merged per cell, without cells that do not change, in cell order — so
 * two transactions always lock rollup rows in the same order and cannot deadlock on them.
 */
export function rollupDeltas(before: RefundView | null, after: RefundView | null): RollupDelta[] {
  const byCell = new Map<string, RollupDelta>();
  const add = (d: RollupDelta, sign: 1 | -1) => {
    const id = cellId(d.cell);
    const cur = byCell.get(id)?.amounts ?? { refunds: 0, totalFen: 0n, paid: 0, payMs: 0, lateSteps: 0 };
    byCell.set(id, {
      cell: d.cell,
      amounts: {
        refunds: cur.refunds + sign * d.amounts.refunds,
        totalFen: cur.totalFen + BigInt(sign) * d.amounts.totalFen,
        paid: cur.paid + sign * d.amounts.paid,
        payMs: cur.payMs + sign * d.amounts.payMs,
        lateSteps: cur.lateSteps + sign * d.amounts.lateSteps,
      },
    });
  };
  if (before) add(contributionOf(before), -1);
  if (after) add(contributionOf(after), 1);
  return [...byCell.entries()]
    .filter(([, d]) => d.amounts.refunds !== 0 || d.amounts.totalFen !== 0n || d.amounts.paid !== 0 || d.amounts.payMs !== 0 || d.amounts.lateSteps !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => d);
}

/** Parameters of one upsert: the cell, then the amounts (fen as a decimal string: exact). */
export function deltaValues(d: RollupDelta): Array<string | number> {
  const c = d.cell;
  const a = d.amounts;
  return [
    c.businessMonth,
    c.drill ? 1 : 0,
    c.category,
    c.bank,
    c.method,
    c.status,
    c.ownerDepartment,
    a.refunds,
    a.totalFen.toString(),
    a.paid,
    a.payMs,
    a.lateSteps,
  ];
}

/**
 * A refund waiting at a step with a due time (`refund_pending_steps`, one row per refund):
 * what "steps pending past their due time now" counts, kept small — only refunds in
 * progress — so that count never has to visit the refunds themselves.
 */
export interface PendingStep {
  refundId: number;
  step: string;
  dueAt: Date;
  requestedAt: Date;
  businessDay: string;
  cell: RollupCell;
}

/** The columns of `refund_pending_steps`, in the order `pendingValues` gives them. */
export const PENDING_COLUMNS = [
  'refund_id',
  'step',
  'due_at',
  'requested_at',
  'business_day',
  'business_month',
  'drill',
  'category',
  'bank',
  'method',
  'status',
  'owner_department',
] as const;

/** The pending step of a refund in progress (IN_APPROVAL or PAID) that has a due time, else null. */
export function pendingOf(view: RefundView | null): PendingStep | null {
  const e = view?.entity;
  if (!view || !e || !(LIVE_REFUND_STATUSES as readonly string[]).includes(e.status)) return null;
  const step = view.steps.find((s) => s.attempt === e.attempt && s.status === 'PENDING');
  if (!step?.dueAt) return null;
  return { refundId: e.id, step: step.step, dueAt: step.dueAt, requestedAt: e.requestedAt, businessDay: e.businessDay, cell: contributionOf(view).cell };
}

/** Parameters of one pending-step upsert; times as UTC text, as both databases store them. */
export function pendingValues(p: PendingStep): Array<string | number> {
  const c = p.cell;
  return [
    p.refundId,
    p.step,
    utcText(p.dueAt),
    utcText(p.requestedAt),
    p.businessDay,
    c.businessMonth,
    c.drill ? 1 : 0,
    c.category,
    c.bank,
    c.method,
    c.status,
    c.ownerDepartment,
  ];
}
