import { AMOUNT_PATTERN, averageFen, fenToNumber, formatFen, MoneyFormatError, parseYuan, sumFen, toFen } from './money';

describe('money', () => {
  describe('parseYuan', () => {
    it.each([
      ['5000.00', 500000n],
      ['5000.01', 500001n],
      ['5000.1', 500010n],
      ['5000', 500000n],
      ['0', 0n],
      ['0.00', 0n],
      ['0.01', 1n],
      ['007.5', 750n],
      ['50000.01', 5000001n],
      ['999999999999.99', 99999999999999n],
    ])('%p → %p fen', (text, fen) => {
      expect(parseYuan(text)).toBe(fen);
      expect(AMOUNT_PATTERN.test(text)).toBe(true);
    });

    it.each([
      '1e3',
      '-1',
      '+1',
      '1.234',
      ' 1',
      '1 ',
      '',
      '１２',
      '1,000',
      '.5',
      '5.',
      '1234567890123',
      '1234567890123.00',
      'NaN',
      'Infinity',
      '0x10',
      '1.2.3',
      '¥5',
      '1_000',
    ])('refuses %p', (text) => {
      expect(() => parseYuan(text)).toThrow(MoneyFormatError);
      expect(AMOUNT_PATTERN.test(text)).toBe(false);
    });

    it('refuses non-strings at run time', () => {
      expect(() => parseYuan(5 as never)).toThrow(MoneyFormatError);
      expect(() => parseYuan(null as never)).toThrow(MoneyFormatError);
    });

    it('raises an error with the BAD_AMOUNT code', () => {
      let error: unknown;
      try {
        parseYuan('1e3');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MoneyFormatError);
      expect(error).toBeInstanceOf(Error);
      expect((error as MoneyFormatError).code).toBe('BAD_AMOUNT');
      expect((error as MoneyFormatError).name).toBe('MoneyFormatError');
      expect((error as Error).message).toContain('"1e3"');
    });
  });

  describe('formatFen', () => {
    it.each<[bigint | number | string, string]>([
      [500001n, '5000.01'],
      [500000n, '5000.00'],
      [0n, '0.00'],
      [1n, '0.01'],
      [10n, '0.10'],
      [-150n, '-1.50'],
      [-1n, '-0.01'],
      [99999999999999n, '999999999999.99'],
      [123456789012345678901234567890n, '1234567890123456789012345678.90'], // sums may exceed 12 digits
      [5, '0.05'],
      [-0, '0.00'],
      [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
      ['123', '1.23'],
      ['-250', '-2.50'],
      ['12300.0000', '123.00'],
      ['7.0', '0.07'],
      ['0', '0.00'],
    ])('%p → %p', (fen, text) => {
      expect(formatFen(fen)).toBe(text);
    });

    it('round-trips every amount parseYuan accepts', () => {
      for (const text of ['0.00', '0.01', '5000.00', '5000.01', '999999999999.99']) {
        expect(formatFen(parseYuan(text))).toBe(text);
      }
    });

    it.each<[unknown]>([['1.5'], ['12300.0001'], ['123.'], [''], [' 123'], ['1e3'], ['abc'], [0.1], [Number.NaN], [2 ** 53], [null]])(
      'refuses the fen value %p',
      (fen) => {
        expect(() => formatFen(fen as never)).toThrow(MoneyFormatError);
        expect(() => toFen(fen as never)).toThrow(MoneyFormatError);
      },
    );
  });

  describe('fenToNumber', () => {
    it('compares exactly at the 5000 and 50000 boundaries', () => {
      expect(fenToNumber(parseYuan('5000.00')) > 5000).toBe(false);
      expect(fenToNumber(parseYuan('5000.01')) > 5000).toBe(true);
      expect(fenToNumber(parseYuan('50000.00')) > 50000).toBe(false);
      expect(fenToNumber(parseYuan('50000.01')) > 50000).toBe(true);
    });

    it('equals Number(text) for accepted amounts', () => {
      for (const text of ['0', '0.01', '0.1', '0.29', '1.15', '5000.01', '123456789.99', '999999999999.99']) {
        expect(fenToNumber(parseYuan(text))).toBe(Number(text));
      }
    });

    it('keeps the sign', () => {
      expect(fenToNumber(-150n)).toBe(-1.5);
    });
  });

  describe('sumFen and averageFen', () => {
    it('sums exactly, whatever form the values take', () => {
      expect(sumFen([1n, '2', 3, '400.000'])).toBe(406n);
      expect(sumFen([])).toBe(0n);
      expect(sumFen(new Set([10n, 20n]))).toBe(30n);
      // 0.1 + 0.2 yuan in floats is 0.30000000000000004; in fen it is 30.
      expect(sumFen([parseYuan('0.1'), parseYuan('0.2')])).toBe(30n);
      expect(sumFen(Array.from({ length: 1000 }, () => 99999999999999n))).toBe(99999999999999000n);
    });

    it('refuses a bad value in a sum', () => {
      expect(() => sumFen([1n, '1.5'])).toThrow(MoneyFormatError);
    });

    it.each([
      [10n, 4, 3n], // 2.5 → 3
      [10n, 3, 3n], // 3.33 → 3
      [11n, 3, 4n], // 3.67 → 4
      [11n, 2, 6n], // 5.5 → 6
      [9n, 2, 5n], // 4.5 → 5
      [-11n, 2, -6n], // mirrors 5.5 → 6
      [-10n, 3, -3n],
      [0n, 5, 0n],
      [0n, 0, 0n],
      [500n, 0, 0n],
      [1000001n, 2, 500001n], // 5000.005 yuan → 5000.01
    ])('average of %p over %p is %p', (total, count, average) => {
      expect(averageFen(total, count)).toBe(average);
    });

    it.each([-1, 1.5, Number.NaN])('refuses the count %p', (count) => {
      expect(() => averageFen(10n, count)).toThrow(RangeError);
    });
  });
});
