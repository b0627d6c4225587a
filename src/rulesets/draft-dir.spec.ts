import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../common/errors';
import { resolveDraftDir } from './draft-dir';

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AppError ? `${e.code}:${String(e.extensions.field)}` : String(e);
  }
  return 'ok';
};

describe('resolveDraftDir', () => {
  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'triage-drafts-')));
  const drafts = path.join(work, 'drafts');
  fs.mkdirSync(path.join(drafts, 'a'), { recursive: true });
  fs.mkdirSync(path.join(work, 'outside'));
  fs.writeFileSync(path.join(drafts, 'file.json'), '{}');
  fs.symlinkSync(path.join(work, 'outside'), path.join(drafts, 'escape'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('takes names relative to the drafts root and returns the real path', () => {
    expect(resolveDraftDir('a', drafts, 'draftDir')).toBe(path.join(drafts, 'a'));
    expect(resolveDraftDir('./a/', drafts, 'draftDir')).toBe(path.join(drafts, 'a'));
  });

  it('refuses what leaves the drafts root, by .. or by a symlink', () => {
    for (const p of ['..', '../outside', 'escape', path.join(work, 'outside')])
      expect(codeOf(() => resolveDraftDir(p, drafts, 'draftDir'))).toBe('BAD_USER_INPUT:draftDir');
  });

  it('refuses NUL and control characters, files, missing paths and empty names', () => {
    for (const p of ['a\u0000', 'a\n', 'file.json', 'nope', '', '   ', 42]) expect(codeOf(() => resolveDraftDir(p, drafts, 'dir'))).toBe('BAD_USER_INPUT:dir');
  });

  it('takes an absolute path only inside the drafts root', () => {
    expect(resolveDraftDir(path.join(drafts, 'a'), drafts, 'dir')).toBe(path.join(drafts, 'a'));
    expect(codeOf(() => resolveDraftDir(work, drafts, 'dir'))).toBe('BAD_USER_INPUT:dir');
    expect(codeOf(() => resolveDraftDir('/', drafts, 'dir'))).toBe('BAD_USER_INPUT:dir');
  });

  it('refuses a draft holding a file or folder that links out of the root, or a dangling link', () => {
    fs.writeFileSync(path.join(work, 'outside', 'secret.json'), '{"password":"hunter2"}');
    for (const [name, target] of [
      ['file-link', path.join(work, 'outside', 'secret.json')],
      ['dir-link', path.join(work, 'outside')],
      ['dangling', path.join(work, 'nothing')],
    ] as const) {
      const draft = path.join(drafts, name);
      fs.mkdirSync(path.join(draft, 'policy'), { recursive: true });
      fs.symlinkSync(target, path.join(draft, 'policy', 'x.json'));
      expect(codeOf(() => resolveDraftDir(name, drafts, 'dir'))).toBe('BAD_USER_INPUT:dir');
    }
    // A link that stays inside the root is fine.
    fs.mkdirSync(path.join(drafts, 'inner', 'policy'), { recursive: true });
    fs.symlinkSync(path.join(drafts, 'file.json'), path.join(drafts, 'inner', 'policy', 'x.json'));
    expect(resolveDraftDir('inner', drafts, 'dir')).toBe(path.join(drafts, 'inner'));
  });

  it('names no server path in its messages', () => {
    for (const p of ['nope', '../outside', path.join(work, 'outside'), 'escape']) {
      try {
        resolveDraftDir(p, drafts, 'dir');
      } catch (e) {
        expect((e as Error).message).not.toContain(work);
      }
    }
    try {
      resolveDraftDir('a', path.join(work, 'missing-root'), 'dir');
    } catch (e) {
      expect((e as Error).message).not.toContain(work);
    }
  });
});
