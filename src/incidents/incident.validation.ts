import type { Catalog, Facts } from '../rules/types';
import { badInput } from '../common/errors';
import { LIMITS, phone, text } from '../common/text-input';
import { AMOUNT_PATTERN, fenToNumber, parseYuan } from '../money/money';
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

/** Checks a report against the active catalog. Throws BAD_USER_INPUT naming the field. */
export function normalizeReport(input: ReportIncidentInput, catalog: Catalog, prefix = 'input'): NormalizedReport {
  const f = (name: string) => `${prefix}.${name}`;
  const categories = Object.keys(catalog.categories);
  const category = code(f('category'), input.category, categories, true)!;
  const subtypes = Object.keys(catalog.categories[category].subtypes);
  const subtype =
    input.subtype == null
      ? null
      : subtypes.length === 0
        ? (() => {
            throw badInput(f('subtype'), `category ${category} has no subtypes`, { allowed: [] });
          })()
        : code(f('subtype'), input.subtype, subtypes);
  const ownerValues = catalog.factValues.propertyOwner ?? [];
  if (input.outageMinutes != null && (!Number.isInteger(input.outageMinutes) || input.outageMinutes < 0)) {
    throw badInput(f('outageMinutes'), 'must be a whole number of minutes, 0 or more');
  }
  const customer = input.customer
    ? {
        id: text(f('customer.id'), input.customer.id, LIMITS.customerId),
        name: text(f('customer.name'), input.customer.name, LIMITS.customerName),
        phone: phone(f('customer.phone'), input.customer.phone),
        tier: text(f('customer.tier'), input.customer.tier, LIMITS.tier),
      }
    : null;
  return {
    source: identifier(f('source'), input.source, LIMITS.source),
    externalRef: reference(f('externalRef'), input.externalRef),
    category,
    subtype,
    occurredAt: input.occurredAt ? input.occurredAt.toISOString() : null,
    amountFen: amount(f('amount'), input.amount),
    propertyOwner: code(f('propertyOwner'), input.propertyOwner ?? null, ownerValues),
    injured: input.injured ?? null,
    outageMinutes: input.outageMinutes ?? null,
    escalating: input.escalating ?? null,
    mediaAttention: input.mediaAttention ?? null,
    legalThreat: input.legalThreat ?? null,
    channel: text(f('channel'), input.channel, LIMITS.channel),
    location: text(f('location'), input.location, LIMITS.location),
    orderNo: text(f('orderNo'), input.orderNo, LIMITS.orderNo),
    description: text(f('description'), input.description, LIMITS.description),
    customer,
    drill: input.drill ?? false,
  };
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
  return {
    category: r.category,
    subtype: r.subtype,
    amount: r.amountFen === null ? null : fenToNumber(r.amountFen),
    propertyOwner: r.propertyOwner,
    injured: r.injured,
    outageMinutes: r.outageMinutes,
    escalating: r.escalating,
    mediaAttention: r.mediaAttention,
    legalThreat: r.legalThreat,
    channel: r.channel,
    customerTier: r.customer?.tier ?? null,
  };
}
