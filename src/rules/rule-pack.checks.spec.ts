import { checkCatalog, checkPack, checkRuleFiles, durationProblem, PackFile } from './rule-pack.checks';

const catalog = {
  categories: {
    PROPERTY_LOSS: { label: '财产损失类', subtypes: { LOST: '遗失', STOLEN: '被盗' } },
    SYSTEM_FAILURE: { label: '系统故障类', subtypes: { COMPUTER: '电脑', POWER_OUTAGE: '停电' } },
    OVERCHARGE: { label: '多收顾客钱款', subtypes: {} },
  },
  departments: { CUSTOMER_SERVICE: '客服部', FINANCE: '财务部', SECURITY: '保安部' },
  defaultOwner: 'CUSTOMER_SERVICE',
  actions: { POLICE_REPORT: { label: '报警', due: { immediate: true } }, REFUND: { label: '退款', due: { workingDays: 3 } } },
  refundSteps: {
    CASHIER_CHECK: { label: '出纳初核', role: 'CASHIER', approval: true, canReturn: true },
    PAYOUT: { label: '付款', role: 'CASHIER', approval: false, canReturn: true },
  },
  refundMethods: { CASH: '现金' },
  defaultRefundChain: ['CASHIER_CHECK', 'PAYOUT'],
  factValues: { propertyOwner: ['COMPANY', 'CUSTOMER'] },
  calendar: { timeZone: 'Asia/Shanghai', workingHours: { start: '09:00', end: '18:00' }, weekend: [6, 7], holidays: ['2026-10-01'], workdays: ['2026-10-10'] },
  deadlines: {
    GENERAL: { acknowledge: { workingHours: 4 }, resolve: { workingDays: 5 } },
    SERIOUS: { acknowledge: { hours: 1 }, resolve: { workingDays: 3 } },
    URGENT: { acknowledge: { minutes: 15 }, resolve: { hours: 24 } },
    CRITICAL: { acknowledge: { minutes: 5 }, resolve: { hours: 4 } },
  },
  roles: { CASHIER: '出纳', AGENT: '客服' },
};

const leaf = (fact: string, operator: string, value: unknown) => ({ fact, operator, value });
const rule = (over: Record<string, unknown> = {}) => ({
  name: 'property-loss-over-5000-police',
  stage: 1,
  conditions: { all: [leaf('category', 'equal', 'PROPERTY_LOSS'), leaf('amount', 'greaterThan', 5000)] },
  event: { type: 'action', params: { code: 'POLICE_REPORT' } },
  ...over,
});
const file = (...rules: unknown[]): PackFile => ({ file: 'policy/test.json', data: { rules } });
const check = (...rules: unknown[]) => checkRuleFiles(catalog, [file(...rules)]);
const one = (...rules: unknown[]) => {
  const problems = check(...rules);
  expect(problems).toHaveLength(1);
  return problems[0];
};

