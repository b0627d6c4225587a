/**
 * Static checks for threshold bands. For numeric facts compared with constants
 * (amount, outageMinutes, repeatIncidents30d), per category, among the rules that set the same
 * decision, it reports
 * - gaps: values between two bands that no rule of that decision covers while both neighbours do
 *   (severity for amount <= 1000 and for amount > 2000 leave 1000.01 to 2000.00 uncovered);
 * - overlaps: two rules with different params that cover the same values (SERIOUS for any
 *   PROPERTY_LOSS and URGENT above 5000 both apply from 5000.01 on).
 * Both are warnings, not errors: packs overlap on purpose (severity takes the highest level).
 * Pure: plain data in, plain data out.
 */
import { pointerJoin } from './rule-pack.errors';
import { isFactCondition, positiveValues, rootCategories } from './rule-conditions';
import { FACTS } from './facts';
import type { RuleDefinition } from './types';

/** Numeric facts and their resolution (facts.ts): amount in fen (0.01 yuan), the others whole numbers. */
export const BAND_FACTS: Record<string, { scale: number; decimals: number }> = Object.fromEntries(
  FACTS.declarations.filter((d) => d.type === 'number').map((d) => [d.name, { scale: 10 ** (d.decimals ?? 0), decimals: d.decimals ?? 0 }]),
);

export interface BandWarning {
  kind: 'gap' | 'overlap';
  /** The file and JSON pointer of the rule the warning is attached to (the later one). */
  file: string;
  pointer: string;
  fact: string;
  /** null: among rules limited to no category. */
  category: string | null;
  /** The decision, e.g. `severity`, `action POLICE_REPORT`, `notify SECURITY`. */
  decision: string;
  rules: string[];
  message: string;
}

/** Whole units (fen, minutes, incidents), both ends inclusive; `hi` may be Infinity. */
interface Interval {
  lo: number;
  hi: number;
}

type Coverage = Interval[] | 'unknown';

const FULL: Interval[] = [{ lo: 0, hi: Infinity }];

interface RuleInfo {
  name: string;
  file: string;
  pointer: string;
  categories: string[] | null;
  /** Root-level `equal`/`in` constraints on string facts other than category: fact → values. */
  scope: Map<string, Set<string>>;
  decisions: Array<{ key: string; label: string; params: string }>;
  conditions: unknown;
}

interface Member {
  rule: RuleInfo;
  coverage: Interval[];
  /** Does the rule compare the fact at all (else it covers every value)? */
  constrains: boolean;
  params: string;
}

/** Every gap and overlap of the pack's rules, in pack order of the rule they are attached to. */
export function checkBands(rules: ReadonlyArray<RuleDefinition & { file: string }>): BandWarning[] {
  const infos = describeRules(rules);
  const categories = [...new Set(infos.flatMap((r) => r.categories ?? []))];
  const keys = [...new Set(infos.flatMap((r) => r.decisions.map((d) => d.key)))];
  const warnings: BandWarning[] = [];
  const seen = new Set<string>();
  for (const fact of Object.keys(BAND_FACTS)) {
    for (const key of keys) {
      const candidates = infos.flatMap((rule) => {
        const decision = rule.decisions.find((d) => d.key === key);
        if (!decision) return [];
        const coverage = coverageOf(rule.conditions, fact);
        if (coverage === 'unknown') return [];
        const constrains = mentions(rule.conditions, fact);
        // A rule for any category that never reads the fact is about something else.
        if (!constrains && rule.categories === null) return [];
        return [{ rule, coverage, constrains, params: decision.params, label: decision.label }];
      });
      if (!candidates.some((c) => c.constrains)) continue;
      const label = candidates[0].label;
      const groups: Array<{ category: string | null; members: Member[] }> = [
        { category: null, members: candidates.filter((c) => c.rule.categories === null) },
        ...categories.map((category) => ({
          category,
          members: candidates.filter((c) => c.rule.categories === null || c.rule.categories.includes(category)),
        })),
      ];
      for (const { category, members } of groups) {
        if (!members.some((m) => m.constrains)) continue;
        for (const w of [...overlaps(members, fact, category, label), ...gaps(members, fact, category, label)]) {
          // Rules limited to no category are reported once, not once per category.
          if (category !== null && w.members.every((m) => m.rule.categories === null)) continue;
          const id = `${w.kind}|${category}|${fact}|${key}|${w.members.map((m) => m.rule.name).join('|')}`;
          if (seen.has(id)) continue;
          seen.add(id);
          const at = w.members[w.members.length - 1].rule;
          warnings.push({ kind: w.kind, file: at.file, pointer: at.pointer, fact, category, decision: label, rules: w.members.map((m) => m.rule.name), message: w.message });
        }
      }
    }
  }
  const order = new Map(infos.map((r, i) => [r.name, i]));
  return warnings.sort((a, b) => order.get(a.rules.at(-1)!)! - order.get(b.rules.at(-1)!)! || a.message.localeCompare(b.message));
}

/** One line per warning: `file:/pointer: message`. */
export function formatBandWarning(w: BandWarning): string {
  return `${w.file}:${w.pointer}: ${w.message}`;
}

