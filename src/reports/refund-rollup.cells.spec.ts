import type { RefundEntity } from '../refunds/refund.entity';
import type { RefundView } from '../refunds/refund.reader';
import type { RefundStepEntity } from '../refunds/refund-step.entity';
import { contributionOf, deltaValues, pendingOf, pendingValues, rollupDeltas } from './refund-rollup.cells';

const requestedAt = new Date('2026-10-09T02:00:00Z');
function view(e: Partial<RefundEntity> = {}, steps: Array<Partial<RefundStepEntity>> = []): RefundView {
  const entity = {
    businessMonth: '2026-10',
    drill: false,
    category: 'OVERCHARGE',
    bank: '招商银行',
    method: 'ORIGINAL_PAYMENT',
    status: 'IN_APPROVAL',
    ownerDepartment: 'FINANCE',
    amountFen: 12050n,
    requestedAt,
    paidAt: null,
    id: 5,
    attempt: 2,
    businessDay: '2026-10-09',
    ...e,
  } as RefundEntity;
  return { entity, steps: steps as RefundStepEntity[] };
}

describe('refund rollup cells', () => {
  it("counts one refund's amount, payout time and late steps", () => {
    const paid = view({ status: 'PAID', paidAt: new Date(requestedAt.getTime() + 5.5 * 3_600_000), bank: null }, [
      { decidedAt: new Date('2026-10-09T07:00:00Z'), dueAt: new Date('2026-10-09T04:00:00Z') },
      { decidedAt: new Date('2026-10-09T07:10:00Z'), dueAt: new Date('2026-10-09T10:00:00Z') },
      { decidedAt: null, dueAt: new Date('2026-10-09T04:00:00Z') },
    ]);
    expect(contributionOf(paid)).toEqual({
      cell: {
        businessMonth: '2026-10',
        drill: false,
        category: 'OVERCHARGE',
        bank: '',
        method: 'ORIGINAL_PAYMENT',
        status: 'PAID',
        ownerDepartment: 'FINANCE',
      },
      amounts: { refunds: 1, totalFen: 12050n, paid: 1, payMs: 19_800_000, lateSteps: 1 },
    });
  });

  it('adds a new refund to its cell', () => {
    expect(rollupDeltas(null, view()).map((d) => d.amounts)).toEqual([{ refunds: 1, totalFen: 12050n, paid: 0, payMs: 0, lateSteps: 0 }]);
  });

  it('moves the whole contribution when the status changes, in cell order', () => {
    const before = view({ status: 'IN_APPROVAL' });
    const after = view({ status: 'PAID', paidAt: new Date(requestedAt.getTime() + 3_600_000) });
    const deltas = rollupDeltas(before, after);
    expect(deltas.map((d) => [d.cell.status, d.amounts])).toEqual([
      ['IN_APPROVAL', { refunds: -1, totalFen: -12050n, paid: 0, payMs: 0, lateSteps: 0 }],
      ['PAID', { refunds: 1, totalFen: 12050n, paid: 1, payMs: 3_600_000, lateSteps: 0 }],
    ]);
    expect(rollupDeltas(after, before).map((d) => d.cell.status)).toEqual(['IN_APPROVAL', 'PAID']);
  });

  it('writes nothing when the cell and its sums stay the same, only the difference otherwise', () => {
    expect(rollupDeltas(view(), view())).toEqual([]);
    const late = view({}, [{ decidedAt: new Date('2026-10-10T00:00:00Z'), dueAt: new Date('2026-10-09T00:00:00Z') }]);
    expect(rollupDeltas(view(), late).map((d) => d.amounts)).toEqual([{ refunds: 0, totalFen: 0n, paid: 0, payMs: 0, lateSteps: 1 }]);
  });

  it('binds fen as an exact decimal string and drill as 0/1', () => {
    const [d] = rollupDeltas(null, view({ amountFen: 900719925474099312n, drill: true }));
    expect(deltaValues(d)).toEqual(['2026-10', 1, 'OVERCHARGE', '招商银行', 'ORIGINAL_PAYMENT', 'IN_APPROVAL', 'FINANCE', 1, '900719925474099312', 0, 0, 0]);
  });

  it('keeps the pending step of a refund in progress that has a due time, and nothing else', () => {
    const due = new Date('2026-10-09T04:00:00Z');
    const steps = [
      { attempt: 1, status: 'PENDING', step: 'CASHIER_CHECK', dueAt: due },
      { attempt: 2, status: 'PENDING', step: 'ACCOUNTANT_REVIEW', dueAt: due },
    ];
    const pending = pendingOf(view({ status: 'PAID' }, steps));
    expect(pending).toMatchObject({ refundId: 5, step: 'ACCOUNTANT_REVIEW', dueAt: due, businessDay: '2026-10-09' });
    expect(pendingValues(pending!)).toEqual([
      5,
      'ACCOUNTANT_REVIEW',
      '2026-10-09 04:00:00.000',
      '2026-10-09 02:00:00.000',
      '2026-10-09',
      '2026-10',
      0,
      'OVERCHARGE',
      '招商银行',
      'ORIGINAL_PAYMENT',
      'PAID',
      'FINANCE',
    ]);
    expect(pendingOf(view({ status: 'CANCELLED' }, steps))).toBeNull();
    expect(pendingOf(view({}, [{ attempt: 2, status: 'PENDING', step: 'CUSTOMER_NOTIFIED', dueAt: null }]))).toBeNull();
    expect(pendingOf(null)).toBeNull();
  });
});
