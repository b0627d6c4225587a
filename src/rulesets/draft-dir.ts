import fs from 'node:fs';
import path from 'node:path';
import { badInput } from '../common/errors';

const MAX_PATH = 1024;

/** Entries of a draft looked at, at most, when checking its links (a pack has tens). */
const MAX_ENTRIES = 10_000;

/**
 * A rule pack directory named over the API (`simulateRules`, `installShadowRules`), made safe
 * to read: a string without control characters (NUL included), naming an existing directory
 * under the drafts root (RULES_DRAFTS_DIR, default ./rules-drafts) — relative to it, or
 * absolute inside it — that stays inside it once symlinks are resolved, the draft's own too:
 * a file or folder of the draft that links out of the root is refused, so nothing outside it is
 * ever read. Messages never name a server path. Returns the real path. Throws BAD_USER_INPUT on `field`.
 */
export function resolveDraftDir(input: unknown, draftsRoot: string, field: string): string {
  if (typeof input !== 'string' || input.trim() === '') throw badInput(field, 'must name a directory');
  if (input.length > MAX_PATH) throw badInput(field, `is longer than ${MAX_PATH} characters`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(input)) throw badInput(field, 'contains control characters');
  const root = realDir(draftsRoot);
  if (root === null) throw badInput(field, 'no drafts directory (RULES_DRAFTS_DIR) exists on the server');
  const real = realDir(path.resolve(root, input));
  if (real === null) throw badInput(field, 'is not an existing directory under RULES_DRAFTS_DIR');
  if (!inside(root, real)) throw badInput(field, 'must be inside RULES_DRAFTS_DIR');
  const escaping = linkOutOf(root, real);
  if (escaping !== null) throw badInput(field, `${escaping} links outside RULES_DRAFTS_DIR`);
  return real;
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return !(rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel));
}

/** The draft-relative path of the first symlink in `dir` resolving outside `root` (or dangling), else null. */
function linkOutOf(root: string, dir: string): string | null {
  let seen = 0;
  const walk = (rel: string): string | null => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (++seen > MAX_ENTRIES) return `${rel || '.'} (too many entries)`;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) {
        let target: string | null;
        try {
          target = fs.realpathSync(path.join(dir, child));
        } catch {
          target = null;
        }
        if (target === null || !inside(root, target)) return child;
      } else if (entry.isDirectory()) {
        const found = walk(child);
        if (found !== null) return found;
      }
    }
    return null;
  };
  return walk('');
}

function realDir(p: string): string | null {
  try {
    const real = fs.realpathSync(p);
    return fs.statSync(real).isDirectory() ? real : null;
  } catch {
    return null;
  }
}
