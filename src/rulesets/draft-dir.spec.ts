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
    for (const p of ['..', '../outside', 'escape', path.join(work, 'outside')]) expect(codeOf(() => resolveDraftDir(p, drafts, 'draftDir'))).toBe('BAD_USER_INPUT:draftDir');
  });

  it('refuses NUL and control characters, files, missing paths and empty names', () => {
    for (const p of ['a\u0000', 'a\n', 'file.json', 'nope', '', '   ', 42]) expect(codeOf(() => resolveDraftDir(p, drafts, 'dir'))).toBe('BAD_USER_INPUT:dir');
  });

  it('without a drafts root wants an absolute path', () => {
    expect(resolveDraftDir(path.join(drafts, 'a'), null, 'dir')).toBe(path.join(drafts, 'a'));
    expect(codeOf(() => resolveDraftDir('a', null, 'dir'))).toBe('BAD_USER_INPUT:dir');
  });
});
