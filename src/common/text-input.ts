import { badInput } from './errors';

/** Longest accepted text per field (characters); a text fact's limit is declared with the fact (rules/facts.ts). */
export const LIMITS = {
  source: 64,
  externalRef: 128,
  code: 64,
  location: 500,
  orderNo: 128,
  description: 4000,
  customerId: 128,
  customerName: 200,
  phone: 32,
  note: 2000,
} as const;

/**
 * Checked free text of an input field: absent is null (or BAD_USER_INPUT when required), else a
 * string within `max` characters, without control characters, well-formed Unicode.
 */
export function text(field: string, value: unknown, max: number, required = false): string | null {
  if (value === undefined || value === null) {
    if (required) throw badInput(field, 'is required');
    return null;
  }
  if (typeof value !== 'string') throw badInput(field, 'must be a string');
  if (required && value.trim() === '') throw badInput(field, 'must not be empty');
  if ([...value].length > max) throw badInput(field, `is longer than ${max} characters`);
  // Control characters other than tab and newlines have no place in a report and break exports.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) throw badInput(field, 'contains control characters');
  // A lone surrogate is not Unicode: no database would store it back byte for byte.
  if (!value.isWellFormed()) throw badInput(field, 'is not well-formed Unicode');
  return value;
}

/** A phone number as entered (digits, spaces, dashes, an optional leading +). */
export function phone(field: string, value: unknown): string | null {
  const v = text(field, value, LIMITS.phone);
  if (v === null) return null;
  if (!/^\+?[\d\s-]{3,32}$/.test(v)) throw badInput(field, 'is not a phone number');
  return v;
}
