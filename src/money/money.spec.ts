import { AMOUNT_PATTERN, averageFen, fenToNumber, formatFen, maskPhone, MoneyFormatError, parseYuan, sumFen, toFen } from './money';

describe('money', () => {
  it('parses yuan strings into exact fen', () => {
    expect(parseYuan('5000.00')).toBe(500000n);
    expect(parseYuan('5000.01')).toBe(500001n);
    expect(parseYuan('5000.1')).toBe(500010n);
    expect(parseYuan('0')).toBe(0n);
    expect(parseYuan('007.5')).toBe(750n);
    expect(parseYuan('999999999999.99')).toBe(99999999999999n);
  });

  it.each(['1e3', '-1', '+1', '1.234', ' 1', '1 ', '', '１２', '1,000', '.5', '5.', '1234567890123', 'NaN'])('refuses %p', (text) => {
    expect(() => parseYuan(text)).toThrow(MoneyFormatError);
    expect(AMOUNT_PATTERN.test(text)).toBe(false);
  });

  it('formats fen with two decimals from any driver value', () => {
    expect(formatFen(500001n)).toBe('5000.01');
    expect(formatFen(0n)).toBe('0.00');
    expect(formatFen(-150n)).toBe('-1.50');
    expect(formatFen('123')).toBe('1.23');
    expect(formatFen('12300.0000')).toBe('123.00');
    expect(formatFen(5)).toBe('0.05');
    expect(() => formatFen('1.5')).toThrow(MoneyFormatError);
    expect(() => toFen(0.1)).toThrow(MoneyFormatError);
  });

  it('compares as numbers exactly at the boundary', () => {
    expect(fenToNumber(parseYuan('5000.00')) > 5000).toBe(false);
    expect(fenToNumber(parseYuan('5000.01')) > 5000).toBe(true);
    expect(fenToNumber(parseYuan('50000.01')) > 50000).toBe(true);
  });

  it('sums and averages exactly, rounding half up', () => {
    expect(sumFen([1n, '2', 3])).toBe(6n);
    expect(sumFen(Array.from({ length: 10 }, () => 10n))).toBe(100n);
    expect(averageFen(10n, 4)).toBe(3n); // 2.5 → 3
    expect(averageFen(10n, 3)).toBe(3n); // 3.33 → 3
    expect(averageFen(11n, 2)).toBe(6n); // 5.5 → 6
    expect(averageFen(-11n, 2)).toBe(-6n);
    expect(averageFen(0n, 0)).toBe(0n);
  });

  it('masks phone numbers', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+8613812345678')).toBe('+86*******5678');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone(null)).toBeNull();
  });
});
