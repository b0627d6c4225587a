import crypto from 'node:crypto';

export interface LoadFigures {
  sent: number;
  acknowledged: number;
  /** Answers that were not an acknowledgement, by HTTP status and error code. */
  refused: Record<string, number>;
  serverErrors: number;
  /** externalRefs the service acknowledged (answered with an incident). */
  acked: string[];
}

const CATEGORIES: Array<Record<string, unknown>> = [
  { category: 'OVERCHARGE', amount: '35.50' },
  { category: 'PAYMENT_FAULT', subtype: 'NO_ORDER_ISSUED', amount: '120.00' },
  { category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: '6200.00' },
  { category: 'ONSITE_EMERGENCY', subtype: 'FIRE' },
  { category: 'SYSTEM_FAILURE', subtype: 'HOTLINE', outageMinutes: 45 },
  { category: 'SERVICE', subtype: 'ATTITUDE', customer: { id: 'C-LOAD-1' } },
];

export const REPORT = `mutation($input: ReportIncidentInput!) { reportIncident(input: $input) { created incident { id externalRef severity } } }`;

export async function gql(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15000),
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = { raw: text };
  }
  return { status: res.status, body };
}

/**
 * Sends reportIncident mutations from `connections` concurrent loops until `until()` says
 * stop. Every externalRef is unique; an acknowledgement is an answer with the incident.
 */
export async function reportLoad(
  url: () => string,
  key: string,
  connections: number,
  until: () => boolean,
  prefix = crypto.randomBytes(3).toString('hex'),
): Promise<LoadFigures> {
  const f: LoadFigures = { sent: 0, acknowledged: 0, refused: {}, serverErrors: 0, acked: [] };
  let n = 0;
  const loop = async () => {
    while (!until()) {
      const externalRef = `LOAD-${prefix}-${++n}`;
      const input = { source: 'erp', externalRef, ...CATEGORIES[n % CATEGORIES.length] };
      f.sent += 1;
      try {
        const { status, body } = await gql(url(), key, REPORT, { input });
        if (status >= 500) f.serverErrors += 1;
        const incident = body?.data?.reportIncident?.incident;
        if (status === 200 && incident?.externalRef === externalRef) {
          f.acknowledged += 1;
          f.acked.push(externalRef);
        } else {
          const k = `${status} ${body?.errors?.[0]?.extensions?.code ?? 'no-code'}`;
          f.refused[k] = (f.refused[k] ?? 0) + 1;
        }
      } catch (e) {
        const k = `network ${(e as Error).name}`;
        f.refused[k] = (f.refused[k] ?? 0) + 1;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  return f;
}

/** How many times each acknowledged externalRef is stored: lost (0) and duplicated (> 1). */
export function reconcile(acked: string[], stored: Map<string, number>) {
  let found = 0;
  let lost = 0;
  let duplicated = 0;
  for (const ref of acked) {
    const n = stored.get(ref) ?? 0;
    if (n === 0) lost += 1;
    else found += 1;
    if (n > 1) duplicated += 1;
  }
  return { found, lost, duplicated };
}

export function printFigures(name: string, f: LoadFigures, r: { found: number; lost: number; duplicated: number }, extra = '') {
  // The figures the README's Reliability section quotes.
  console.log(
    `[fault] ${name}: sent ${f.sent}, acknowledged ${f.acknowledged}, found in database ${r.found}, lost ${r.lost}, duplicated ${r.duplicated}, 5xx ${f.serverErrors}, refused ${JSON.stringify(f.refused)}${extra ? `, ${extra}` : ''}`,
  );
}