describe('checkRuleFiles', () => {
  it('accepts a sound rule', () => {
    expect(check(rule())).toEqual([]);
  });

  it('rejects an unknown fact, naming the allowed ones', () => {
    const p = one(rule({ conditions: { all: [leaf('amout', 'greaterThan', 5000)] } }));
    expect(p).toEqual({ file: 'policy/test.json', pointer: '/rules/0/conditions/all/0/fact', message: expect.stringContaining('unknown fact "amout"') });
  });

  it('rejects a decided fact in stage 1 and accepts it from stage 2', () => {
    const reads = { conditions: { all: [leaf('severity', 'in', ['URGENT', 'CRITICAL'])] } };
    expect(one(rule({ ...reads })).pointer).toBe('/rules/0/conditions/all/0/fact');
    expect(check(rule({ ...reads, stage: 2 }))).toEqual([]);
    expect(one(rule({ stage: 2, conditions: { all: [leaf('severity', 'equal', 'HIGH')] } })).pointer).toBe('/rules/0/conditions/all/0/value');
  });

  it('checks facts compared with { fact }', () => {
    const p = one(rule({ conditions: { all: [leaf('amount', 'greaterThan', { fact: 'limit' })] } }));
    expect(p.pointer).toBe('/rules/0/conditions/all/0/value/fact');
  });

  it('rejects an unknown operator', () => {
    expect(one(rule({ conditions: { any: [leaf('amount', 'over', 5000)] } })))
      .toEqual({ file: 'policy/test.json', pointer: '/rules/0/conditions/any/0/operator', message: expect.stringContaining('unknown operator "over"') });
  });

  it('rejects values of the wrong type and operators that cannot apply', () => {
    expect(one(rule({ conditions: { all: [leaf('injured', 'equal', 'true')] } })).pointer).toBe('/rules/0/conditions/all/0/value');
    expect(one(rule({ conditions: { all: [leaf('amount', 'greaterThan', '5000')] } })).pointer).toBe('/rules/0/conditions/all/0/value');
    expect(one(rule({ conditions: { all: [leaf('category', 'greaterThan', 3)] } })).pointer).toBe('/rules/0/conditions/all/0/operator');
    expect(one(rule({ conditions: { all: [leaf('channel', 'contains', 'web')] } })).pointer).toBe('/rules/0/conditions/all/0/operator');
    expect(one(rule({ conditions: { all: [leaf('category', 'in', 'OVERCHARGE')] } })).pointer).toBe('/rules/0/conditions/all/0/value');
  });

  it('rejects an unknown category or subtype, and a subtype outside the constrained category', () => {
    expect(one(rule({ conditions: { all: [leaf('category', 'in', ['OVERCHARGE', 'OVERCHARG'])] } })))
      .toEqual(expect.objectContaining({ pointer: '/rules/0/conditions/all/0/value/1', message: expect.stringContaining('unknown category "OVERCHARG"') }));
    expect(one(rule({ conditions: { all: [leaf('subtype', 'equal', 'BROKEN')] } })).message).toContain('unknown subtype "BROKEN"');
    expect(one(rule({ conditions: { all: [leaf('category', 'equal', 'PROPERTY_LOSS'), leaf('subtype', 'in', ['LOST', 'COMPUTER'])] } })))
      .toEqual(expect.objectContaining({ pointer: '/rules/0/conditions/all/1/value/1', message: 'subtype "COMPUTER" does not belong to PROPERTY_LOSS' }));
    // Scoped by the innermost `all` that names categories; a subtype alone may be of any category.
    const scoped = {
      any: [
        { all: [leaf('category', 'equal', 'PROPERTY_LOSS'), leaf('subtype', 'equal', 'STOLEN')] },
        { all: [leaf('category', 'equal', 'SYSTEM_FAILURE'), { not: leaf('subtype', 'equal', 'POWER_OUTAGE') }] },
      ],
    };
    expect(check(rule({ conditions: scoped }))).toEqual([]);
    expect(check(rule({ conditions: { all: [leaf('subtype', 'equal', 'COMPUTER')] } }))).toEqual([]);
  });

  it('rejects an unknown propertyOwner value', () => {
    expect(one(rule({ conditions: { all: [leaf('propertyOwner', 'equal', 'GOVERNMENT')] } })))
      .toEqual(expect.objectContaining({ pointer: '/rules/0/conditions/all/0/value', message: expect.stringContaining('COMPANY, CUSTOMER') }));
  });

  it('rejects condition references and malformed nodes', () => {
    expect(one(rule({ conditions: { all: [{ condition: 'shared' }] } })).pointer).toBe('/rules/0/conditions/all/0/condition');
    expect(one(rule({ conditions: { all: [{ fakt: 'amount' }] } })).pointer).toBe('/rules/0/conditions/all/0');
    expect(one(rule({ conditions: { when: [] } })).pointer).toBe('/rules/0/conditions');
  });

  it('rejects unknown event types and unknown codes in events', () => {
    expect(one(rule({ event: { type: 'page', params: {} } })).pointer).toBe('/rules/0/event/type');
    expect(one(rule({ event: { type: 'action', params: { code: 'CALL_110' } } })).pointer).toBe('/rules/0/event/params/code');
    expect(one(rule({ event: { type: 'owner', params: { department: 'POLICE' } } })).pointer).toBe('/rules/0/event/params/department');
    expect(one(rule({ event: { type: 'notify', params: { departments: ['FINANCE', 'HR'] } } })).pointer).toBe('/rules/0/event/params/departments/1');
    expect(one(rule({ event: { type: 'refundChain', params: { steps: ['CASHIER_CHECK', 'AUDIT'] } } })).pointer).toBe('/rules/0/event/params/steps/1');
    expect(one(rule({ event: { type: 'insertRefundStep', params: { step: 'PRESIDENT_APPROVAL', after: 'CASHIER_CHECK' } } })).pointer)
      .toBe('/rules/0/event/params/step');
    expect(one(rule({ event: { type: 'severity', params: { level: 'HIGH' } } })).pointer).toBe('/rules/0/event/params/level');
    expect(one(rule({ event: { type: 'escalate', params: { levels: 0 } } })).pointer).toBe('/rules/0/event/params/levels');
  });

  it('rejects an invalid Duration in an event', () => {
    expect(one(rule({ event: { type: 'action', params: { code: 'REFUND', due: { days: 1 } } } })).pointer).toBe('/rules/0/event/params/due');
  });

  it('rejects duplicate names across files and a stage below 1', () => {
    const problems = checkRuleFiles(catalog, [file(rule()), { file: 'policy/other.json', data: { rules: [rule({ stage: 0 })] } }]);
    expect(problems).toEqual([
      { file: 'policy/other.json', pointer: '/rules/0/name', message: expect.stringContaining('duplicate rule name "property-loss-over-5000-police" (first at policy/test.json:/rules/0)') },
      { file: 'policy/other.json', pointer: '/rules/0/stage', message: expect.stringContaining('below 1') },
    ]);
  });

  it('rejects unknown facts in reason templates', () => {
    expect(one(rule({ reason: { zh: '损失{{amount}}元', en: 'loss of {{amout}}' } })))
      .toEqual(expect.objectContaining({ pointer: '/rules/0/reason/en', message: expect.stringContaining('{{amout}}') }));
  });

  it('reports every problem of a file, not just the first', () => {
    expect(check(
      rule({ name: 'a', conditions: { all: [leaf('amout', 'over', 1)] } }),
      rule({ name: 'b', event: { type: 'action', params: { code: 'NOPE' } } }),
    )).toHaveLength(3);
  });

  it('survives malformed files', () => {
    expect(checkRuleFiles(catalog, [{ file: 'policy/x.json', data: [] }])).toEqual([{ file: 'policy/x.json', pointer: '/rules', message: expect.any(String) }]);
    expect(checkRuleFiles(null, [file(null, 'x', rule())])).toEqual(expect.arrayContaining([
      expect.objectContaining({ pointer: '/rules/0' }), expect.objectContaining({ pointer: '/rules/2/conditions/all/0/value' }),
    ]));
  });
});

