/** Rendering a rule's reason template: `{{fact}}` is replaced by the fact's value. Pure. */
import { constant, literal } from './generated-code';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** A fact value as a reason shows it: numbers as the input gave them (5000.01), null as empty. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

/** Replaces every `{{fact}}` in `template` with `facts[fact]`. */
export function renderTemplate(template: string, facts: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (_m, fact: string) => show(facts[fact]));
}

/** The rule's reason in every language it has, rendered; undefined when the rule has none. */
export function renderReason(reason: { zh?: string; en?: string } | undefined, facts: Record<string, unknown>): { zh?: string; en?: string } | undefined {
  if (!reason) return undefined;
  const out: { zh?: string; en?: string } = {};
  if (reason.zh !== undefined) out.zh = renderTemplate(reason.zh, facts);
  if (reason.en !== undefined) out.en = renderTemplate(reason.en, facts);
  return out;
}

/**
 * `renderTemplate` as a JavaScript expression over `f` (the facts), for generated code: the
 * template split at its placeholders, its texts as string literals joined with each fact's
 * `show` (a constant, `c[i]`, added to `constants`). Same output: replace() and matchAll() find
 * the same non-overlapping matches, and a concatenation is the same string however grouped.
 */
export function templateSource(template: string, constants: unknown[]): string {
  const parts: string[] = [];
  let shown: string | null = null;
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    shown ??= constant(constants, show);
    parts.push(literal(constants, template.slice(last, match.index)), `${shown}(f[${JSON.stringify(match[1])}])`);
    last = match.index! + match[0].length;
  }
  parts.push(literal(constants, template.slice(last)));
  return parts.join(' + ');
}

/**
 * `renderReason` as an expression over `f` (as templateSource): `undefined` when the rule has
 * no reason, else an object of renderReason's keys in its order. A reason without placeholders
 * renders the same every time: it is one frozen object made here and shared by every evaluation
 * (as the rule's frozen event is); one with placeholders is a literal made afresh each time.
 */
export function reasonSource(reason: { zh?: string; en?: string } | undefined, constants: unknown[]): string {
  if (!reason) return 'undefined';
  const { zh, en } = reason;
  if (reasonFacts(reason).length === 0) {
    const fixed: { zh?: string; en?: string } = {};
    if (zh !== undefined) fixed.zh = zh;
    if (en !== undefined) fixed.en = en;
    return constant(constants, Object.freeze(fixed));
  }
  const keys: string[] = [];
  if (zh !== undefined) keys.push(`zh: ${templateSource(zh, constants)}`);
  if (en !== undefined) keys.push(`en: ${templateSource(en, constants)}`);
  return `{ ${keys.join(', ')} }`;
}

/** The facts a reason's templates name, in every language it has. */
export function reasonFacts(reason: { zh?: string; en?: string } | undefined): string[] {
  const names: string[] = [];
  for (const template of [reason?.zh, reason?.en]) {
    if (template !== undefined) for (const match of template.matchAll(PLACEHOLDER)) names.push(match[1]);
  }
  return names;
}
