import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock';
import { rawParams } from '../database/raw-params';
import { rawNumber } from '../database/raw-values';

const BATCH = 1000;
const DAY_MS = 86_400_000;

/**
 * Outbox events older than this many days whose deliveries are all settled (DELIVERED or DEAD)
 * or that nobody subscribed to. Walks `ix_webhook_outbox_fan` (fanned_out, id) oldest first.
 * Params: fanned_out = true, the cutoff.
 */
const PRUNABLE_SQL = `SELECT o.id FROM webhook_outbox o
  WHERE o.fanned_out = ? AND o.occurred_at < ?
  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.outbox_id = o.id AND d.status IN ('PENDING', 'DELIVERING'))
  ORDER BY o.id LIMIT ${BATCH}`;

/**
 * Keeps the webhook tables from growing without end: every report writes an outbox row, and
 * each subscriber a delivery row. Events older than the retention, once every delivery of
 * them is settled, are deleted with their deliveries (ON DELETE CASCADE), in batches so no
 * statement holds locks for long. Pending and in-flight deliveries are never touched; DEAD
 * ones can be redelivered until they age out. Several instances may prune at once: a row
 * deleted twice is deleted once.
 */
export class WebhookRetention {
  private lastRun = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Days to keep (0: keep forever). */
    private readonly days: number,
    /** At most one pass per this many ms when called from the worker's poll. */
    private readonly everyMs = 3_600_000,
  ) {}

  /** Prunes when the last pass is older than `everyMs`; otherwise does nothing. */
  async maybePrune(): Promise<number> {
    const now = this.clock.now().getTime();
    if (this.days <= 0 || now - this.lastRun < this.everyMs) return 0;
    this.lastRun = now;
    return this.prune();
  }

  /** Deletes every prunable event (and its deliveries); returns how many events. */
  async prune(): Promise<number> {
    if (this.days <= 0) return 0;
    const cutoff = new Date(this.clock.now().getTime() - this.days * DAY_MS);
    let deleted = 0;
    for (;;) {
      const rows: Array<{ id: unknown }> = await this.ds.query(PRUNABLE_SQL, rawParams(this.ds, [true, cutoff]));
      if (!rows.length) break;
      const ids = rows.map((r) => rawNumber(r.id));
      await this.ds.query(`DELETE FROM webhook_outbox WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
      deleted += ids.length;
      if (rows.length < BATCH) break;
    }
    if (deleted) this.log.info({ events: deleted, olderThan: cutoff.toISOString() }, 'webhooks: pruned settled events past their retention');
    return deleted;
  }
}
