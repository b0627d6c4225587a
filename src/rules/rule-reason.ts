/** Rendering a rule's reason template: `{{fact}}` is replaced by the fact's value. Pure. */

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
 * `renderTemplate` prepared once: the template split at its placeholders, so rendering is a
 * join (same output: replace() and matchAll() find the same non-overlapping matches).
 */
export function compileTemplate(template: string): (facts: Record<string, unknown>) => string {
  const texts: string[] = [];
  const facts: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    texts.push(template.slice(last, match.index));
    facts.push(match[1]);
    last = match.index! + match[0].length;
  }
  const tail = template.slice(last);
  if (facts.length === 0) return () => tail;
  if (facts.length === 1) {
    const [head] = texts;
    const [fact] = facts;
    return (values) => head + show(values[fact]) + tail;
  }
  return (values) => {
    let out = '';
    for (let i = 0; i < facts.length; i++) out += texts[i] + show(values[facts[i]]);
    return out + tail;
  };
}

/** `renderReason` prepared once per rule: one object literal per shape (its keys in renderReason's order). */
export function compileReason(reason: { zh?: string; en?: string } | undefined): (facts: Record<string, unknown>) => { zh?: string; en?: string } | undefined {
  if (!reason) return () => undefined;
  const zh = reason.zh !== undefined ? compileTemplate(reason.zh) : null;
  const en = reason.en !== undefined ? compileTemplate(reason.en) : null;
  if (zh && en) return (facts) => ({ zh: zh(facts), en: en(facts) });
  if (zh) return (facts) => ({ zh: zh(facts) });
  if (en) return (facts) => ({ en: en(facts) });
  return () => ({});
}
