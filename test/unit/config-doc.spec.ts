import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES, readInteger, renderConfigDoc } from '../../src/config/config-variables';

const root = path.join(__dirname, '..', '..');

/** Every source file of the product, specs left out. */
function productSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return productSources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

describe('docs/configuration.md', () => {
  it('is the declarations written out (run `npx triage config doc > docs/configuration.md` after changing them)', () => {
    expect(renderConfigDoc()).toBe(fs.readFileSync(path.join(root, 'docs', 'configuration.md'), 'utf8'));
  });

  it('declares every variable the product reads from the environment, and each once', () => {
    const read = new Set<string>();
    for (const file of productSources(path.join(root, 'src'))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)\b/g)) read.add(m[1]);
    }
    const declared = CONFIG_VARIABLES.map((v) => v.name);
    expect(new Set(declared).size).toBe(declared.length);
    expect([...read].filter((n) => !declared.includes(n)).sort()).toEqual([]);
  });
});

describe('readInteger', () => {
  it('takes the declared default, bounds and message', () => {
    const problems: string[] = [];
    expect(readInteger({}, 'PORT', problems)).toBe(4000);
    expect(readInteger({ PORT: '8080' }, 'PORT', problems)).toBe(8080);
    expect(problems).toEqual([]);
    expect(readInteger({ PORT: '70000' }, 'PORT', problems)).toBe(4000);
    expect(readInteger({ PORT: '-1' }, 'PORT', problems)).toBe(4000);
    expect(problems).toEqual(['PORT="70000" must be a whole number from 0 to 65535', 'PORT="-1" must be a whole number from 0 to 65535']);
  });

  it('refuses a name nobody declared', () => {
    expect(() => readInteger({}, 'NO_SUCH_VARIABLE', [])).toThrow(/not declared/);
  });
});
