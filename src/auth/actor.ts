/** Roles of POLICY.md §9. */
export const ROLES = [
  'ADMIN', 'INTEGRATION', 'AGENT', 'CS_LEAD', 'TECH', 'CASHIER', 'ACCOUNTANT', 'FINANCE_DIRECTOR', 'PRESIDENT', 'ANALYST',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: the API key's name, its roles, and for an INTEGRATION key its source. */
export interface Actor {
  keyId: number;
  name: string;
  roles: ReadonlySet<Role>;
  source: string | null;
}

export const hasAnyRole = (actor: Actor, roles: readonly Role[]) => roles.some((r) => actor.roles.has(r));

/** Staff see every incident and refund; a pure INTEGRATION key sees only its own source's. */
export const isStaff = (actor: Actor) => [...actor.roles].some((r) => r !== 'INTEGRATION');

/** 注意保密: phone numbers in clear only for these roles. */
export const PHONE_ROLES: readonly Role[] = ['AGENT', 'CS_LEAD', 'ADMIN'];
export const canSeePhone = (actor: Actor) => hasAnyRole(actor, PHONE_ROLES);

/** Role groups of POLICY.md §9, named once so resolvers and the role-matrix test agree. */
export const CAN = {
  report: ['INTEGRATION', 'AGENT', 'ADMIN'],
  changeIncident: ['AGENT', 'CS_LEAD', 'ADMIN'],
  requestRefund: ['AGENT', 'CS_LEAD', 'ADMIN', 'INTEGRATION'],
  manageRefund: ['AGENT', 'CS_LEAD', 'ADMIN'],
  /** New or corrected facts; an INTEGRATION only on its own source's incidents (it sees no other). */
  amendIncident: ['AGENT', 'CS_LEAD', 'ADMIN', 'INTEGRATION'],
  waiveAction: ['CS_LEAD', 'ADMIN'],
  /** Every report of POLICY.md §7 — aggregates, monthly tables, the shift handover (工作交接单) — as §9 names them. */
  reports: ['ANALYST', 'FINANCE_DIRECTOR', 'ACCOUNTANT', 'ADMIN'],
  admin: ['ADMIN'],
} as const satisfies Record<string, readonly Role[]>;
