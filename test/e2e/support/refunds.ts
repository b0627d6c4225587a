import { Harness, REPORT, ref } from './harness';

/** The fields of Refund the refund tests read. */
export const REFUND_FIELDS = `
  id refundNo amount method status currentStep attempt version requestedBy requestedAt paidAt completedAt
  orderNo bank phone chain drill category overdue returnReason cancelReason incidentId
  steps { step status actor comment decidedAt dueAt attempt position role approval overdue late pendingSince }
  history { kind fromStatus toStatus step decision actor attempt comment }
`;

export const REQUEST = `mutation($input: RequestRefundInput!) { requestRefund(input: $input) { ${REFUND_FIELDS} } }`;
export const DECIDE = `mutation($input: DecideRefundStepInput!) { decideRefundStep(input: $input) { ${REFUND_FIELDS} } }`;
export const RESUBMIT = `mutation($id: ID!, $comment: String) { resubmitRefund(refundId: $id, comment: $comment) { ${REFUND_FIELDS} } }`;
export const CANCEL = `mutation($id: ID!, $reason: String!) { cancelRefund(refundId: $id, reason: $reason) { ${REFUND_FIELDS} } }`;
export const GET = `query($id: ID!) { refund(id: $id) { ${REFUND_FIELDS} } }`;

export const STANDARD_CHAIN = ['CASHIER_CHECK', 'ACCOUNTANT_REVIEW', 'FINANCE_DIRECTOR_APPROVAL', 'PAYOUT', 'CUSTOMER_NOTIFIED'];

/** Helpers bound to one harness. */
export function refundKit(h: Harness) {
  /** Reports an incident (AGENT, source erp) and returns its id. */
  async function incident(input: Record<string, unknown>, key = h.keys.AGENT): Promise<string> {
    const res = await h.gql(key, REPORT, { input: { source: 'erp', externalRef: ref('RF'), ...input } });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.reportIncident.incident.id;
  }

  async function request(key: string, input: Record<string, unknown>) {
    return h.gql(key, REQUEST, { input: { method: 'ORIGINAL_PAYMENT', ...input } });
  }

  /** Requests a refund that must succeed; returns it. */
  async function requested(incidentId: string, amount: string, key = h.keys.AGENT, extra: Record<string, unknown> = {}) {
    const res = await request(key, { incidentId, amount, ...extra });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.requestRefund;
  }

  async function decide(key: string, refundId: string, step: string, extra: Record<string, unknown> = {}) {
    return h.gql(key, DECIDE, { input: { refundId, step, decision: 'APPROVE', ...extra } });
  }

  /** A decision that must succeed; returns the refund after it. */
  async function approved(key: string, refundId: string, step: string, extra: Record<string, unknown> = {}) {
    const res = await decide(key, refundId, step, extra);
    if (res.errors) throw new Error(`${step}: ${JSON.stringify(res.errors)}`);
    return res.data.decideRefundStep;
  }

  async function get(refundId: string, key = h.keys.ADMIN) {
    return (await h.gql(key, GET, { id: refundId })).data.refund;
  }

  /** A refusal: the error code (and field), and the refund left exactly as it was. */
  async function refused(res: { data?: any; errors?: any[] }, code: string, before: { id: string; version: number }, field?: string) {
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
    if (field) expect(res.errors![0].extensions.field).toBe(field);
    const after = await get(before.id);
    expect(after.version).toBe(before.version);
    return after;
  }

  return { incident, request, requested, decide, approved, get, refused };
}
