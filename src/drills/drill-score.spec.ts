import { onTimeRate, verdictOf, DrillScoreInput } from './drill-score';

const at = (m: number) => new Date(Date.UTC(2026, 10, 23, 2, m));
const item = (over: Partial<DrillScoreInput>): DrillScoreInput => ({
  kind: 'ACTION',
  incidentId: 1,
  code: 'X',
  label: 'x',
  dueAt: at(10),
  doneAt: null,
  doneBy: null,
  waived: false,
  ...over,
});

describe('drill score', () => {
  it('on time, late, missed, pending, waived', () => {
    expect(verdictOf(item({ doneAt: at(10) }), at(30))).toMatchObject({ verdict: 'ON_TIME', minutesLate: 0 });
    expect(verdictOf(item({ doneAt: at(13) }), at(30))).toMatchObject({ verdict: 'LATE', minutesLate: 3 });
    expect(verdictOf(item({}), at(30))).toMatchObject({ verdict: 'MISSED', minutesLate: 20 });
    expect(verdictOf(item({}), at(5))).toMatchObject({ verdict: 'PENDING', minutesLate: 0 });
    expect(verdictOf(item({ waived: true }), at(30))).toMatchObject({ verdict: 'WAIVED' });
    expect(verdictOf(item({ dueAt: null, doneAt: at(50) }), at(60))).toMatchObject({ verdict: 'ON_TIME' });
  });

  it('the on-time rate leaves pending and waived out', () => {
    const items = [item({ doneAt: at(1) }), item({ doneAt: at(20) }), item({}), item({ dueAt: at(59) }), item({ waived: true })].map((i) =>
      verdictOf(i, at(30)),
    );
    expect(onTimeRate(items)).toBe(0.3333);
    expect(onTimeRate([])).toBeNull();
  });
});
