import request from 'supertest';
import type { Harness } from './harness';

/** POST /graphql with a bearer token and, when given, X-Triage-Employee; the status and body. */
export async function gqlAs(h: Harness, token: string, employeeNo: string | null, query: string, variables?: Record<string, unknown>) {
  const req = request(h.app.server).post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${token}`);
  if (employeeNo !== null) req.set('x-triage-employee', employeeNo);
  const res = await req.send({ query, variables });
  return { status: res.status, ...(res.body as { data?: any; errors?: Array<{ message: string; extensions: Record<string, any> }> }) };
}

/** Adds staff members straight through the service (the tests of the directory itself go through GraphQL). */
export async function addStaff(
  h: Harness,
  members: Array<{ employeeNo: string; name: string; department: string; roles: string[]; phone?: string; active?: boolean }>,
) {
  for (const m of members) await h.app.services.people.staff.upsert(m);
}
