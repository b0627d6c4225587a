/**
 * The write bench's other mutations — amendIncident, completeAction, decideRefundStep,
 * advanceRemedy — each acting on a subject of its own (an incident, a refund at its first
 * step, a remedy at its first step) prepared before the measured runs, so no request meets
 * another's change and none fails for a conflict. Shared by the bench driver (seeding,
 * requests, counting) and nothing else: the ceiling reads what it needs from the rows.
 */

/** The mutations of this module; `report` (reportIncident) is the bench's first path. */
export const FLOWS = ['amend', 'complete', 'refund', 'remedy'] as const;
export type Flow = (typeof FLOWS)[number];
export const PATHS = ['report', ...FLOWS] as const;
export type BenchPath = (typeof PATHS)[number];

/** One prepared subject: what its request names. */
export interface Subject {
  id: string;
  /** The step (refund, remedy) or action code (complete) it is at. */
  at?: string;
}

type Gql = (key: string, query: string, variables: Record<string, unknown>) => Promise<Record<string, any>>;

export interface FlowSpec {
  /** The role of the key that sends the mutation (an API key, as the e2e tests call it). */
  role: string;
  /** The mutation's name: in every acknowledged answer. */
  field: string;
  /** Prepares subject `n` through the service's own GraphQL (reportIncident, then requestRefund or startRemedy). */
  seed(gql: Gql, keys: Record<string, string>, n: number): Promise<Subject>;
  /** The request body acting on one subject. */
  body(s: Subject): string;
  /** The rows each acknowledged request writes, one each: its history entry. */
  written: { table: string; kind: string };
  /** What the ceiling line says it sends. */
  ceiling: string;
}

const REPORT = `mutation($input: ReportIncidentInput!) { reportIncident(input: $input) { incident { id actions { code } } } }`;

async function report(gql: Gql, keys: Record<string, string>, n: number, input: Record<string, unknown>) {
  const data = await gql(keys.INTEGRATION, REPORT, { input: { source: 'erp', externalRef: `flow-${n}`, orderNo: `SO-F-${n}`, ...input } });
  return data.reportIncident.incident as { id: string; actions: Array<{ code: string }> };
}

const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

/** The answer each asks for: what the ceiling reads back after its transaction. */
export const FLOW_SPECS: Record<Flow, FlowSpec> = {
  amend: {
    role: 'INTEGRATION',
    field: 'amendIncident',
    // A customer named, so the amendment reads the repeat count as of the report.
    seed: async (gql, keys, n) => ({
      id: (await report(gql, keys, n, { category: 'OVERCHARGE', amount: '20.00', channel: 'HOTLINE', customer: { id: `C-${n % 3000}`, name: '张三' } })).id,
    }),
    body: (s) =>
      body(`mutation($i: AmendIncidentInput!) { amendIncident(input: $i) { id version } }`, {
        i: { id: s.id, amount: '25.00', note: '金额更正' },
      }),
    written: { table: 'incident_events', kind: 'AMENDED' },
    ceiling:
      'incident (locked), refunds total, repeat count, actions, clock, last decision, REPORTED event; 2 decisions, history, incident, outbox, rollup, actions',
  },
  complete: {
    role: 'AGENT',
    field: 'completeAction',
    seed: async (gql, keys, n) => {
      const incident = await report(gql, keys, n, { category: 'OVERCHARGE', amount: '20.00', channel: 'HOTLINE' });
      return { id: incident.id, at: incident.actions[0].code };
    },
    body: (s) => body(`mutation($id: ID!, $code: String!) { completeAction(incidentId: $id, code: $code) { id version } }`, { id: s.id, code: s.at }),
    written: { table: 'incident_events', kind: 'ACTION_COMPLETED' },
    ceiling: 'incident (locked), actions; action, breaches, history, incident version, actions',
  },
  refund: {
    role: 'CASHIER',
    field: 'decideRefundStep',
    seed: async (gql, keys, n) => {
      const incident = await report(gql, keys, n, { category: 'OVERCHARGE', amount: '200.00', channel: 'HOTLINE' });
      const data = await gql(keys.AGENT, `mutation($input: RequestRefundInput!) { requestRefund(input: $input) { id currentStep } }`, {
        input: { incidentId: incident.id, amount: '20.00', method: 'ORIGINAL_PAYMENT' },
      });
      return { id: data.requestRefund.id, at: data.requestRefund.currentStep };
    },
    body: (s) =>
      body(`mutation($i: DecideRefundStepInput!) { decideRefundStep(input: $i) { id currentStep version } }`, {
        i: { refundId: s.id, step: s.at, decision: 'APPROVE' },
      }),
    written: { table: 'refund_transitions', kind: 'APPROVED' },
    ceiling: 'refund; lock, refund + steps; refund, step, next step, history, refund + steps, outbox, pending step',
  },
  remedy: {
    role: 'TECH',
    field: 'advanceRemedy',
    seed: async (gql, keys, n) => {
      const incident = await report(gql, keys, n, { category: 'PRODUCT_QUALITY', subtype: 'MINOR_MALFUNCTION' });
      const data = await gql(keys.AGENT, `mutation($input: StartRemedyInput!) { startRemedy(input: $input) { id currentStep } }`, {
        input: { incidentId: incident.id, kind: 'REPAIR', orderNo: `SO-F-${n}`, items: '电水壶 x1' },
      });
      return { id: data.startRemedy.id, at: data.startRemedy.currentStep };
    },
    body: (s) => body(`mutation($i: AdvanceRemedyInput!) { advanceRemedy(input: $i) { id currentStep version } }`, { i: { remedyId: s.id, step: s.at } }),
    written: { table: 'remedy_transitions', kind: 'ADVANCED' },
    ceiling: 'remedy; lock, remedy + steps; remedy, step, next step, history, remedy + steps, outbox',
  },
};

/** The roles the flows' keys need (one key each), and the INTEGRATION key that reports. */
export const FLOW_ROLES = ['INTEGRATION', 'AGENT', 'CASHIER', 'TECH'] as const;
