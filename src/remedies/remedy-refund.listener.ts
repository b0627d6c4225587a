import type { EntityManager } from 'typeorm';
import type { RefundView } from '../refunds/refund.reader';
import type { RemedyService } from './remedy.service';

/**
 * A refund request of an incident does the REFUND_REQUESTED step of its remedies waiting there
 * (退货, 赔偿), in the refund's own transaction — as ActionSettlement settles REFUND_REQUEST:
 * a handler of refundWritten.
 */
export class RemedyRefundListener {
  constructor(private readonly remedies: RemedyService) {}

  async refundWritten(em: EntityManager, before: RefundView | null, after: RefundView): Promise<void> {
    if (before) return; // only a new request
    const r = after.entity;
    await this.remedies.refundRequested(em, r.incidentId, r.refundNo, r.requestedBy, r.requestedAt);
  }
}
