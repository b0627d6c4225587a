import type { Role } from '../auth/actor';
import { transitionProblems } from '../common/workflow-table';
import {
  assertMove,
  assertRefundWorkflow,
  DecisionRequest,
  freshSteps,
  outcomeOf,
  REFUND_TRANSITIONS,
  refusal,
  RefundState,
  StepRule,
  StepState,
} from './refund.state-machine';

const RULES: Record<string, StepRule> = {
  CS_REVIEW: { role: 'CS_LEAD', approval: true, canReturn: false },
  CASHIER_CHECK: { role: 'CASHIER', approval: true, canReturn: true },
  ACCOUNTANT_REVIEW: { role: 'ACCOUNTANT', approval: true, canReturn: true },
  FINANCE_DIRECTOR_APPROVAL: { role: 'FINANCE_DIRECTOR', approval: true, canReturn: true },
  PAYOUT: { role: 'CASHIER', approval: false, canReturn: true },
  CUSTOMER_NOTIFIED: { role: 'AGENT', approval: false, canReturn: false },
};
const CHAIN = ['CASHIER_CHECK', 'ACCOUNTANT_REVIEW', 'FINANCE_DIRECTOR_APPROVAL', 'PAYOUT', 'CUSTOMER_NOTIFIED'];

const who = (name: string, ...roles: Role[]) => ({ name, roles: new Set(roles) });
const approve = (step: string, comment: string | null = null): DecisionRequest => ({ step, decision: 'APPROVE', comment });
const codeOf = (e: { code: string } | null) => e?.code ?? null;

/** Applies an allowed decision to the steps and state, as the service does in the database. */
function apply(state: RefundState, steps: StepState[], actor: string, req: DecisionRequest): RefundState {
  const out = outcomeOf(
    state.status,
    steps.filter((s) => s.attempt === state.attempt),
    req,
  );
  assertMove(state.status, out.toStatus, 'decide on', true);
  for (const s of steps) {
    if (s.attempt !== state.attempt) continue;
    if (s.position === out.decided) Object.assign(s, { status: out.decidedStatus, actor });
    if (s.position === out.next) s.status = 'PENDING';
  }
  return { ...state, status: out.toStatus, currentStep: out.currentStep };
}

function start(chain = CHAIN): { state: RefundState; steps: StepState[] } {
  return { state: { status: 'IN_APPROVAL', currentStep: chain[0], attempt: 1, requestedBy: 'agent-1' }, steps: freshSteps(chain, (s) => RULES[s], 1) };
}

describe('the refund transition table', () => {
  it('is sound: every status reachable, finals final, every status can end', () => {
    expect(transitionProblems(REFUND_TRANSITIONS, 'IN_APPROVAL', ['COMPLETED', 'CANCELLED'])).toEqual([]);
    expect(() => assertRefundWorkflow()).not.toThrow();
  });

  it('finds what is wrong with a broken table', () => {
    const broken = { A: ['B'], B: [], C: ['A'], D: ['D'] } as Record<string, string[]>;
    const problems = transitionProblems(broken, 'A', ['B', 'D']);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('C cannot be reached'), expect.stringContaining('D is final')]));
    expect(transitionProblems({ A: ['X'] } as Record<string, string[]>, 'A', ['A'])).toEqual(
      expect.arrayContaining([expect.stringContaining('unknown state X')]),
    );
  });

  it('refuses cancelling once paid, and resubmitting what is not returned', () => {
    expect(() => assertMove('PAID', 'CANCELLED', 'cancel')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => assertMove('COMPLETED', 'COMPLETED', 'decide on', true)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => assertMove('RETURNED', 'IN_APPROVAL', 'resubmit')).not.toThrow();
    expect(() => assertMove('IN_APPROVAL', 'IN_APPROVAL', 'resubmit')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => assertMove('IN_APPROVAL', 'IN_APPROVAL', 'decide on', true)).not.toThrow();
  });
});

