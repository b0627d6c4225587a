import { BusinessCalendar } from '../calendar/business-calendar';
import type { Catalog, EscalationRung } from '../rules/types';
import { DEFAULT_LADDER, DEFAULT_WARN_AT, ladderOf, nextEscalationAt, rungAbove, warnAtOf } from './escalation-ladder';

const calendar = new BusinessCalendar({
  timeZone: 'Asia/Shanghai',
  workingHours: { start: '09:00', end: '18:00' },
  weekend: [6, 7],
  holidays: [],
  workdays: [],
});
const local = (s: string) => new Date(`${s}+08:00`);
const catalog = (escalation?: Catalog['escalation']) => ({ escalation }) as Catalog;

describe('the escalation ladder', () => {
  it('defaults to 部门经理, then 分管领导, then 总经理, warning at 80 %', () => {
    expect(ladderOf(catalog()).map((r) => r.department)).toEqual(['DEPARTMENT_MANAGER', 'SUPERVISING_LEADER', 'GENERAL_MANAGER']);
    expect(ladderOf(catalog({ ladder: [] }))).toBe(DEFAULT_LADDER);
    expect(warnAtOf(catalog())).toBe(DEFAULT_WARN_AT);
    expect(warnAtOf(catalog({ warnAt: 0.5 }))).toBe(0.5);
  });

  it('climbs one rung at a time, each once, and stops at the top', () => {
    const ladder = ladderOf(catalog());
    expect(rungAbove(ladder, 0)).toEqual({ level: 1, department: 'DEPARTMENT_MANAGER' });
    expect(rungAbove(ladder, 1)).toEqual({ level: 2, department: 'SUPERVISING_LEADER' });
    expect(rungAbove(ladder, 2)).toEqual({ level: 3, department: 'GENERAL_MANAGER' });
    expect(rungAbove(ladder, 3)).toBeNull();
  });

  it('times the first rung from the breach and each next one from the rung before', () => {
    const ladder = ladderOf(catalog());
    const breach = local('2026-11-23T10:00');
    expect(nextEscalationAt(ladder, 0, breach, calendar)).toEqual(breach); // immediate
    expect(nextEscalationAt(ladder, 1, breach, calendar)).toEqual(local('2026-11-23T14:00'));
    expect(nextEscalationAt(ladder, 2, local('2026-11-23T14:05'), calendar)).toEqual(local('2026-11-24T14:05'));
    expect(nextEscalationAt(ladder, 3, breach, calendar)).toBeNull();
  });

  it('follows a ladder the rule pack sets, on the business calendar', () => {
    const ladder: EscalationRung[] = [
      { department: 'DEPARTMENT_MANAGER', after: { minutes: 30 } },
      { department: 'GENERAL_MANAGER', after: { workingHours: 2 } },
    ];
    expect(nextEscalationAt(ladder, 0, local('2026-11-20T17:45'), calendar)).toEqual(local('2026-11-20T18:15'));
    // Two working hours from Friday 18:15 is Monday 11:00.
    expect(nextEscalationAt(ladder, 1, local('2026-11-20T18:15'), calendar)).toEqual(local('2026-11-23T11:00'));
    expect(rungAbove(ladder, 2)).toBeNull();
  });
});
