import { DateTime } from 'luxon';
import { businessPeriods } from './business-periods';

const direct = (timeZone: string, ms: number) => {
  const local = DateTime.fromMillis(ms, { zone: timeZone });
  return { businessMonth: local.toFormat('yyyy-MM'), businessWeek: local.toFormat("kkkk-'W'WW"), businessDay: local.toFormat('yyyy-MM-dd') };
};

describe('businessPeriods', () => {
  it('gives the zone math’s answer at every minute around midnights, DST changes and odd offsets, remembering or not', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Europe/London', 'UTC'];
    const around = ['2026-03-08T06:00:00Z', '2026-11-01T05:00:00Z', '2026-04-05T14:00:00Z', '2026-12-31T15:30:00Z', '2026-10-25T00:00:00Z'];
    for (const zone of zones)
      for (const iso of around) {
        const from = Date.parse(iso) - 6 * 3_600_000;
        for (let ms = from; ms < from + 12 * 3_600_000; ms += 60_000 + 7) expect(businessPeriods({ timeZone: zone }, new Date(ms))).toEqual(direct(zone, ms));
      }
  });

  it('answers a copy: a caller changing it does not change the next answer', () => {
    const at = new Date('2026-05-01T03:00:00Z');
    const first = businessPeriods({ timeZone: 'Asia/Shanghai' }, at);
    first.businessDay = 'x';
    expect(businessPeriods({ timeZone: 'Asia/Shanghai' }, at).businessDay).toBe('2026-05-01');
  });
});