describe('refund steps', () => {
  it('start with the first step pending and the rest waiting', () => {
    expect(start().steps.map((s) => s.status)).toEqual(['PENDING', 'WAITING', 'WAITING', 'WAITING', 'WAITING']);
  });

  it('walk to COMPLETED through four people; the cashier may also pay out (not an approval)', () => {
    const started = start();
    let { state } = started;
    const { steps } = started;
    const walk: Array<[string, ReturnType<typeof who>]> = [
      ['CASHIER_CHECK', who('cashier-1', 'CASHIER')],
      ['ACCOUNTANT_REVIEW', who('accountant-1', 'ACCOUNTANT')],
      ['FINANCE_DIRECTOR_APPROVAL', who('director-1', 'FINANCE_DIRECTOR')],
      ['PAYOUT', who('cashier-1', 'CASHIER')],
      ['CUSTOMER_NOTIFIED', who('agent-1', 'AGENT')],
    ];
    const statuses: string[] = [];
    for (const [step, actor] of walk) {
      expect(refusal(state, steps, actor, approve(step))).toBeNull();
      state = apply(state, steps, actor.name, approve(step));
      statuses.push(state.status);
    }
    expect(statuses).toEqual(['IN_APPROVAL', 'IN_APPROVAL', 'IN_APPROVAL', 'PAID', 'COMPLETED']);
    expect(state.currentStep).toBeNull();
    expect(steps.every((s) => s.status === 'APPROVED')).toBe(true);
  });

  it('pays once: after PAYOUT the same decision is the wrong step', () => {
    const started = start(['PAYOUT', 'CUSTOMER_NOTIFIED']);
    let { state } = started;
    const { steps } = started;
    const cashier = who('cashier-1', 'CASHIER');
    state = apply(state, steps, cashier.name, approve('PAYOUT'));
    expect(state.status).toBe('PAID');
    expect(codeOf(refusal(state, steps, cashier, approve('PAYOUT')))).toBe('CONFLICT');
  });

  it('a chain ending with PAYOUT completes (and pays) on it', () => {
    const { state, steps } = start(['PAYOUT']);
    const out = outcomeOf(state.status, steps, approve('PAYOUT'));
    expect(out).toMatchObject({ toStatus: 'COMPLETED', paid: true, completed: true, next: null });
  });

  it('refuses the wrong step, the wrong role, an unknown step', () => {
    const { state, steps } = start();
    expect(codeOf(refusal(state, steps, who('accountant-1', 'ACCOUNTANT'), approve('ACCOUNTANT_REVIEW')))).toBe('CONFLICT');
    expect(codeOf(refusal(state, steps, who('analyst', 'ANALYST', 'ADMIN'), approve('CASHIER_CHECK')))).toBe('FORBIDDEN');
    const unknown = refusal(state, steps, who('cashier-1', 'CASHIER'), approve('PRESIDENT_APPROVAL'));
    expect(unknown).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'input.step' } });
  });

  it('the requester signs no approval step, but may notify the customer', () => {
    const started = start(['CS_REVIEW', 'CUSTOMER_NOTIFIED']);
    let { state } = started;
    const { steps } = started;
    const requester = who('agent-1', 'AGENT', 'CS_LEAD');
    expect(codeOf(refusal(state, steps, requester, approve('CS_REVIEW')))).toBe('FORBIDDEN');
    state = apply(state, steps, 'lead-1', approve('CS_REVIEW'));
    expect(refusal(state, steps, requester, approve('CUSTOMER_NOTIFIED'))).toBeNull();
  });

  it('one person signs at most one approval step, across attempts, but may sign the same step again', () => {
    const started = start();
    let { state } = started;
    const { steps } = started;
    const both = who('finance-1', 'CASHIER', 'ACCOUNTANT');
    state = apply(state, steps, both.name, approve('CASHIER_CHECK'));
    expect(codeOf(refusal(state, steps, both, approve('ACCOUNTANT_REVIEW')))).toBe('FORBIDDEN');
    // The accountant returns it; in attempt 2 finance-1 may sign CASHIER_CHECK again, still not ACCOUNTANT_REVIEW.
    state = apply(state, steps, 'accountant-1', { step: 'ACCOUNTANT_REVIEW', decision: 'RETURN', comment: '金额不符' });
    expect(state).toMatchObject({ status: 'RETURNED', currentStep: null });
    state = { ...state, status: 'IN_APPROVAL', attempt: 2, currentStep: CHAIN[0] };
    steps.push(...freshSteps(CHAIN, (s) => RULES[s], 2));
    expect(refusal(state, steps, both, approve('CASHIER_CHECK'))).toBeNull();
    state = apply(state, steps, both.name, approve('CASHIER_CHECK'));
    expect(codeOf(refusal(state, steps, both, approve('ACCOUNTANT_REVIEW')))).toBe('FORBIDDEN');
    expect(refusal(state, steps, who('accountant-1', 'ACCOUNTANT'), approve('ACCOUNTANT_REVIEW'))).toBeNull();
  });

  it('RETURN needs a step that may return and a reason', () => {
    const started = start(['CS_REVIEW', 'CASHIER_CHECK']);
    let { state } = started;
    const { steps } = started;
    const ret = (step: string, comment: string | null): DecisionRequest => ({ step, decision: 'RETURN', comment });
    expect(refusal(state, steps, who('lead-1', 'CS_LEAD'), ret('CS_REVIEW', '不行'))).toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: { field: 'input.decision' },
    });
    state = apply(state, steps, 'lead-1', approve('CS_REVIEW'));
    expect(refusal(state, steps, who('cashier-1', 'CASHIER'), ret('CASHIER_CHECK', null))).toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: { field: 'input.comment' },
    });
    expect(refusal(state, steps, who('cashier-1', 'CASHIER'), ret('CASHIER_CHECK', '   '))).toMatchObject({ extensions: { field: 'input.comment' } });
    expect(refusal(state, steps, who('cashier-1', 'CASHIER'), ret('CASHIER_CHECK', '银行信息缺失'))).toBeNull();
  });

  it('nothing can be decided on a returned or cancelled refund', () => {
    const { state, steps } = start();
    expect(codeOf(refusal({ ...state, status: 'CANCELLED', currentStep: null }, steps, who('c', 'CASHIER'), approve('CASHIER_CHECK')))).toBe('CONFLICT');
  });
});
