import { rowDate } from './backtest.source';

describe('rowDate', () => {
  it('reads DATETIME values as both drivers return them, in UTC', () => {
    const at = new Date('2026-11-23T02:00:00.123Z');
    expect(rowDate(at)).toBe(at);
    expect(rowDate('2026-11-23 02:00:00.123').toISOString()).toBe('2026-11-23T02:00:00.123Z');
    expect(rowDate('2026-11-23T10:00:00.123+08:00').toISOString()).toBe('2026-11-23T02:00:00.123Z');
  });
});
