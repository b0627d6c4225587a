import { checkCatalog, checkRuleFiles } from './rule-pack.checks';
import { foldRemedies } from './decision-algebra';

const catalog = {
  categories: { LOGISTICS: { label: '物流类', subtypes: { LOST: '丢失' } } },
  departments: { CUSTOMER_SERVICE: '客服部' },
  defaultOwner: 'CUSTOMER_SERVICE',
  actions: { ARRANGE_REMEDY: { label: '安排', due: { workingDays: 1 }, settledBy: 'REMEDY_STARTED' } },
  refundSteps: { PAYOUT: { label: '付款', role: 'CASHIER', approval: false, canReturn: true } },
  refundMethods: { CASH: '现金' },
  defaultRefundChain: ['PAYOUT'],
  factValues: {},
  calendar: { timeZone: 'Asia/Shanghai', workingHours: { start: '09:00', end: '18:00' }, weekend: [6, 7], holidays: [], workdays: [] },
  deadlines: {
    GENERAL: { acknowledge: { workingHours: 4 }, resolve: { workingDays: 5 } },
    SERIOUS: { acknowledge: { hours: 1 }, resolve: { workingDays: 3 } },
    URGENT: { acknowledge: { minutes: 15 }, resolve: { hours: 24 } },
    CRITICAL: { acknowledge: { minutes: 5 }, resolve: { hours: 4 } },
  },
  roles: { CASHIER: '出纳', AGENT: '客服', LOGISTICS: '仓储物流部' },
  remedyKinds: {
    RESHIP: {
      label: '补发',
      steps: [
        { code: 'RESHIPPED', label: '补发', role: 'LOGISTICS', due: { workingDays: 1 }, trackingNo: true },
        { code: 'CUSTOMER_CONFIRMED', label: '确认', role: 'AGENT', due: { workingDays: 3 } },
      ],
    },
  },
};
const pointers = (data: unknown) => checkCatalog({ file: 'catalog.json', data }).map((p) => p.pointer);
const remediesRule = (kinds: unknown) => ({
  name: 'lost-reship', stage: 1,
  conditions: { all: [{ fact: 'category', operator: 'equal', value: 'LOGISTICS' }] },
  event: { type: 'remedies', params: { kinds } },
});

describe('remedy kinds in the catalog', () => {
  it('accepts a sound kind', () => {
    expect(pointers(catalog)).toEqual([]);
  });

  it('finds unknown roles, bad due times, repeated steps and empty kinds', () => {
    const broken = {
      ...catalog,
      remedyKinds: {
        RESHIP: {
          label: '补发',
          steps: [
            { code: 'RESHIPPED', label: 'a', role: 'WAREHOUSE', due: { workingDays: 1 } },
            { code: 'RESHIPPED', label: 'b', role: 'AGENT', due: { afterResolution: true } },
            { code: 'X', label: 'c', role: 'AGENT', due: { days: 1 } },
          ],
        },
        EMPTY: { label: '空', steps: [] },
      },
    };
    expect(pointers(broken)).toEqual([
      '/remedyKinds/RESHIP/steps/0/role', '/remedyKinds/RESHIP/steps/1/code', '/remedyKinds/RESHIP/steps/1/due', '/remedyKinds/RESHIP/steps/2/due', '/remedyKinds/EMPTY/steps',
    ]);
  });

  it('a remedies event names catalog kinds only, each once', () => {
    expect(checkRuleFiles(catalog, [{ file: 'policy/r.json', data: { rules: [remediesRule(['RESHIP'])] } }])).toEqual([]);
    const bad = checkRuleFiles(catalog, [{ file: 'policy/r.json', data: { rules: [remediesRule(['RESHIP', 'INSTALL', 'RESHIP'])] } }]);
    expect(bad.map((p) => p.pointer)).toEqual(['/rules/0/event/params/kinds/1', '/rules/0/event/params/kinds']);
  });
});

describe('foldRemedies', () => {
  const ev = (kinds: string[], rank?: number) => ({ type: 'remedies' as const, params: { kinds, rank } });
  it('takes the highest rank, the first on a tie, and none when no rule fired', () => {
    expect(foldRemedies([])).toEqual([]);
    expect(foldRemedies([ev(['REPAIR', 'RETURN']), ev(['RESHIP'])])).toEqual(['REPAIR', 'RETURN']);
    expect(foldRemedies([ev(['REPAIR']), ev(['RESHIP', 'COMPENSATE'], 5)])).toEqual(['RESHIP', 'COMPENSATE']);
  });
});
