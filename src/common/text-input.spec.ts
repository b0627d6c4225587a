import { AppError } from './errors';
import { LIMITS, phone, text } from './text-input';

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AppError ? e.message : String(e);
  }
  return null;
};

describe('text input', () => {
  it('passes absent optional text as null and refuses absent required text', () => {
    expect(text('note', undefined, LIMITS.note)).toBeNull();
    expect(refusal(() => text('note', null, LIMITS.note, true))).toMatch(/required/);
    expect(refusal(() => text('note', '  ', LIMITS.note, true))).toMatch(/empty/);
  });

  it('counts characters, not UTF-16 units, and refuses control characters and lone surrogates', () => {
    expect(text('note', '😀'.repeat(3), 3)).toBe('😀😀😀');
    expect(refusal(() => text('note', 'abcd', 3))).toMatch(/longer than 3/);
    expect(refusal(() => text('note', 'a\u0007b', 10))).toMatch(/control/);
    expect(text('note', 'a\tb\nc', 10)).toBe('a\tb\nc');
    expect(refusal(() => text('note', 'a\ud800', 10))).toMatch(/well-formed/);
    expect(refusal(() => text('note', 42, 10))).toMatch(/string/);
  });

  it('checks phone numbers as entered', () => {
    expect(phone('phone', '+86 138-0000-0000')).toBe('+86 138-0000-0000');
    expect(phone('phone', null)).toBeNull();
    expect(refusal(() => phone('phone', 'call me'))).toMatch(/phone number/);
  });
});
