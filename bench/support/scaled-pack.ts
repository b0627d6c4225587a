/**
 * The shipped pack with `factor`× its rules, for measuring how decision cost grows with rule
 * count. Copy k of each rule (k = 1 … factor-1) only ever fires for synthetic categories
 * (`X{k}_{CATEGORY}`, added to the catalog), so the real incidents decide exactly as on the
 * shipped pack: the extra rules are the "rules for categories that do not match".
 */
import type { RulePack } from '../../src/rules/types';

type Conditions = Record<string, unknown>;

/** `pack` with every rule copied `factor - 1` more times, each copy limited to synthetic categories. */
export function scaledPack(pack: RulePack, factor: number): RulePack {
  if (factor <= 1) return pack;
  const categories = { ...pack.catalog.categories };
  const rules = [...pack.rules];
  for (let k = 1; k < factor; k++) {
    const synthetic = (code: string) => `X${k}_${code}`;
    for (const [code, category] of Object.entries(pack.catalog.categories)) {
      categories[synthetic(code)] = { ...category, label: `${category.label} (synthetic ${k})` };
    }
    categories[synthetic('ANY')] = { label: `synthetic ${k}`, subtypes: {} };
    for (const rule of pack.rules) {
      rules.push({ ...rule, name: `${rule.name}--x${k}`, conditions: limitToSynthetic(rule.conditions, synthetic) });
    }
  }
  return {
    ...pack,
    catalog: { ...pack.catalog, categories },
    rules,
    version: `${pack.version}×${factor}`,
  };
}

/**
 * A rule whose root `all` names categories gets them renamed (same shape, same cost); any other
 * rule is wrapped in `all: [category equal X{k}_ANY, <its conditions>]`.
 */
function limitToSynthetic(conditions: Conditions, synthetic: (code: string) => string): Conditions {
  const all = conditions.all;
  if (Array.isArray(all) && all.some(isCategoryLeaf)) {
    return {
      ...conditions,
      all: all.map((leaf) => {
        if (!isCategoryLeaf(leaf)) return leaf;
        const value = (leaf as { value: unknown }).value;
        return { ...leaf, value: Array.isArray(value) ? value.map((v) => synthetic(String(v))) : synthetic(String(value)) };
      }),
    };
  }
  return { all: [{ fact: 'category', operator: 'equal', value: synthetic('ANY') }, conditions] };
}

function isCategoryLeaf(node: unknown): boolean {
  const leaf = node as { fact?: unknown; operator?: unknown };
  return leaf?.fact === 'category' && (leaf.operator === 'equal' || leaf.operator === 'in');
}
