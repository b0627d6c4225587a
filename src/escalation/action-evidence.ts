import { DateTime } from 'luxon';
import { badInput } from '../common/errors';
import type { CatalogAction } from '../rules/types';

/** Bounds on what completeAction stores as evidence. */
export const EVIDENCE_LIMITS = { keys: 20, key: 64, value: 500 } as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks the evidence given to complete an action against what the catalog requires
 * (POLICE_REPORT: receiptNo; PRESERVE_CCTV: storageLocation and keptUntil, a date that covers
 * the retention). Returns it normalised (trimmed strings), or null when none was given and
 * none is required. Throws BAD_USER_INPUT naming the field, e.g. `evidence.receiptNo`.
 *
 * `retainUntilDay` is the local date, in the business calendar's time zone `zone`, on which the
 * action's retention ends (its retainUntil): a date that covers the retention is not before it.
 */
export function checkEvidence(
  code: string,
  action: CatalogAction | undefined,
  given: unknown,
  retainUntilDay: string | null,
  zone?: string,
): Record<string, string> | null {
  const required = action?.evidence ?? [];
  if (given === undefined || given === null) {
    if (!required.length) return null;
    const keys = required.map((f) => f.key);
    throw badInput(`evidence.${keys[0]}`, `${code} (${action!.label}) is completed with evidence: ${required.map((f) => `${f.key} (${f.label})`).join(', ')}`, {
      required: keys,
    });
  }
  if (typeof given !== 'object' || Array.isArray(given)) throw badInput('evidence', 'must be a JSON object of named values, e.g. { "receiptNo": "…" }');
  const entries = Object.entries(given as Record<string, unknown>);
  if (entries.length > EVIDENCE_LIMITS.keys) throw badInput('evidence', `at most ${EVIDENCE_LIMITS.keys} values`);
  const out: Record<string, string> = {};
  for (const [key, value] of entries) {
    const field = `evidence.${key}`;
    if (key.length === 0 || key.length > EVIDENCE_LIMITS.key) throw badInput('evidence', `keys are 1 to ${EVIDENCE_LIMITS.key} characters`);
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number') throw badInput(field, 'must be a string');
    const text = String(value).trim();
    if (text.length > EVIDENCE_LIMITS.value) throw badInput(field, `at most ${EVIDENCE_LIMITS.value} characters`);
    if (text) out[key] = text;
  }
  for (const f of required) {
    const field = `evidence.${f.key}`;
    const value = out[f.key];
    if (value === undefined) throw badInput(field, `is required to complete ${code}: ${f.label}`, { required: required.map((r) => r.key) });
    if (f.type !== 'date') continue;
    if (!DATE.test(value) || !DateTime.fromISO(value, { zone: 'utc' }).isValid) throw badInput(field, `must be a date YYYY-MM-DD, not "${value}"`);
    if (f.coversRetention && retainUntilDay && value < retainUntilDay) {
      throw badInput(
        field,
        `${f.label} ${value} is before ${retainUntilDay}: ${f.key} must not be before the day${zone ? ` (${zone})` : ''} on which ${code}'s retention ends (retainUntil, ${action!.retainDays ?? ''} days after the incident occurred, or after the report when occurredAt is not known)`,
        { minimum: retainUntilDay },
      );
    }
  }
  return Object.keys(out).length ? out : null;
}