function describeRules(rules: ReadonlyArray<RuleDefinition & { file: string }>): RuleInfo[] {
  const indexInFile = new Map<string, number>();
  return rules.map((rule) => {
    const index = indexInFile.get(rule.file) ?? 0;
    indexInFile.set(rule.file, index + 1);
    return {
      name: rule.name,
      file: rule.file,
      pointer: pointerJoin('', 'rules', index),
      categories: rootCategories(rule.conditions),
      scope: scopeOf(rule.conditions),
      decisions: decisionsOf(rule),
      conditions: rule.conditions,
    };
  });
}

/** What decision a rule's event sets, as a grouping key and the params that must agree. */
function decisionsOf(rule: RuleDefinition): RuleInfo['decisions'] {
  const e = rule.event as { type: string; params: Record<string, unknown> };
  const p = e.params ?? {};
  switch (e.type) {
    case 'severity': return [{ key: 'severity', label: 'severity', params: String(p.level) }];
    case 'escalate': return [{ key: 'escalate', label: 'escalate', params: String(p.levels) }];
    case 'owner': return [{ key: 'owner', label: 'owner', params: `${String(p.department)}#${String(p.rank ?? 0)}` }];
    case 'notify':
      return (Array.isArray(p.departments) ? p.departments : []).map((d) => ({ key: `notify:${String(d)}`, label: `notify ${String(d)}`, params: '' }));
    case 'action': return [{ key: `action:${String(p.code)}`, label: `action ${String(p.code)}`, params: JSON.stringify(p.due ?? null) }];
    case 'refundChain': return [{ key: 'refundChain', label: 'refund chain', params: `${JSON.stringify(p.steps)}#${String(p.rank ?? 0)}` }];
    case 'insertRefundStep': return [{ key: `insertRefundStep:${String(p.step)}`, label: `refund step ${String(p.step)}`, params: String(p.after) }];
    case 'remedies': return [{ key: 'remedies', label: 'remedies', params: `${JSON.stringify(p.kinds)}#${String(p.rank ?? 0)}` }];
    default: return [];
  }
}

/** Root `all` leaves `fact equal|in values` on facts other than category and the band facts. */
function scopeOf(conditions: unknown): Map<string, Set<string>> {
  const scope = new Map<string, Set<string>>();
  const all = (conditions as { all?: unknown[] } | null)?.all;
  if (!Array.isArray(all)) return scope;
  for (const leaf of all) {
    if (!isFactCondition(leaf) || leaf.fact === 'category' || leaf.fact in BAND_FACTS) continue;
    const values = positiveValues(leaf, leaf.fact);
    if (!values) continue;
    const kept = scope.get(leaf.fact);
    scope.set(leaf.fact, new Set(kept ? values.filter((v) => kept.has(v)) : values));
  }
  return scope;
}

/** Can both rules apply to one incident, as far as their root equal/in constraints tell? */
function compatible(a: RuleInfo, b: RuleInfo): boolean {
  for (const [fact, values] of a.scope) {
    const other = b.scope.get(fact);
    if (other && ![...values].some((v) => other.has(v))) return false;
  }
  return true;
}

function mentions(node: unknown, fact: string): boolean {
  if (!node || typeof node !== 'object') return false;
  if (isFactCondition(node)) return node.fact === fact || (typeof node.value === 'object' && node.value !== null && (node.value as { fact?: unknown }).fact === fact);
  return Object.values(node as Record<string, unknown>).some((child) => (Array.isArray(child) ? child.some((c) => mentions(c, fact)) : mentions(child, fact)));
}

/**
 * The values of `fact` for which the condition can hold: leaves on other facts may hold for
 * any value; `all` intersects, `any` unites, `not` of a leaf on the fact complements.
 * 'unknown' when the fact is read in a way this cannot follow (another operator, a fact reference).
 */
export function coverageOf(node: unknown, fact: string): Coverage {
  if (!node || typeof node !== 'object') return 'unknown';
  const n = node as Record<string, unknown>;
  if (Array.isArray(n.all)) return combine(n.all.map((c) => coverageOf(c, fact)), intersect, FULL);
  if (Array.isArray(n.any)) return combine(n.any.map((c) => coverageOf(c, fact)), unite, []);
  if ('not' in n) {
    if (!mentions(n.not, fact)) return FULL;
    if (!isFactCondition(n.not)) return 'unknown';
    const inner = coverageOf(n.not, fact);
    return inner === 'unknown' ? inner : complement(inner);
  }
  if (!isFactCondition(node)) return 'unknown';
  if (!mentions(node, fact)) return FULL;
  if (node.fact !== fact || node.path !== undefined || typeof node.value !== 'number') return 'unknown';
  return leafInterval(node.operator, node.value, BAND_FACTS[fact].scale);
}

function combine(parts: Coverage[], op: (a: Interval[], b: Interval[]) => Interval[], start: Interval[]): Coverage {
  if (parts.includes('unknown')) return 'unknown';
  return (parts as Interval[][]).reduce(op, start);
}

