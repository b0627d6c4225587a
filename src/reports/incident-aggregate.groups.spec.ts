import { BusinessCalendar } from '../calendar/business-calendar';
import { businessPeriods } from '../incidents/business-periods';
import { finishIncidentGroups, incidentRollupMonths } from './incident-aggregate.groups';
import { contributionOf, incidentDeltas, IncidentFigures } from './incident-rollup.cells';

const calendar = new BusinessCalendar({
  timeZone: 'Asia/Shanghai',
  workingHours: { start: '09:00', end: '18:00' },
  weekend: [6, 7],
  holidays: [],
  workdays: [],
});

const incident = (over: Partial<IncidentFigures> = {}): IncidentFigures => ({
  businessMonth: '2026-10',
  drill: false,
  category: 'SERVICE',
  subtype: null,
  severity: 'GENERAL',
  ownerDepartment: 'CUSTOMER_SERVICE',
  source: 'erp',
  channel: null,
  status: 'OPEN',
  reportedAt: new Date('2026-10-10T02:00:00Z'),
  acknowledgeBy: new Date('2026-10-10T06:00:00Z'),
  acknowledgedAt: null,
  resolveBy: new Date('2026-10-16T02:00:00Z'),
  resolvedAt: null,
  satisfactionScore: null,
  repeatIncidents30d: 0,
  amountFen: 1234n,
  ...over,
});

describe('complaint statistics, pure parts', () => {
  it('business periods are Shanghai ones; ISO weeks keep their week-year', () => {
    expect(businessPeriods(calendar, new Date('2026-10-31T15:59:00Z'))).toEqual({
      businessMonth: '2026-10',
      businessWeek: '2026-W44',
      businessDay: '2026-10-31',
    });
    expect(businessPeriods(calendar, new Date('2026-10-31T16:00:00Z'))).toEqual({
      businessMonth: '2026-11',
      businessWeek: '2026-W44',
      businessDay: '2026-11-01',
    });
    expect(businessPeriods(calendar, new Date('2027-01-01T04:00:00Z')).businessWeek).toBe('2026-W53');
  });

  it('a status change moves the whole contribution, breaches included, from one cell to another', () => {
    const before = incident();
    const after = incident({ status: 'ACKNOWLEDGED', acknowledgedAt: new Date('2026-10-10T07:00:00Z') });
    const deltas = incidentDeltas(contributionOf(before, 2), contributionOf(after, 2));
    expect(
      deltas.map((d) => [d.cell.status, d.amounts.incidents, d.amounts.breaches, d.amounts.acknowledged, d.amounts.acknowledgedOnTime, d.amounts.totalFen]),
    ).toEqual([
      ['ACKNOWLEDGED', 1, 2, 1, 0, 1234n],
      ['OPEN', -1, -2, 0, 0, -1234n],
    ]);
    // A change that moves nothing writes nothing.
    expect(incidentDeltas(contributionOf(before, 0), contributionOf(incident(), 0))).toEqual([]);
  });

  it('counts on time at the deadline itself, a repeat customer from 3 earlier incidents', () => {
    const e = incident({
      resolvedAt: new Date('2026-10-16T02:00:00Z'),
      acknowledgedAt: new Date('2026-10-10T02:00:00Z'),
      acknowledgeBy: null,
      repeatIncidents30d: 3,
      satisfactionScore: 4,
    });
    expect(contributionOf(e, 0).amounts).toMatchObject({
      resolved: 1,
      resolvedOnTime: 1,
      acknowledgedOnTime: 1,
      repeatCustomer: 1,
      surveyed: 1,
      satisfactionSum: 4,
      resolveMs: 6 * 86_400_000,
    });
    expect(contributionOf(incident({ repeatIncidents30d: 2 }), 0).amounts.repeatCustomer).toBe(0);
  });

  it('uses the rollup for whole business months only, and never for weeks, days or one customer', () => {
    const year = { from: new Date('2025-12-31T16:00:00Z'), to: new Date('2026-12-31T16:00:00Z') };
    expect(incidentRollupMonths(['MONTH', 'CATEGORY'], year, calendar)).toEqual({ fromMonth: '2026-01', toMonth: '2027-01' });
    expect(incidentRollupMonths(['WEEK'], year, calendar)).toBeNull();
    expect(incidentRollupMonths(['MONTH'], { ...year, customerId: 'C1' }, calendar)).toBeNull();
    expect(incidentRollupMonths(['MONTH'], { from: new Date('2026-01-01T00:00:00Z') }, calendar)).toBeNull();
  });

  it('rates are exact ratios, null over nothing; averages round to 0.01; no grouping gives one row of zeros', () => {
    const sums = {
      keys: ['x'],
      count: 3,
      acknowledged: 3,
      acknowledgedOnTime: 2,
      resolved: 0,
      resolvedOnTime: 0,
      resolveMs: 0,
      breaches: 1,
      surveyed: 3,
      satisfactionSum: 11,
      repeatCustomer: 0,
      totalFen: 5n,
    };
    expect(finishIncidentGroups([sums], true)[0]).toMatchObject({
      acknowledgedOnTimeRate: 2 / 3,
      resolvedOnTimeRate: null,
      averageHoursToResolve: null,
      averageSatisfaction: 3.67,
    });
    expect(finishIncidentGroups([], false)).toEqual([expect.objectContaining({ keys: [], count: 0, totalFen: 0n, acknowledgedOnTimeRate: null })]);
    expect(finishIncidentGroups([], true)).toEqual([]);
  });
});
