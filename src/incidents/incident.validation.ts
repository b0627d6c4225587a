import type { Catalog, Facts } from '../rules/types';
import type { DecisionInput } from '../rules/rule-engine';
import { FactDeclaration, FACTS, FactRegistry, valueAt } from '../rules/facts';
import { badInput } from '../common/errors';
import { LIMITS, phone, text } from '../common/text-input';
import { AMOUNT_PATTERN, parseYuan } from '../money/money';
import type { ReportIncidentInput } from './incident.inputs';

/** A report after checking: exact amount in fen, codes known to the catalog, strings bounded. */
export interface NormalizedReport {
  source: string;
  externalRef: string;
  category: string;
  subtype: string | null;
  occurredAt: string | null;
  amountFen: bigint | null;
  propertyOwner: string | null;
  injured: boolean | null;
  outageMinutes: number | null;
  escalating: boolean | null;
  mediaAttention: boolean | null;
  legalThreat: boolean | null;
  channel: string | null;
  location: string | null;
  orderNo: string | null;
  description: string | null;
  customer: { id: string | null; name: string | null; phone: string | null; tier: string | null } | null;
  drill: boolean;
}

/** A code from a catalog list; the error lists the allowed codes. */
export function code(field: string, value: string | null, allowed: readonly string[], required = false): string | null {
  const v = text(field, value, LIMITS.code, required);
  if (v === null) return null;
  if (!allowed.includes(v)) throw badInput(field, `unknown code "${v}"; allowed: ${allowed.join(', ')}`, { allowed });
  return v;
}

/**
 * The catalog codes of a list filter (incidents, refunds, refund aggregates): an unknown one is
 * refused like in a report, with the allowed codes — it would otherwise match nothing, silently
 * (a typo reading as "no incidents"). The current pack's catalog is the reference.
 */
export function checkFilterCodes(filter: { category?: string[] | null; ownerDepartment?: string[] | null } | null | undefined, catalog: Catalog): void {
  filter?.category?.forEach((c, i) => code(`filter.category[${i}]`, c, Object.keys(catalog.categories), true));
  filter?.ownerDepartment?.forEach((d, i) => code(`filter.ownerDepartment[${i}]`, d, Object.keys(catalog.departments), true));
}

/** Exact money: a string like "5000.01" (a JSON number is refused: floats are not money). */
export function amount(field: string, value: unknown, required = false): bigint | null {
  if (value === undefined || value === null) {
    if (required) throw badInput(field, 'is required');
    return null;
  }
  if (typeof value !== 'string') throw badInput(field, 'must be a string of yuan such as "5000.01", not a number');
  if (!AMOUNT_PATTERN.test(value)) throw badInput(field, `"${value.slice(0, 40)}" is not an amount: up to 12 digits and 2 decimals, e.g. "5000.01"`);
  return parseYuan(value);
}

/**
 * One report fact's given value checked as its declaration says (facts.ts): the value the checked
 * report keeps (amounts in fen). `category` is the report's, for subtypes; codes need the
 * `catalog`, the other kinds do not. Throws BAD_USER_INPUT naming `field`.
 */
export function checkFact(d: FactDeclaration, field: string, value: unknown, catalog: Catalog | null, category: string | null): unknown {
  const input = d.input!;
  switch (input.kind) {
    case 'code': {
      if (!catalog) throw new Error(`fact ${d.name}: codes are checked against a catalog`);
      if (input.codes === 'categories') return code(field, value as string | null, Object.keys(catalog.categories), d.required);
      if (input.codes === 'factValues') return code(field, (value ?? null) as string | null, catalog.factValues[d.name] ?? []);
      if (value == null) return null;
      const subtypes = Object.keys(catalog.categories[category ?? '']?.subtypes ?? {});
      if (subtypes.length === 0) throw badInput(field, `category ${category} has no subtypes`, { allowed: [] });
      return code(field, value as string, subtypes);
    }
    case 'text':
      return text(field, value, input.max, d.required);
    case 'flag':
      if (value != null && typeof value !== 'boolean') throw badInput(field, 'must be true or false');
      return value ?? null;
    case 'wholeNumber':
      if (value != null && (!Number.isInteger(value) || (value as number) < 0)) throw badInput(field, `must be a whole number of ${input.unit}, 0 or more`);
      return value ?? null;
    case 'yuan':
      return amount(field, value, d.required);
  }
}

