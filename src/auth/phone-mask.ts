/**
 * Masking customer phones (注意保密,不得泄露客户隐私).
 *
 * Invariants (property-tested in phone-mask.spec.ts over generated numbers):
 * - a Chinese mobile (11 digits, 1[3-9]…, with or without +86 / 0086, spaces or dashes) shows as
 *   the policy writes it, `138****5678` (`+86 138****5678`): the network prefix names only the
 *   carrier, and the last 4 digits;
 * - any other number shows at most its last 4 signs and never more than a third of them
 *   (rounded down), counted without a leading +86 / 0086, which is masked too: "87654321" →
 *   "******21", "021-8765-4321" → "***-****-*321", "12345" → "****5";
 * - separators (spaces, dashes, brackets, dots, slashes, '+') keep their place; every other
 *   character — a digit, a letter, an extension's "ext", a Chinese numeral — counts as a sign.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined) return null;
  const chars = [...phone];
  const mobile = mobileOf(chars);
  if (mobile) return `${mobile.international ? '+86 ' : ''}${mobile.number.slice(0, 3)}****${mobile.number.slice(7)}`;
  const signs = chars.map((c, i) => (isSeparator(c) ? -1 : i)).filter((i) => i >= 0);
  const national = signs.slice(countryPrefixLength(chars, signs));
  const shown = Math.min(4, Math.floor(national.length / 3));
  const visible = new Set(shown ? national.slice(-shown) : []);
  return chars.map((c, i) => (isSeparator(c) || visible.has(i) ? c : '*')).join('');
}

const SEPARATOR = /^[\s\-().+/]$/u;
function isSeparator(c: string): boolean {
  return SEPARATOR.test(c);
}

/** The 11-digit mobile number when the whole string is one (digits and separators only). */
function mobileOf(chars: string[]): { number: string; international: boolean } | null {
  if (!chars.every((c) => isSeparator(c) || (c >= '0' && c <= '9'))) return null;
  const compact = chars.filter((c) => c === '+' || (c >= '0' && c <= '9')).join('');
  const m = /^(\+86|0086|86)?(1[3-9]\d{9})$/.exec(compact);
  return m ? { number: m[2], international: m[1] !== undefined } : null;
}

/** Signs of a leading +86 / 0086 (a country code: masked, and not counted in the third). */
function countryPrefixLength(chars: string[], signs: number[]): number {
  const digits = signs.map((i) => chars[i]).join('');
  const plus = chars.find((c) => !/\s/u.test(c)) === '+';
  if (plus && digits.startsWith('86') && digits.length > 2) return 2;
  if (digits.startsWith('0086') && digits.length > 4) return 4;
  return 0;
}