describe('checkCatalog', () => {
  const at = (data: unknown) => checkCatalog({ file: 'catalog.json', data });

  it('accepts a sound catalog', () => {
    expect(at(catalog)).toEqual([]);
    expect(checkPack({ file: 'catalog.json', data: catalog }, [file(rule())])).toEqual([]);
  });

  it('rejects unknown codes: default owner, default chain step, step role, fact values', () => {
    const broken = {
      ...catalog,
      defaultOwner: 'HELPDESK',
      defaultRefundChain: ['CASHIER_CHECK', 'AUDIT'],
      refundSteps: { ...catalog.refundSteps, PAYOUT: { ...catalog.refundSteps.PAYOUT, role: 'BANKER' } },
      factValues: { ...catalog.factValues, amount: ['BIG'] },
    };
    expect(at(broken).map((p) => p.pointer)).toEqual(['/defaultOwner', '/defaultRefundChain/1', '/refundSteps/PAYOUT/role', '/factValues/amount']);
  });

  it('checks the action lifecycle options: immediately, dueFrom, settledBy, holidaysKnownUntil', () => {
    const broken = {
      ...catalog,
      immediately: { immediate: true },
      actions: {
        ...catalog.actions,
        SURVEY: { label: 's', due: { afterResolution: true }, dueFrom: 'RESOLVED', settledBy: 'SATISFACTION_RECORDED' },
        REMEDY: { label: 'r', due: { hours: 1 }, dueFrom: 'ACKNOWLEDGED', settledBy: 'REMEDY_FINISHED' },
      },
      calendar: { ...catalog.calendar, holidaysKnownUntil: '2026-02-30' },
    };
    expect(at(broken).map((p) => p.pointer)).toEqual(['/immediately', '/actions/SURVEY/due', '/actions/REMEDY/dueFrom', '/actions/REMEDY/settledBy', '/calendar/holidaysKnownUntil']);
    const sound = { ...catalog, immediately: { minutes: 3 }, actions: { ...catalog.actions, SURVEY: { label: 's', due: { workingDays: 2 }, dueFrom: 'RESOLVED', settledBy: 'SATISFACTION_RECORDED' } } };
    expect(at(sound)).toEqual([]);
  });

  it('rejects a phase start (dueFrom) that is no refund step, or that has no due time to count', () => {
    const broken = {
      ...catalog,
      refundSteps: {
        ...catalog.refundSteps,
        PAYOUT: { ...catalog.refundSteps.PAYOUT, due: { hours: 12 }, dueFrom: 'AUDIT' },
        CASHIER_CHECK: { label: '出纳初核', role: catalog.refundSteps.CASHIER_CHECK.role, approval: true, canReturn: true, dueFrom: 'CASHIER_CHECK' },
      },
    };
    expect(at(broken).map((p) => p.pointer).sort()).toEqual(['/refundSteps/CASHIER_CHECK/dueFrom', '/refundSteps/PAYOUT/dueFrom']);
    const sound = { ...catalog, refundSteps: { ...catalog.refundSteps, PAYOUT: { ...catalog.refundSteps.PAYOUT, due: { hours: 12 }, dueFrom: 'CASHIER_CHECK' } } };
    expect(at(sound)).toEqual([]);
  });

  it('rejects invalid Durations', () => {
    const broken = {
      ...catalog,
      actions: { ...catalog.actions, REFUND: { label: '退款', due: { workingDays: -3 } } },
      deadlines: { ...catalog.deadlines, URGENT: { acknowledge: { immediate: false }, resolve: {} } },
    };
    expect(at(broken).map((p) => p.pointer)).toEqual(['/actions/REFUND/due', '/deadlines/URGENT/acknowledge', '/deadlines/URGENT/resolve']);
  });

  it('rejects a bad calendar', () => {
    const broken = {
      ...catalog,
      calendar: { timeZone: 'Mars/Olympus', workingHours: { start: '18:00', end: '09:00' }, weekend: [6, 7], holidays: ['2026-02-30', '2026-10-10'], workdays: ['2026-10-12', '2026-10-10'] },
    };
    expect(at(broken).map((p) => p.pointer)).toEqual([
      '/calendar/timeZone', '/calendar/workingHours', '/calendar/holidays/0', '/calendar/workdays/0', '/calendar/workdays/1',
    ]);
  });
});

describe('durationProblem', () => {
  it('wants exactly one known key with a valid value', () => {
    expect(durationProblem({ immediate: true })).toBeNull();
    expect(durationProblem({ workingDays: 0.5 })).toBeNull();
    expect(durationProblem({ afterResolution: true })).toBeNull();
    expect(durationProblem({})).toMatch(/exactly one/);
    expect(durationProblem({ hours: 1, minutes: 5 })).toMatch(/exactly one/);
    expect(durationProblem({ hours: 0 })).toMatch(/above 0/);
    expect(durationProblem({ hours: '1' })).toMatch(/above 0/);
    expect(durationProblem({ weeks: 1 })).toMatch(/unknown duration unit/);
    expect(durationProblem(5)).toMatch(/object/);
  });
});
