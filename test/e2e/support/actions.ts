import type { Harness } from './harness';

const OPEN_ACTIONS = 'query($id: ID!) { incident(id: $id) { actions { code status } } }';
const WAIVE = 'mutation($id: ID!, $code: String!, $reason: String!) { waiveAction(incidentId: $id, code: $code, reason: $reason) { version } }';

/**
 * Waives (CS_LEAD) every open action of an incident — those counted from the resolution too
 * when `all` — so that a test about something else may resolve or close it: the closing guard
 * holds an incident with open actions. Returns the codes waived.
 */
export async function waiveOpenActions(h: Harness, id: string, { all = false } = {}): Promise<string[]> {
  const res = await h.gql(h.keys.ADMIN, OPEN_ACTIONS, { id });
  const open: string[] = res.data.incident.actions
    .filter((a: { code: string; status: string }) => a.status === 'OPEN' && (all || a.code !== 'SATISFACTION_SURVEY'))
    .map((a: { code: string }) => a.code);
  for (const code of open) {
    const w = await h.gql(h.keys.CS_LEAD, WAIVE, { id, code, reason: 'not what this test is about' });
    if (w.errors) throw new Error(`waiving ${code} of incident ${id}: ${JSON.stringify(w.errors)}`);
  }
  return open;
}
