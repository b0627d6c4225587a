/**
 * A fixed, seeded mix of realistic incidents for the decision benchmarks: every category and
 * subtype, amounts clustered on the policy's boundaries (5000, 50000), outages around 30
 * minutes, a few flags, repeat customers, and report times over ten weeks that include
 * weekends and the National Day holidays. Same seed, same mix, on every machine.
 */
import type { DecisionInput, DynamicFacts } from '../../src/rules/rule-engine';
import type { Catalog } from '../../src/rules/types';

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONEY = new Set(['OVERCHARGE', 'PAYMENT_FAULT', 'PRODUCT_QUALITY', 'LOGISTICS', 'ORDER_ERROR', 'PROPERTY_LOSS']);
const BOUNDARY_AMOUNTS = [0, 0.01, 4999.99, 5000, 5000.01, 49999.99, 50000, 50000.01, 999999.99];
const OUTAGES = [5, 15, 29, 30, 31, 45, 90, 240];
/** Monday 2026-09-14 00:00 in Shanghai; ten weeks on, National Day (Oct 1–7) included. */
const FIRST_REPORT = Date.UTC(2026, 8, 13, 16);
const SPAN_MINUTES = 70 * 24 * 60;
const CUSTOMERS = 500;

export interface IncidentMix {
  inputs: DecisionInput[];
  /** repeatIncidents30d as the database would answer it (in memory, asynchronously). */
  dynamicFacts: DynamicFacts;
}

/** `count` incidents over the catalog's categories, seeded. */
export function incidentMix(catalog: Pick<Catalog, 'categories'>, count = 10_000, seed = 7): IncidentMix {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number) => rand() < p;
  const categories = Object.keys(catalog.categories);
  const repeats = new Map<string, number>();
  for (let c = 0; c < CUSTOMERS; c++) repeats.set(`C-${c}`, chance(0.8) ? 0 : 1 + Math.floor(rand() * 5));

  const inputs = Array.from({ length: count }, (): DecisionInput => {
    const category = pick(categories);
    const subtypes = Object.keys(catalog.categories[category].subtypes);
    const money = MONEY.has(category);
    const amount = money || chance(0.2) ? (chance(0.4) ? pick(BOUNDARY_AMOUNTS) : Math.round(Math.exp(rand() * Math.log(200_000)) * 100) / 100) : null;
    return {
      category,
      subtype: subtypes.length ? pick(subtypes) : null,
      amount,
      propertyOwner: category === 'PROPERTY_LOSS' && chance(0.9) ? pick(['COMPANY', 'CUSTOMER']) : null,
      injured: category === 'PERSONAL_SAFETY' ? chance(0.5) : category === 'ONSITE_EMERGENCY' ? chance(0.2) : chance(0.02) || null,
      outageMinutes: category === 'SYSTEM_FAILURE' ? pick(OUTAGES) : null,
      escalating: category === 'AGITATED_CUSTOMER' ? chance(0.4) : chance(0.05) || null,
      mediaAttention: chance(0.03),
      legalThreat: chance(0.05),
      channel: pick(['PHONE', 'APP', 'STORE', 'WECHAT']),
      customerTier: chance(0.1) ? 'VIP' : 'REGULAR',
      customerId: chance(0.85) ? `C-${Math.floor(rand() * CUSTOMERS)}` : null,
      reportedAt: new Date(FIRST_REPORT + Math.floor(rand() * SPAN_MINUTES) * 60_000),
    };
  });
  const dynamicFacts: DynamicFacts = { repeatIncidents30d: async (customerId) => repeats.get(customerId) ?? 0 };
  return { inputs, dynamicFacts };
}