function leafInterval(operator: string, value: number, scale: number): Coverage {
  const raw = value * scale;
  const v = Math.abs(raw - Math.round(raw)) < 1e-6 ? Math.round(raw) : raw;
  const whole = Number.isInteger(v);
  switch (operator) {
    case 'greaterThan': return clip({ lo: Math.floor(v) + 1, hi: Infinity });
    case 'greaterThanInclusive': return clip({ lo: Math.ceil(v), hi: Infinity });
    case 'lessThan': return clip({ lo: 0, hi: whole ? v - 1 : Math.floor(v) });
    case 'lessThanInclusive': return clip({ lo: 0, hi: Math.floor(v) });
    case 'equal': return whole ? clip({ lo: v, hi: v }) : [];
    case 'notEqual': return whole ? complement(clip({ lo: v, hi: v })) : FULL;
    default: return 'unknown';
  }
}

function clip(i: Interval): Interval[] {
  const lo = Math.max(0, i.lo);
  return lo <= i.hi ? [{ lo, hi: i.hi }] : [];
}

function normalize(list: Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => a.lo - b.lo);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.lo <= last.hi + 1) last.hi = Math.max(last.hi, i.hi);
    else out.push({ ...i });
  }
  return out;
}

function unite(a: Interval[], b: Interval[]): Interval[] {
  return normalize([...a, ...b]);
}

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of a) for (const y of b) {
    const lo = Math.max(x.lo, y.lo);
    const hi = Math.min(x.hi, y.hi);
    if (lo <= hi) out.push({ lo, hi });
  }
  return normalize(out);
}

function complement(a: Interval[]): Interval[] {
  const out: Interval[] = [];
  let next = 0;
  for (const i of normalize(a)) {
    if (i.lo > next) out.push({ lo: next, hi: i.lo - 1 });
    next = i.hi + 1;
  }
  if (next !== Infinity) out.push({ lo: next, hi: Infinity });
  return out;
}

interface Found {
  kind: 'gap' | 'overlap';
  members: Member[];
  message: string;
}

function overlaps(members: Member[], fact: string, category: string | null, label: string): Found[] {
  const found: Found[] = [];
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const [a, b] = [members[i], members[j]];
      if (a.params === b.params || !(a.constrains || b.constrains) || !compatible(a.rule, b.rule)) continue;
      const common = intersect(a.coverage, b.coverage);
      if (common.length === 0) continue;
      found.push({
        kind: 'overlap',
        members: [a, b],
        message: `overlap: ${where(category)}${fact} ${ranges(common, fact)} is covered by two ${label} rules with different params: ` +
          `"${a.rule.name}" (${label}${paramsOf(a, label)}, ${span(a.coverage, fact)}) and "${b.rule.name}" (${label}${paramsOf(b, label)}, ${span(b.coverage, fact)})`,
      });
    }
  }
  return found;
}

function gaps(members: Member[], fact: string, category: string | null, label: string): Found[] {
  const union = normalize(members.flatMap((m) => m.coverage));
  const found: Found[] = [];
  for (let k = 1; k < union.length; k++) {
    const hole = { lo: union[k - 1].hi + 1, hi: union[k].lo - 1 };
    const left = members.filter((m) => m.coverage.some((i) => i.hi === hole.lo - 1));
    const right = members.filter((m) => m.coverage.some((i) => i.lo === hole.hi + 1));
    const pair = left.flatMap((l) => right.filter((r) => r !== l && compatible(l.rule, r.rule)).map((r) => [l, r] as const))[0];
    if (!pair) continue;
    const [l, r] = pair;
    found.push({
      kind: 'gap',
      members: [l, r],
      message: `gap: ${where(category)}no ${label} rule covers ${fact} ${ranges([hole], fact)}, between "${l.rule.name}" (${span(l.coverage, fact)}) and "${r.rule.name}" (${span(r.coverage, fact)})`,
    });
  }
  return found;
}

function where(category: string | null): string {
  return category === null ? 'for any category, ' : `for ${category}, `;
}

/** ` SERIOUS`, ` FINANCE`, ` {"hours":1}` (an action's own due), or nothing. */
function paramsOf(m: Member, label: string): string {
  const params = m.rule.decisions.find((d) => d.label === label)?.params;
  return !params || params === 'null' ? '' : ` ${params.split('#')[0]}`;
}

/** `any amount` or `amount 5000.01 and above`. */
function span(list: Interval[], fact: string): string {
  return list.length === 1 && list[0].lo === 0 && list[0].hi === Infinity ? `any ${fact}` : `${fact} ${ranges(list, fact)}`;
}

/** `5000.01 and above`, `up to 1000.00`, `1000.01 to 2000.00`, `31`. */
function ranges(list: Interval[], fact: string): string {
  const { scale, decimals } = BAND_FACTS[fact];
  const v = (x: number) => (x / scale).toFixed(decimals);
  return list.map((i) => {
    if (i.lo === 0 && i.hi === Infinity) return 'any value';
    if (i.hi === Infinity) return `${v(i.lo)} and above`;
    if (i.lo === 0) return `up to ${v(i.hi)}`;
    if (i.lo === i.hi) return v(i.lo);
    return `${v(i.lo)} to ${v(i.hi)}`;
  }).join(', ');
}
