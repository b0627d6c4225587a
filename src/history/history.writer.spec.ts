import { IncidentEventEntity } from '../incidents/incident-event.entity';
import { RefundTransitionEntity } from '../refunds/refund-transition.entity';
import { RemedyTransitionEntity } from '../remedies/remedy-transition.entity';
import { historyRow } from './history.writer';

const at = new Date('2026-03-01T08:00:00Z');

describe('the history writer', () => {
  it('stores an incident entry in incident_events, absent fields as null', () => {
    expect(historyRow({ entity: 'INCIDENT', subjectId: 4, at, actor: 'erp', kind: 'STATUS_CHANGED', fromStatus: 'OPEN', toStatus: 'RESOLVED' })).toEqual({
      target: IncidentEventEntity,
      row: { incidentId: 4, at, actor: 'erp', kind: 'STATUS_CHANGED', fromStatus: 'OPEN', toStatus: 'RESOLVED', note: null, detail: null },
    });
  });

  it('stores a refund entry in refund_transitions: the note as its comment, decision and attempt from the detail', () => {
    expect(
      historyRow({
        entity: 'REFUND',
        subjectId: 9,
        at,
        actor: 'cashier',
        kind: 'RETURNED',
        fromStatus: 'IN_APPROVAL',
        toStatus: 'RETURNED',
        step: 'CASHIER_CHECK',
        note: '退回',
        detail: { decision: 'RETURN', attempt: 2 },
      }),
    ).toEqual({
      target: RefundTransitionEntity,
      row: {
        refundId: 9,
        at,
        actor: 'cashier',
        kind: 'RETURNED',
        fromStatus: 'IN_APPROVAL',
        toStatus: 'RETURNED',
        step: 'CASHIER_CHECK',
        decision: 'RETURN',
        attempt: 2,
        comment: '退回',
      },
    });
  });

  it('stores a remedy entry in remedy_transitions', () => {
    expect(historyRow({ entity: 'REMEDY', subjectId: 3, at, actor: 'agent', kind: 'STARTED', toStatus: 'IN_PROGRESS', step: 'RESHIPPED' })).toEqual({
      target: RemedyTransitionEntity,
      row: { remedyId: 3, at, actor: 'agent', kind: 'STARTED', fromStatus: null, toStatus: 'IN_PROGRESS', step: 'RESHIPPED', note: null },
    });
  });
});
