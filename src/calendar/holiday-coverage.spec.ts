import { BusinessCalendar } from './business-calendar';
import { holidayCoverageWarning } from './holiday-coverage';

const config = { timeZone: 'Asia/Shanghai', workingHours: { start: '09:00', end: '18:00' }, weekend: [6, 7], holidays: ['2026-10-01'], workdays: [] };
const known = new BusinessCalendar({ ...config, holidaysKnownUntil: '2026-12-31' });
const unsaid = new BusinessCalendar(config);

describe('how far the holiday calendar is known', () => {
  it('counts the days left in the business time zone, and warns under 60', () => {
    // 2026-11-01 17:00 UTC is already 2 November in Shanghai.
    expect(known.daysOfHolidaysLeft(new Date('2026-11-01T17:00:00Z'))).toBe(59);
    expect(holidayCoverageWarning(known, new Date('2026-11-01T17:00:00Z'))).toMatch(/known until 2026-12-31 \(in 59 days\)/);
    expect(known.daysOfHolidaysLeft(new Date('2026-11-01T15:00:00Z'))).toBe(60);
    expect(holidayCoverageWarning(known, new Date('2026-11-01T15:00:00Z'))).toBeNull();
    expect(holidayCoverageWarning(known, new Date('2027-01-03T02:00:00Z'))).toMatch(/\(3 days ago\)/);
    expect(unsaid.daysOfHolidaysLeft(new Date())).toBeNull();
    expect(holidayCoverageWarning(unsaid, new Date())).toBeNull();
  });

  it('knows which instants lie past it, and when its last day ends', () => {
    expect(known.beyondKnownHolidays(new Date('2026-12-31T15:59:00Z'))).toBe(false);
    expect(known.beyondKnownHolidays(new Date('2026-12-31T16:00:00Z'))).toBe(true);
    expect(unsaid.beyondKnownHolidays(new Date('2099-01-01T00:00:00Z'))).toBe(false);
    expect(known.endOfDay('2026-12-31')).toEqual(new Date('2027-01-01T00:00:00+08:00'));
  });
});
