import type { EntityManager } from 'typeorm';
import type { RefundReader, RefundView } from '../refunds/refund.reader';
import type { RemedyService } from './remedy.service';

/**
 * A refund request of an incident does the REFUND_REQUESTED step of its remedies waiting there
 * (退货, 赔偿), in the refund's own transaction — as ActionSettlement settles REFUND_REQUEST:
 * a handler of refundWritten.
 */
export class RemedyRefundListener {
  constructor(
    private readonly remedies: RemedyService,
    private readonly refundReader: RefundReader,
  ) {}

  async refundWritten(em: EntityManager, before: RefundView | null, refundId: number): Promise<void> {
    if (before) return; // only a new request
    const r = (await this.refundReader.byId(refundId, em))?.entity;
    if (r) await this.remedies.refundRequested(em, r.incidentId, r.refundNo, r.requestedBy, r.requestedAt);
  }
}
