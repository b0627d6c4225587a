/**
 * Exact money: integer fen in a bigint. Amounts travel as strings of yuan ("5000.01") and are
 * never floats in storage or sums.
 */

/** What an amount string may look like: up to 12 integer digits and 2 decimals, no sign. */
export const AMOUNT_PATTERN = /^\d{1,12}(\.\d{1,2})?$/;

/** An amount or fen value that is not exact money. `code` is the API error code. */
export class MoneyFormatError extends Error {
  readonly code = 'BAD_AMOUNT' as const;
  constructor(text: string, expected = 'an amount of yuan with at most 12 integer digits and 2 decimals') {
    super(`"${String(text).slice(0, 40)}" is not ${expected}`);
    this.name = 'MoneyFormatError';
  }
}

/** "5000.01" → 500001n fen. Throws MoneyFormatError for anything else. */
export function parseYuan(text: string): bigint {
  if (typeof text !== 'string' || !AMOUNT_PATTERN.test(text)) throw new MoneyFormatError(text);
  const [yuan, fraction = ''] = text.split('.');
  return BigInt(yuan) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/**
 * Fen → yuan with exactly two decimals: 500001n → "5000.01", -150n → "-1.50". Accepts what
 * database drivers return (see toFen).
 */
export function formatFen(fen: bigint | number | string): string {
  const value = toFen(fen);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

const FEN = 'a whole number of fen';

/**
 * A fen value from any database driver as a bigint: a bigint, a safe integer number, or a
 * string of an integer (MySQL returns BIGINT and SUM as strings) or of a decimal whose
 * fraction is all zeros (DECIMAL SUM gives "123.0000"). A non-zero fraction of a fen throws,
 * since it would mean the value is not in fen.
 */
export function toFen(fen: bigint | number | string): bigint {
  if (typeof fen === 'bigint') return fen;
  if (typeof fen === 'number') {
    if (!Number.isSafeInteger(fen)) throw new MoneyFormatError(String(fen), FEN);
    return BigInt(fen);
  }
  const m = typeof fen === 'string' ? /^(-?\d+)(?:\.0+)?$/.exec(fen) : null;
  if (!m) throw new MoneyFormatError(String(fen), FEN);
  return BigInt(m[1]);
}

/**
 * Yuan as a JS number, for rule comparisons only (never for storage or sums). For every amount
 * parseYuan accepts this equals Number(text): fen and 100 are exact doubles and the division
 * is correctly rounded, so "5000.01" compares above 5000 and "5000.00" does not.
 */
export function fenToNumber(fen: bigint): number {
  return Number(fen) / 100;
}

/** The exact sum of fen values in any driver form (see toFen); 0n for none. */
export function sumFen(values: Iterable<bigint | number | string>): bigint {
  let total = 0n;
  for (const v of values) total += toFen(v);
  return total;
}

/**
 * total / count rounded half-up to the fen (halves of a negative total round away from zero,
 * so the result mirrors the positive one); 0n for no items.
 */
export function averageFen(total: bigint, count: number): bigint {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  if (count === 0) return 0n;
  const n = BigInt(count);
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const rounded = (abs * 2n + n) / (2n * n);
  return negative ? -rounded : rounded;
}
