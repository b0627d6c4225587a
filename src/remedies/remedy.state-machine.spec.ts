import { advanceOutcome, advanceRefusal, assertRemedyMove, assertRemedyWorkflow, freshRemedySteps, RemedyStepState } from './remedy.state-machine';

const kind = [
  { step: 'RESHIPPED', role: 'LOGISTICS', needsTracking: true },
  { step: 'CUSTOMER_CONFIRMED', role: 'AGENT', needsTracking: false },
];
const fresh = (): RemedyStepState[] => freshRemedySteps(kind);
const roles = (...r: string[]) => new Set(r);

describe('remedy state machine', () => {
  it('is a sound table', () => expect(() => assertRemedyWorkflow()).not.toThrow());

  it('fails the boot check when the table is malformed', () => {
    expect(() => assertRemedyWorkflow({ IN_PROGRESS: ['IN_PROGRESS', 'CANCELLED'], COMPLETED: [], CANCELLED: ['IN_PROGRESS'] })).toThrow(
      /remedy workflow table is invalid[\s\S]*CANCELLED is final[\s\S]*COMPLETED cannot be reached/,
    );
  });

  it('starts with the first step pending and the rest waiting', () => {
    expect(fresh().map((s) => [s.position, s.step, s.status])).toEqual([
      [1, 'RESHIPPED', 'PENDING'],
      [2, 'CUSTOMER_CONFIRMED', 'WAITING'],
    ]);
  });

  it('refuses a stale step, the wrong role, a missing tracking number and a finished remedy', () => {
    const steps = fresh();
    expect(advanceRefusal('IN_PROGRESS', 'RESHIPPED', steps, roles('LOGISTICS'), { step: 'CUSTOMER_CONFIRMED', trackingNo: 'SF1' })?.code).toBe('CONFLICT');
    expect(advanceRefusal('IN_PROGRESS', 'RESHIPPED', steps, roles('AGENT'), { step: 'RESHIPPED', trackingNo: 'SF1' })?.code).toBe('FORBIDDEN');
    const noTracking = advanceRefusal('IN_PROGRESS', 'RESHIPPED', steps, roles('LOGISTICS'), { step: 'RESHIPPED', trackingNo: null });
    expect([noTracking?.code, noTracking?.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.trackingNo']);
    expect(advanceRefusal('COMPLETED', null, steps, roles('LOGISTICS'), { step: 'RESHIPPED', trackingNo: 'SF1' })?.code).toBe('CONFLICT');
    expect(advanceRefusal('IN_PROGRESS', 'RESHIPPED', steps, roles('LOGISTICS'), { step: 'RESHIPPED', trackingNo: 'SF1' })).toBeNull();
  });

  it('moves to the next step, and completes on the last', () => {
    const steps = fresh();
    expect(advanceOutcome(steps)).toEqual({ done: 1, next: steps[1], toStatus: 'IN_PROGRESS' });
    const last = steps.map((s) => ({ ...s, status: s.position === 1 ? ('APPROVED' as const) : ('PENDING' as const) }));
    expect(advanceOutcome(last)).toEqual({ done: 2, next: null, toStatus: 'COMPLETED' });
  });

  it('cancels only a remedy in progress', () => {
    expect(() => assertRemedyMove('IN_PROGRESS', 'CANCELLED', 'cancel')).not.toThrow();
    expect(() => assertRemedyMove('COMPLETED', 'CANCELLED', 'cancel')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => assertRemedyMove('CANCELLED', 'CANCELLED', 'cancel')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });
});
