/** What changed between two rule pack versions, from their stored files. Pure. */
export interface RuleSetChanges {
  added: string[];
  removed: string[];
  changed: string[];
  catalogChanged: boolean;
}

interface NamedRule {
  name: string;
  [k: string]: unknown;
}

/** Every rule of a pack's files by name, as canonical JSON. Files without a `rules` array are not rule files. */
export function rulesOf(files: Record<string, string>): Map<string, string> {
  const rules = new Map<string, string>();
  for (const content of Object.values(files)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      continue;
    }
    const list = (parsed as { rules?: unknown }).rules;
    if (!Array.isArray(list)) continue;
    for (const r of list as NamedRule[]) if (r && typeof r.name === 'string') rules.set(r.name, canonical(r));
  }
  return rules;
}

function catalogOf(files: Record<string, string>): string | undefined {
  const entry = Object.entries(files).find(([f]) => f.endsWith('catalog.json'));
  if (!entry) return undefined;
  try {
    const { $schema: _ignored, ...rest } = JSON.parse(entry[1]) as Record<string, unknown>;
    return canonical(rest);
  } catch {
    return entry[1];
  }
}

/** JSON with keys sorted, so formatting and key order are not changes. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

export function diffRuleSets(previous: Record<string, string> | null, current: Record<string, string>): RuleSetChanges {
  const before = previous ? rulesOf(previous) : new Map<string, string>();
  const after = rulesOf(current);
  return {
    added: [...after.keys()].filter((n) => !before.has(n)).sort(),
    removed: [...before.keys()].filter((n) => !after.has(n)).sort(),
    changed: [...after.keys()].filter((n) => before.has(n) && before.get(n) !== after.get(n)).sort(),
    catalogChanged: previous ? catalogOf(previous) !== catalogOf(current) : true,
  };
}
