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