/**
 * The report facts of `input`, each checked as declared (facts.ts), in the registry's order:
 * fact name → the value the checked report keeps.
 */
export function checkReportFacts(input: object, catalog: Catalog, prefix = 'input', facts: FactRegistry = FACTS): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const { declaration, path } of facts.reportFields) {
    out.set(
      declaration.name,
      checkFact(declaration, `${prefix}.${path.join('.')}`, valueAt(input, path), catalog, (out.get('category') as string | undefined) ?? null),
    );
  }
  return out;
}

/** Checks a report against the active catalog. Throws BAD_USER_INPUT naming the field. */
export function normalizeReport(input: ReportIncidentInput, catalog: Catalog, prefix = 'input', facts: FactRegistry = FACTS): NormalizedReport {
  const f = (name: string) => `${prefix}.${name}`;
  const checked = checkReportFacts(input, catalog, prefix, facts);
  const fact = <T>(name: string) => checked.get(name) as T;
  const customer = input.customer
    ? {
        id: text(f('customer.id'), input.customer.id, LIMITS.customerId),
        name: text(f('customer.name'), input.customer.name, LIMITS.customerName),
        phone: phone(f('customer.phone'), input.customer.phone),
        tier: fact<string | null>('customerTier'),
      }
    : null;
  // The order of these keys is the stored report's and its hash's (replays compare it): facts
  // declared after these go at the end.
  const report: NormalizedReport = {
    source: identifier(f('source'), input.source, LIMITS.source),
    externalRef: reference(f('externalRef'), input.externalRef),
    category: fact('category'),
    subtype: fact('subtype'),
    occurredAt: input.occurredAt ? input.occurredAt.toISOString() : null,
    amountFen: fact('amount'),
    propertyOwner: fact('propertyOwner'),
    injured: fact('injured'),
    outageMinutes: fact('outageMinutes'),
    escalating: fact('escalating'),
    mediaAttention: fact('mediaAttention'),
    legalThreat: fact('legalThreat'),
    channel: fact('channel'),
    location: text(f('location'), input.location, LIMITS.location),
    orderNo: text(f('orderNo'), input.orderNo, LIMITS.orderNo),
    description: text(f('description'), input.description, LIMITS.description),
    customer,
    drill: input.drill ?? false,
  };
  for (const { declaration, storedPath } of facts.reportFields) {
    if (storedPath.length === 1 && !(storedPath[0] in report)) (report as unknown as Record<string, unknown>)[storedPath[0]] = checked.get(declaration.name);
  }
  return report;
}

/** An ERP/CRM reference: any text, but no surrounding spaces (MySQL would ignore trailing ones in the key). */
function reference(field: string, value: unknown): string {
  const v = text(field, value, LIMITS.externalRef, true)!;
  if (v.trim() !== v) throw badInput(field, 'must not start or end with spaces');
  return v;
}

function identifier(field: string, value: unknown, max: number): string {
  const v = text(field, value, max, true)!;
  if (!/^[\w.:-]+$/.test(v)) throw badInput(field, 'use letters, digits and . _ : - only');
  return v;
}

/** The facts the rules read, from a checked report. */
export function factsOf(r: NormalizedReport): Facts {
  return FACTS.ofReport(r);
}

/**
 * What the rules decide a checked report on: its facts, the customer, when it was reported, and
 * when it happened (evidence retention counts from it). Every caller that decides a report — the
 * API, its fallback decision, `rules explain` — builds it here, so they decide alike.
 */
export function decisionInputOf(r: NormalizedReport, reportedAt: Date, customerId: string | null = r.customer?.id ?? null): DecisionInput {
  // Object.assign, not a spread: keys added after a spread cost microseconds each (every report makes one).
  return Object.assign({}, factsOf(r), { customerId, reportedAt, occurredAt: r.occurredAt ? new Date(r.occurredAt) : null });
}
