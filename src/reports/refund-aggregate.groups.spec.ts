import { BusinessCalendar } from '../calendar/business-calendar';
import { checkGroupBy, checkWindow, compareKeys, finishGroups, groupId, GroupSums, rollupMonths } from './refund-aggregate.groups';

const calendar = new BusinessCalendar({
  timeZone: 'Asia/Shanghai',
  workingHours: { start: '09:00', end: '18:00' },
  weekend: [6, 7],
  holidays: [],
  workdays: [],
});
const sums = (keys: string[], s: Partial<GroupSums> = {}): GroupSums => ({ keys, count: 1, totalFen: 100n, paidCount: 0, payMs: 0, lateSteps: 0, ...s });

describe('refund aggregate groups', () => {
  it('refuses a grouping named twice or unknown, and a reversed window', () => {
    expect(() => checkGroupBy(['MONTH', 'BANK', 'MONTH'])).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', extensions: expect.objectContaining({ field: 'groupBy' }) }),
    );
    expect(() => checkGroupBy(['WEEK' as never])).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => checkGroupBy([])).not.toThrow();
    const at = new Date('2026-10-01T00:00:00Z');
    expect(() => checkWindow({ from: at, to: at })).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ field: 'filter.to' }) }));
    expect(() => checkWindow({ from: at })).not.toThrow();
  });

  it('uses the rollup for whole business months only: Shanghai midnight on the 1st, never UTC', () => {
    const oct = new Date('2026-09-30T16:00:00Z');
    const nov = new Date('2026-10-31T16:00:00Z');
    expect(rollupMonths(['MONTH', 'BANK'], { from: oct, to: nov }, calendar)).toEqual({ fromMonth: '2026-10', toMonth: '2026-11' });
    expect(rollupMonths(['CATEGORY'], {}, calendar)).toEqual({ fromMonth: null, toMonth: null });
    expect(rollupMonths(['MONTH'], { to: nov }, calendar)).toEqual({ fromMonth: null, toMonth: '2026-11' });
    expect(rollupMonths(['MONTH'], { from: new Date('2026-10-01T00:00:00Z') }, calendar)).toBeNull();
    expect(rollupMonths(['MONTH'], { from: oct, to: new Date(nov.getTime() + 1) }, calendar)).toBeNull();
    expect(rollupMonths(['MONTH', 'DAY'], {}, calendar)).toBeNull();
  });

  it('computes exact averages, hours to pay, overdue steps, and orders rows by their keys', () => {
    const rows = finishGroups(
      [
        sums(['2026-11', '招商银行'], { count: 2, totalFen: 112083n, paidCount: 2, payMs: 3 * 3_600_000 + 1_000, lateSteps: 1 }),
        sums(['2026-10', '']),
        sums(['2026-10', '工商银行'], { count: 3, totalFen: 100n }),
        sums(['2026-09', 'X'], { count: 0, totalFen: 0n }),
      ],
      new Map([[groupId(['2026-11', '招商银行']), 2]]),
    );
    expect(rows.map((r) => r.keys)).toEqual([
      ['2026-10', ''],
      ['2026-10', '工商银行'],
      ['2026-11', '招商银行'],
    ]);
    expect(rows[2]).toEqual({
      keys: ['2026-11', '招商银行'],
      count: 2,
      totalFen: 112083n,
      averageFen: 56042n,
      paidCount: 2,
      averageHoursToPay: 1.5,
      lateSteps: 1,
      pendingOverdueSteps: 2,
      overdueSteps: 3,
    });
    // 100 fen over 3 refunds is 33.33… fen: 33 fen; no refund paid: no average time.
    expect(rows[1]).toMatchObject({ averageFen: 33n, averageHoursToPay: null, overdueSteps: 0 });
  });

  it('answers no grouping over nothing with one total row of zeros; groups over nothing with none', () => {
    expect(finishGroups([], new Map(), false)).toEqual([
      { keys: [], count: 0, totalFen: 0n, averageFen: 0n, paidCount: 0, averageHoursToPay: null, lateSteps: 0, pendingOverdueSteps: 0, overdueSteps: 0 },
    ]);
    expect(finishGroups([sums([], { count: 0, totalFen: 0n })], new Map(), false)).toHaveLength(1);
    expect(finishGroups([], new Map())).toEqual([]);
  });

  it('compares keys in code-point order, shorter first', () => {
    expect(['b', 'a', '', 'ab'].map((k) => [k]).sort(compareKeys)).toEqual([[''], ['a'], ['ab'], ['b']]);
    expect(compareKeys(['a'], ['a', 'b'])).toBeLessThan(0);
  });
});
