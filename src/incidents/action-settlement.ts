import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { lockIncidentRow } from '../database/locks';
import type { RefundView } from '../refunds/refund.reader';
import type { SettlingWork } from '../rules/types';
import type { ActionLifecycle } from './action-lifecycle';
import { IncidentEntity } from './incident.entity';

/**
 * Settles an incident's actions by the refund work that fulfils them, in the refund's own
 * transaction (the catalog's `settledBy`): a request settles REFUND_REQUESTED actions
 * (REFUND_REQUEST), a payout REFUND_PAID ones (REFUND), each DONE with the refund number as
 * evidence — so a paid refund never breaches as undone. The incident's version moves with it.
 * The remedy workflow settles REMEDY_STARTED actions the same way, through `settle`.
 */
export class ActionSettlement {
  constructor(private readonly actions: ActionLifecycle) {}

  /** Of a refundWritten event, in its transaction. */
  async refundWritten(em: EntityManager, before: RefundView | null, after: RefundView): Promise<void> {
    if (before?.entity.paidAt) return; // paid before this write: settled then
    const r = after.entity;
    if (!before) {
      await this.settle(em, r.incidentId, 'REFUND_REQUESTED', { refundNo: r.refundNo }, r.requestedBy, r.requestedAt);
    } else if (r.paidAt) {
      const payout = after.steps.find((s) => s.step === 'PAYOUT' && s.attempt === r.attempt && s.decidedAt);
      await this.settle(em, r.incidentId, 'REFUND_PAID', { refundNo: r.refundNo }, payout?.actor ?? r.requestedBy, r.paidAt);
    }
  }

  /** Settles what `work` settles on the incident, in the caller's transaction; the codes settled. */
  async settle(em: EntityManager, incidentId: number, work: SettlingWork, evidence: Record<string, string>, actorName: string, at: Date): Promise<string[]> {
    await lockIncidentRow(em, incidentId);
    const incident = await em.findOneBy(IncidentEntity, { id: incidentId });
    if (!incident) return [];
    const settled = await this.actions.settleBy(em, incident, work, evidence, actorName, at);
    if (settled.length) {
      await em
        .createQueryBuilder()
        .update(IncidentEntity)
        .set({ version: incident.version + 1, updatedAt: at } as QueryDeepPartialEntity<IncidentEntity>)
        .where('id = :id', { id: incidentId })
        .execute();
    }
    return settled;
  }
}
