import type { IncidentView } from '../incidents/incident.reader';
import type { RefundView } from '../refunds/refund.reader';
import type { Catalog } from '../rules/types';
import { handoverTasks } from './shift-handover.tasks';

const at = (hh: string) => new Date(`2026-10-20T${hh}:00:00Z`);
const catalog = {
  actions: { APOLOGIZE: { label: '道歉', due: { hours: 1 } } },
  refundSteps: { ACCOUNTANT_REVIEW: { label: '会计复核', role: 'ACCOUNTANT', approval: true, canReturn: true } },
} as unknown as Catalog;

function incident(id: number, status: string, actions: Array<{ code: string; dueAt: Date | null; done: boolean }>): IncidentView {
  return {
    entity: { id, status, ownerDepartment: 'CUSTOMER_SERVICE', acknowledgeBy: at('02'), resolveBy: at('20') } as IncidentView['entity'],
    actions: actions as IncidentView['actions'],
  };
}
function refund(
  id: number,
  status: string,
  steps: Array<{ step: string; status: string; role?: string; dueAt?: Date | null }>,
  returnReason: string | null = null,
): RefundView {
  return {
    entity: { id, incidentId: 7, refundNo: `RF${id}`, status, attempt: 2, returnReason } as RefundView['entity'],
    steps: steps.map((s) => ({ attempt: 2, role: null, dueAt: null, ...s })) as RefundView['steps'],
  };
}

describe('shift handover tasks', () => {
  it('lists acknowledgements, actions with a due time, refund steps, returned refunds and resolutions, by due time', () => {
    const tasks = handoverTasks(
      [
        incident(7, 'OPEN', [
          { code: 'APOLOGIZE', dueAt: at('03'), done: false },
          { code: 'REFUND', dueAt: at('01'), done: true },
          { code: 'SATISFACTION_SURVEY', dueAt: null, done: false },
        ]),
        incident(8, 'ACKNOWLEDGED', []),
      ],
      [
        refund(1, 'IN_APPROVAL', [
          { step: 'CASHIER_CHECK', status: 'APPROVED' },
          { step: 'ACCOUNTANT_REVIEW', status: 'PENDING', role: 'ACCOUNTANT', dueAt: at('05') },
        ]),
        refund(2, 'RETURNED', [{ step: 'CASHIER_CHECK', status: 'RETURNED' }], '缺少支付凭证'),
        refund(3, 'COMPLETED', []),
      ],
      catalog,
      at('04'),
    );
    expect(tasks.map((t) => [t.kind, t.incidentId, t.code, t.dueAt?.toISOString().slice(11, 13) ?? null, t.overdue])).toEqual([
      ['ACKNOWLEDGE', 7, 'ACKNOWLEDGE', '02', true],
      ['ACTION', 7, 'APOLOGIZE', '03', true],
      ['REFUND_STEP', 7, 'ACCOUNTANT_REVIEW', '05', false],
      ['RESOLVE', 7, 'RESOLVE', '20', false],
      ['RESOLVE', 8, 'RESOLVE', '20', false],
      ['RESUBMIT_OR_CANCEL', 7, 'CASHIER_CHECK', null, false],
    ]);
    expect(tasks[1]).toMatchObject({ label: '道歉', role: 'CUSTOMER_SERVICE' });
    expect(tasks[2]).toMatchObject({ refundId: 1, refundNo: 'RF1', role: 'ACCOUNTANT', label: '会计复核' });
    expect(tasks[5]).toMatchObject({ refundId: 2, note: '缺少支付凭证' });
  });
});
