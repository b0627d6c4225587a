/**
 * Decisions compared across processes: each evaluator's child sends a digest per incident
 * instead of the decision, and the parent counts the digests that differ from the reference's
 * (the compiled evaluator's `decide()`, the service's path).
 */
import { createHash } from 'node:crypto';

/** The fields a hand-written policy decides (a Decision without its explanation). */
export const POLICY_FIELDS = [
  'severity',
  'ownerDepartment',
  'notifyDepartments',
  'actions',
  'policeReportRequired',
  'refundSteps',
  'acknowledgeBy',
  'resolveBy',
] as const;

/**
 * A canonical text of a JSON-like value: object keys sorted, Dates and undefined marked, so two
 * values get the same text exactly when they are deeply equal (as isDeepStrictEqual, for the
 * plain objects, arrays, strings, numbers, booleans, null and Dates a decision is made of).
 */
export function canonical(value: unknown): string {
  if (value === undefined) return '{"$undefined":1}';
  if (value instanceof Date) return `{"$date":${JSON.stringify(Number.isNaN(value.getTime()) ? null : value.toISOString())}}`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return `{"$number":"${String(value)}"}`;
  return JSON.stringify(value);
}

/**
 * The digest of a decision as compared: whole but for ruleSetVersion (the scaled packs have
 * their own), or only the policy's fields (against the hand-written floor, which explains nothing).
 */
export function decisionDigest(decision: object, policyOnly = false): string {
  const fields = decision as Record<string, unknown>;
  const compared = policyOnly ? Object.fromEntries(POLICY_FIELDS.map((f) => [f, fields[f]])) : { ...fields, ruleSetVersion: '' };
  return createHash('sha1').update(canonical(compared)).digest('hex');
}

/** How many of `digests` (incident index → digest) differ from the reference's digest for that incident (a missing reference counts as different). */
export function countDifferences(reference: readonly string[], digests: Iterable<readonly [number, string]>): number {
  let different = 0;
  for (const [i, digest] of digests) if (reference[i] !== digest) different++;
  return different;
}
