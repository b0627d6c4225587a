/** Small pieces the pack's meaning checks share. Pure. */
import { FACT_TYPES, FactType, STAGE_ONE_FACTS } from './facts';

/** One parsed pack file: its path relative to the pack directory and its JSON. */
export interface PackFile {
  file: string;
  data: unknown;
}

/** json-rules-engine's built-in operators, the only ones a pack may use. */
const DURATION_KEYS = ['immediate', 'minutes', 'hours', 'workingHours', 'workingDays', 'afterResolution'];

/** Records one problem at a JSON pointer. */
export type Add = (pointer: string, message: string) => void;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const keysOf = (v: unknown): string[] => (isObject(v) ? Object.keys(v) : []);
export const list = (xs: readonly string[]) => xs.join(', ');

/** What is wrong with a Duration, or null when it is valid (exactly one known key). */
export function durationProblem(d: unknown): string | null {
  if (!isObject(d)) return 'a duration must be an object such as { "hours": 1 }';
  const keys = Object.keys(d);
  if (keys.length !== 1) return `a duration has exactly one of ${list(DURATION_KEYS)}; found ${keys.length ? list(keys) : 'none'}`;
  const [key] = keys;
  const value = d[key];
  if (!DURATION_KEYS.includes(key)) return `unknown duration unit "${key}"; one of ${list(DURATION_KEYS)}`;
  if (key === 'immediate' || key === 'afterResolution') return value === true ? null : `${key} must be true`;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return `${key} must be a number above 0`;
  return null;
}


// The facts and their types are declared in facts.ts.
export { FACT_TYPES, STAGE_ONE_FACTS };
export type { FactType };

/** Codes the rules may use, read defensively from a possibly malformed catalog. */
export interface CatalogCodes {
  categories: Map<string, string[]>;
  subtypes: Set<string>;
  departments: string[];
  actions: string[];
  refundSteps: string[];
  remedyKinds: string[];
  factValues: Record<string, string[]>;
}

export function codesOf(catalog: unknown): CatalogCodes {
  const c = isObject(catalog) ? catalog : {};
  const categories = new Map<string, string[]>();
  for (const [code, cat] of Object.entries(isObject(c.categories) ? c.categories : {})) {
    categories.set(code, keysOf(isObject(cat) ? cat.subtypes : undefined));
  }
  const factValues: Record<string, string[]> = {};
  for (const [fact, values] of Object.entries(isObject(c.factValues) ? c.factValues : {})) {
    if (Array.isArray(values)) factValues[fact] = values.filter((v): v is string => typeof v === 'string');
  }
  return {
    categories,
    subtypes: new Set([...categories.values()].flat()),
    departments: keysOf(c.departments),
    actions: keysOf(c.actions),
    refundSteps: keysOf(c.refundSteps),
    remedyKinds: keysOf(c.remedyKinds),
    factValues,
  };
}

