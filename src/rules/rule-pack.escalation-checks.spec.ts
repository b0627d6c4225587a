import { checkCatalog } from './rule-pack.checks';

/** A catalog with just what the escalation and evidence checks read. */
const catalog = (over: Record<string, unknown>) => ({
  departments: { DEPARTMENT_MANAGER: '部门经理', SUPERVISING_LEADER: '分管领导', GENERAL_MANAGER: '总经理' },
  actions: {
    POLICE_REPORT: { label: '报警', due: { immediate: true }, evidence: [{ key: 'receiptNo', label: '报警回执编号' }] },
    PRESERVE_CCTV: { label: '保留监控', due: { hours: 1 }, retainDays: 30, evidence: [{ key: 'keptUntil', label: '保留至', type: 'date', coversRetention: true }] },
  },
  escalation: { ladder: [{ department: 'DEPARTMENT_MANAGER', after: { immediate: true } }, { department: 'GENERAL_MANAGER', after: { hours: 24 } }] },
  ...over,
});
const pointers = (data: unknown) => checkCatalog({ file: 'catalog.json', data }).map((p) => p.pointer);

describe('catalog checks: escalation ladder and evidence', () => {
  it('accepts a sound ladder and evidence', () => {
    expect(pointers(catalog({}))).toEqual([]);
  });

  it('rejects unknown or repeated departments and durations that are no clock', () => {
    expect(pointers(catalog({
      escalation: {
        ladder: [
          { department: 'CEO', after: { immediate: true } },
          { department: 'GENERAL_MANAGER', after: { hours: 1, minutes: 5 } },
          { department: 'GENERAL_MANAGER', after: { afterResolution: true } },
        ],
      },
    }))).toEqual(['/escalation/ladder/0/department', '/escalation/ladder/1/after', '/escalation/ladder/2/department', '/escalation/ladder/2/after']);
  });

  it('rejects a repeated evidence key and coversRetention where it cannot apply', () => {
    expect(pointers(catalog({
      actions: {
        POLICE_REPORT: { label: '报警', due: { immediate: true }, evidence: [{ key: 'receiptNo', label: 'a' }, { key: 'receiptNo', label: 'b' }] },
        PRESERVE_CCTV: { label: '保留监控', due: { hours: 1 }, evidence: [{ key: 'keptUntil', label: '保留至', type: 'date', coversRetention: true }] },
        APOLOGIZE: { label: '道歉', due: { hours: 1 }, retainDays: 1, evidence: [{ key: 'by', label: '谁', coversRetention: true }] },
      },
    }))).toEqual(['/actions/POLICE_REPORT/evidence/1/key', '/actions/PRESERVE_CCTV/evidence/0/coversRetention', '/actions/APOLOGIZE/evidence/0/coversRetention']);
  });
});

describe('catalog checks: shift handover', () => {
  it('takes a clock for the acknowledgement, not resolution or a bad duration', () => {
    const within = (acknowledgeWithin: unknown) => pointers(catalog({ shiftHandover: { acknowledgeWithin } }));
    expect(within({ minutes: 30 })).toEqual([]);
    expect(within({ afterResolution: true })).toEqual(['/shiftHandover/acknowledgeWithin']);
    expect(within({ minutes: 0 })).toEqual(['/shiftHandover/acknowledgeWithin']);
  });
});
