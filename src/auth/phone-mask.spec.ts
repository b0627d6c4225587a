import fc from 'fast-check';
import { maskPhone } from './phone-mask';

/** The digits a masked string still shows (every '*' and separator aside). */
const digitsOf = (s: string) => [...s].filter((c) => c >= '0' && c <= '9').join('');

describe('maskPhone', () => {
  it.each<[string | null | undefined, string | null]>([
    ['13812345678', '138****5678'],
    ['19900000000', '199****0000'],
    ['138 1234 5678', '138****5678'],
    ['138-1234-5678', '138****5678'],
    ['+8613812345678', '+86 138****5678'],
    ['+86 138 1234 5678', '+86 138****5678'],
    ['008613812345678', '+86 138****5678'],
    ['87654321', '******21'],
    ['12345678', '******78'],
    ['02112345678', '********678'],
    ['021-8765-4321', '***-****-*321'],
    ['0755-12345678', '****-****5678'],
    ['(021) 8765 4321', '(***) **** *321'],
    ['021-12345678-801', '***-*******8-801'],
    ['+86 21 8765 4321', '+** ** **** *321'],
    ['+1 415 555 0100', '+* *** *** *100'],
    ['1234567', '*****67'],
    ['12345', '****5'],
    ['110', '**0'],
    ['12', '**'],
    ['', ''],
    ['电话号码一二三四五', '******三四五'],
    [null, null],
    [undefined, null],
  ])('%p → %p', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
  const sep = fc.constantFrom('', ' ', '-');
  /** A number split into groups joined by random separators. */
  const grouped = (d: string) =>
    fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }).chain((sizes) =>
      fc.array(sep, { minLength: sizes.length, maxLength: sizes.length }).map((seps) => {
        let out = '';
        let at = 0;
        sizes.forEach((n, i) => {
          if (at >= d.length) return;
          out += (out ? seps[i] : '') + d.slice(at, at + n);
          at += n;
        });
        return out + (at < d.length ? seps[0] + d.slice(at) : '');
      }),
    );
  const prefix = fc.constantFrom('', '+86 ', '+86', '0086', '+1 ', '+44-');

  it('never shows more than the last 4 digits, nor more than a third of them, of any number but a mobile', () => {
    const landline = fc
      .tuple(fc.constantFrom('010', '021', '0755', '0571', ''), digits(5, 8), fc.option(digits(1, 5), { nil: undefined }))
      .map(([area, local, ext]) => `${area}${local}${ext ?? ''}`);
    const any = fc.oneof(landline, digits(1, 20));
    fc.assert(
      fc.property(prefix, any.chain(grouped), (p, number) => {
        const phone = p + number;
        const masked = maskPhone(phone)!;
        const all = digitsOf(phone);
        const national = p.includes('86') ? all.slice(p.includes('0086') ? 4 : 2) : all;
        if (/^1[3-9]\d{9}$/.test(national) && !p.includes('+1') && !p.includes('+44')) return; // a mobile: the other property
        const shown = digitsOf(masked);
        expect(shown.length).toBeLessThanOrEqual(4);
        expect(shown.length).toBeLessThanOrEqual(Math.floor(national.length / 3));
        expect(all.endsWith(shown)).toBe(true); // only a tail shows
        expect([...masked].length).toBe([...phone].length);
      }),
      { numRuns: 3000 },
    );
  });

  it('shows a mobile as 138****5678 however it is written', () => {
    const mobile = fc.tuple(fc.constantFrom(...'3456789'), digits(9, 9)).map(([second, rest]) => `1${second}${rest}`);
    fc.assert(
      fc.property(fc.constantFrom('', '+86', '+86 ', '0086'), mobile, (p, m) =>
        fc.assert(
          fc.property(grouped(m), (written) => {
            expect(maskPhone(p + written)).toBe(`${p ? '+86 ' : ''}${m.slice(0, 3)}****${m.slice(7)}`);
          }),
          { numRuns: 5 },
        ),
      ),
      { numRuns: 500 },
    );
  });

  it('keeps at least two thirds of any string hidden, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const masked = [...maskPhone(s)!];
        const chars = [...s];
        const kept = chars.filter((c, i) => c === masked[i] && !/^[\s\-().+/]$/u.test(c) && c !== '*').length;
        const signs = chars.filter((c) => !/^[\s\-().+/]$/u.test(c)).length;
        if (/^(\+86|0086|86)?1[3-9]\d{9}$/.test(s.replace(/[\s\-()./]/gu, ''))) return; // a mobile
        expect(kept).toBeLessThanOrEqual(Math.min(4, Math.floor(signs / 3)));
      }),
      { numRuns: 2000 },
    );
  });
});
