import { rawInt } from '../database/raw-values';
import type { Clock } from '../common/clock';
import type { ReadDb } from '../database/read-db';
import { rawParams } from '../database/raw-params';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { AggregateFilter, checkWindow } from './refund-aggregate.groups';
import { whereRefunds } from './refund-facts.query';
import { LIVE_REFUND_STATUSES } from '../refunds/refund.state-machine';
import { dialectOf, exactSum, millisBetween } from '../database/dialect';

/** One approval step over the refunds of a window. */
export interface RefundStageStats {
  step: string;
  label: string | null;
  /** Times the step was decided (approved or returned), every attempt. */
  decided: number;
  /** From becoming pending to its decision, over the decided ones; null when none was. */
  averageHours: number | null;
  maxHours: number | null;
  /** Decided after their due time. */
  late: number;
  /** Pending now, and of those past their due time now. */
  pending: number;
  pendingOverdue: number;
}

const hours = (ms: number) => Math.round(ms / 36_000) / 100;

/**
 * How long each approval step of the refunds requested in a window took, and how often it
 * missed its time limit: decided steps from their own start (pendingSince) to their decision,
 * every attempt; steps pending now counted apart. Steps in the catalog's order; a step no
 * refund of the window reached is left out. Read on a replica when there are some.
 */
export class RefundStageService {
  constructor(
    private readonly reads: ReadDb,
    private readonly rules: RuleSetService,
    private readonly clock: Clock,
  ) {}

  async stages(filter: AggregateFilter = {}): Promise<RefundStageStats[]> {
    checkWindow(filter);
    const catalog = this.rules.current().engine.pack.catalog;
    const now = this.clock.now();
    const rows = await this.reads.read(async (em) => {
      const d = dialectOf(em);
      const ms = millisBetween(d, 's.pending_since', 's.decided_at');
      const q = em
        .createQueryBuilder()
        .from('refund_steps', 's')
        .innerJoin('refunds', 'r', 'r.id = s.refund_id')
        .select('s.step', 'step')
        .addSelect('COUNT(s.decided_at)', 'decided')
        .addSelect(exactSum(d, `CASE WHEN s.decided_at IS NOT NULL THEN ${ms} END`), 'decided_ms')
        .addSelect(`MAX(CASE WHEN s.decided_at IS NOT NULL THEN ${ms} END)`, 'max_ms')
        .addSelect('SUM(CASE WHEN s.decided_at > s.due_at THEN 1 ELSE 0 END)', 'late')
        .addSelect(`SUM(CASE WHEN s.status = 'PENDING' AND r.status IN (:...active) THEN 1 ELSE 0 END)`, 'pending')
        .addSelect(`SUM(CASE WHEN s.status = 'PENDING' AND r.status IN (:...active) AND s.due_at < :now THEN 1 ELSE 0 END)`, 'pending_overdue')
        .where('s.pending_since IS NOT NULL')
        .setParameters({ active: [...LIVE_REFUND_STATUSES], now: rawParams(em.connection, [now])[0] })
        .groupBy('s.step');
      return whereRefunds(q, 'r', filter).getRawMany();
    });
    const order = Object.keys(catalog.refundSteps);
    return rows
      .map((r): RefundStageStats => {
        const decided = rawInt(r.decided);
        return {
          step: String(r.step),
          label: catalog.refundSteps[String(r.step)]?.label ?? null,
          decided,
          averageHours: decided ? hours(rawInt(r.decided_ms) / decided) : null,
          maxHours: decided ? hours(rawInt(r.max_ms)) : null,
          late: rawInt(r.late),
          pending: rawInt(r.pending),
          pendingOverdue: rawInt(r.pending_overdue),
        };
      })
      .sort((a, b) => rank(order, a.step) - rank(order, b.step) || (a.step < b.step ? -1 : 1));
  }
}

/** A step's place in the catalog; steps the catalog no longer has go last. */
function rank(order: readonly string[], step: string): number {
  const i = order.indexOf(step);
  return i < 0 ? order.length : i;
}
