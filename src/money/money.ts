/**
 * Exact money: integer fen in a bigint. Amounts travel as strings of yuan ("5000.01") and are
 * never floats in storage or sums.
 */

/** What an amount string may look like: up to 12 integer digits and 2 decimals, no sign. */
export const AMOUNT_PATTERN = /^\d{1,12}(\.\d{1,2})?$/;

export class MoneyFormatError extends Error {
  readonly code = 'BAD_AMOUNT';
  constructor(text: string) {
    super(`"${String(text).slice(0, 40)}" is not an amount of yuan with at most 2 decimals`);
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
 * Fen → "5000.01". Accepts what database drivers return: bigint, number, or a string of an
 * integer (MySQL BIGINT/SUM) or a decimal whose fraction is zero ("123.0000").
 */
export function formatFen(fen: bigint | number | string): string {
  const value = toFen(fen);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Normalises a fen value from any driver into a bigint. */
export function toFen(fen: bigint | number | string): bigint {
  if (typeof fen === 'bigint') return fen;
  if (typeof fen === 'number') {
    if (!Number.isSafeInteger(fen)) throw new MoneyFormatError(String(fen));
    return BigInt(fen);
  }
  const m = /^(-?\d+)(?:\.(0*))?$/.exec(fen.trim());
  if (!m) throw new MoneyFormatError(fen);
  return BigInt(m[1]);
}

/** Yuan as a JS number, for rule comparisons only (exact ordering for ≤ 14 significant digits). */
export function fenToNumber(fen: bigint): number {
  return Number(fen) / 100;
}

export function sumFen(values: Iterable<bigint | number | string>): bigint {
  let total = 0n;
  for (const v of values) total += toFen(v);
  return total;
}

/** total / count rounded half-up to the fen; 0 for no items. */
export function averageFen(total: bigint, count: number): bigint {
  if (count <= 0) return 0n;
  const n = BigInt(count);
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const rounded = (abs * 2n + n) / (2n * n);
  return negative ? -rounded : rounded;
}

/**
 * 注意保密: "13812345678" → "138****5678". Other strings of 8+ characters keep their first 3
 * and last 4 characters; shorter ones are masked whole.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined) return null;
  const chars = [...phone];
  if (chars.length < 8) return '*'.repeat(chars.length);
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
}
