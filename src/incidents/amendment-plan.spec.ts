import { planActions, StoredAction } from './amendment-plan';
import { checkDoneAt, DONE_AT_TOLERANCE_MS, lateOf } from './action-lifecycle';

const t = (hhmm: string) => new Date(`2026-11-23T${hhmm}:00+08:00`);
const row = (id: number, code: string, status: StoredAction['status'], dueAt: Date | null, retainUntil: Date | null = null): StoredAction => ({
  id,
  code,
  status,
  dueAt,
  retainUntil,
});

describe('planActions: actions when the facts change', () => {
  it('keeps open ones (the earlier due wins), adds new ones, withdraws open ones no longer required, leaves done and waived alone', () => {
    const plan = planActions(
      [
        row(1, 'PRESERVE_CCTV', 'OPEN', t('11:00')),
        row(2, 'APOLOGIZE', 'OPEN', t('11:00')),
        row(3, 'POLICE_REPORT', 'DONE', t('10:05')),
        row(4, 'CARE_VISIT', 'WAIVED', t('18:00')),
        row(5, 'WRITTEN_REPORT', 'DONE', t('18:00')),
        row(6, 'MEDICAL_AID', 'OPEN', t('10:05')),
      ],
      [
        { code: 'PRESERVE_CCTV', dueAt: t('11:30') },
        { code: 'APOLOGIZE', dueAt: t('10:30') },
        { code: 'POLICE_REPORT', dueAt: t('10:35') },
        { code: 'CARE_VISIT', dueAt: t('18:00') },
        { code: 'PROTECT_SCENE_AND_PHOTOGRAPH', dueAt: t('10:35') },
      ],
    );
    expect(plan.keep).toEqual([
      { id: 1, code: 'PRESERVE_CCTV', dueAt: t('11:00'), retainUntil: null, moved: false },
      { id: 2, code: 'APOLOGIZE', dueAt: t('10:30'), retainUntil: null, moved: true },
    ]);
    expect(plan.add).toEqual([{ code: 'PROTECT_SCENE_AND_PHOTOGRAPH', dueAt: t('10:35') }]);
    expect(plan.withdraw).toEqual([{ id: 6, code: 'MEDICAL_AID' }]);
    expect(plan.reopen).toEqual([]);
  });

  it('opens again an action an earlier amendment withdrew, due as now decided; an action due only after resolution stays so', () => {
    const plan = planActions(
      [row(1, 'INFORM_CUSTOMERS_OF_DELAY', 'WITHDRAWN', t('10:10')), row(2, 'SATISFACTION_SURVEY', 'OPEN', null)],
      [
        { code: 'INFORM_CUSTOMERS_OF_DELAY', dueAt: t('12:10') },
        { code: 'SATISFACTION_SURVEY', dueAt: null, dueAfterResolution: { workingDays: 2 } },
      ],
    );
    expect(plan.reopen).toEqual([{ id: 1, code: 'INFORM_CUSTOMERS_OF_DELAY', dueAt: t('12:10'), retainUntil: null }]);
    expect(plan.keep).toEqual([{ id: 2, code: 'SATISFACTION_SURVEY', dueAt: null, retainUntil: null, moved: false }]);
    expect(plan.withdraw).toEqual([]);
  });

  it('is a no-op on the same decision', () => {
    const plan = planActions([row(1, 'APOLOGIZE', 'OPEN', t('11:00'))], [{ code: 'APOLOGIZE', dueAt: t('11:00') }]);
    expect(plan).toEqual({ keep: [{ id: 1, code: 'APOLOGIZE', dueAt: t('11:00'), retainUntil: null, moved: false }], add: [], reopen: [], withdraw: [] });
  });
});

describe('late and doneAt', () => {
  it('late: settled after its due time, or open past it; null while not yet due or without a due time', () => {
    expect(lateOf(t('10:05'), t('10:04'))).toBe(false);
    expect(lateOf(t('10:05'), t('10:05'))).toBe(false);
    expect(lateOf(t('10:05'), t('10:06'))).toBe(true);
    expect(lateOf(t('10:05'), null, t('10:06'))).toBe(true);
    expect(lateOf(t('10:05'), null, t('10:04'))).toBeNull();
    expect(lateOf(null, t('10:04'))).toBeNull();
  });

  it('doneAt: never in the future, never more than the tolerance before the incident occurred (else was reported)', () => {
    const incident = { occurredAt: t('09:40'), reportedAt: t('10:00') };
    expect(checkDoneAt(null, incident, t('10:10'))).toEqual(t('10:10'));
    expect(checkDoneAt(t('09:36'), incident, t('10:10'))).toEqual(t('09:36'));
    expect(() => checkDoneAt(t('10:11'), incident, t('10:10'))).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', extensions: expect.objectContaining({ field: 'doneAt' }) }),
    );
    expect(() => checkDoneAt(new Date(t('09:40').getTime() - DONE_AT_TOLERANCE_MS - 1), incident, t('10:10'))).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
    expect(() => checkDoneAt(t('09:54'), { occurredAt: null, reportedAt: t('10:00') }, t('10:10'))).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
  });
});
