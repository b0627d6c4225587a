import fs from 'node:fs';
import path from 'node:path';
import { badInput } from '../common/errors';

const MAX_PATH = 1024;

/**
 * A rule pack directory named over the API (`simulateRules`, `installShadowRules`), made safe
 * to read: a string without control characters (NUL included), naming an existing directory.
 * With a drafts root (RULES_DRAFTS_DIR) the path is taken relative to it and must stay inside
 * it once symlinks are resolved; without one it must be absolute. Returns the real path.
 * Throws BAD_USER_INPUT on `field`.
 */
export function resolveDraftDir(input: unknown, draftsRoot: string | null, field: string): string {
  if (typeof input !== 'string' || input.trim() === '') throw badInput(field, 'must name a directory');
  if (input.length > MAX_PATH) throw badInput(field, `is longer than ${MAX_PATH} characters`);
  if (/[\u0000-\u001f\u007f]/.test(input)) throw badInput(field, 'contains control characters');
  let root: string | null = null;
  if (draftsRoot !== null) {
    root = realDir(draftsRoot);
    if (root === null) throw badInput(field, 'RULES_DRAFTS_DIR is not an existing directory on the server');
  } else if (!path.isAbsolute(input)) {
    throw badInput(field, 'must be an absolute path (or set RULES_DRAFTS_DIR to name drafts relative to it)');
  }
  const real = realDir(root === null ? input : path.resolve(root, input));
  if (real === null) throw badInput(field, 'is not an existing directory on the server');
  if (root !== null) {
    const rel = path.relative(root, real);
    if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) throw badInput(field, 'must be inside RULES_DRAFTS_DIR');
  }
  return real;
}

function realDir(p: string): string | null {
  try {
    const real = fs.realpathSync(p);
    return fs.statSync(real).isDirectory() ? real : null;
  } catch {
    return null;
  }
}
