/** Roles of the policy. */
export const ROLES = [
  'ADMIN',
  'INTEGRATION',
  'AGENT',
  'CS_LEAD',
  'TECH',
  'CASHIER',
  'ACCOUNTANT',
  'FINANCE_DIRECTOR',
  'PRESIDENT',
  'ANALYST',
  'LOGISTICS',
] as const;
export type Role = (typeof ROLES)[number];

/** The staff member a request acts as (the directory's row when the request came in). */
export interface StaffRef {
  id: number;
  employeeNo: string;
  name: string;
}

/**
 * Who is calling: the API key's name, its roles, and for an INTEGRATION key its source. A staff
 * sign-in or an integration acting for staff carries `staff`; `name` then names the person
 * ("张三 (erp)"), and the roles are the directory's.
 */
export interface Actor {
  keyId: number;
  name: string;
  roles: ReadonlySet<Role>;
  source: string | null;
  /** The staff member this request acts as. */
  staff?: StaffRef | null;
  /** The INTEGRATION key acting for `staff` (X-Triage-Employee); null for a sign-in. */
  delegatedBy?: string | null;
  /** This key may act for staff (created with --act-for-staff). */
  actForStaff?: boolean;
}

/** The person behind a request: a staff member however they came in, else the key itself. The signing rules count these. */
export const personOf = (actor: Pick<Actor, 'name' | 'staff'>) => (actor.staff ? `staff:${actor.staff.employeeNo}` : `key:${actor.name}`);

export const hasAnyRole = (actor: Actor, roles: readonly Role[]) => roles.some((r) => actor.roles.has(r));

/**
 * Staff see every incident and refund; a pure INTEGRATION key sees only its own source's, and so
 * does an integration acting for a staff member (bound to the key's source).
 */
export const isStaff = (actor: Actor) => !isBoundDelegate(actor) && [...actor.roles].some((r) => r !== 'INTEGRATION');

/** Staff see everything; an INTEGRATION key (or one acting for staff) only its own source's incidents and refunds. */
export const maySee = (actor: Actor, subject: { source: string }) => isStaff(actor) || subject.source === actor.source;

/** An integration acting for staff: the member's roles, bounded by the key's source where integrations are bound. */
export const isBoundDelegate = (actor: Actor) => !!actor.delegatedBy && actor.source !== null;

/** 注意保密: phone numbers in clear only for these roles. */
export const PHONE_ROLES: readonly Role[] = ['AGENT', 'CS_LEAD', 'ADMIN'];
export const canSeePhone = (actor: Actor) => hasAnyRole(actor, PHONE_ROLES);

/** Role groups of the policy, named once so resolvers and the role-matrix test agree. */
export const CAN = {
  report: ['INTEGRATION', 'AGENT', 'ADMIN'],
  changeIncident: ['AGENT', 'CS_LEAD', 'ADMIN'],
  requestRefund: ['AGENT', 'CS_LEAD', 'ADMIN', 'INTEGRATION'],
  manageRefund: ['AGENT', 'CS_LEAD', 'ADMIN'],
  /** New or corrected facts; an INTEGRATION only on its own source's incidents (it sees no other). */
  amendIncident: ['AGENT', 'CS_LEAD', 'ADMIN', 'INTEGRATION'],
  waiveAction: ['CS_LEAD', 'ADMIN'],
  /** Start or cancel an after-sales remedy; its steps are acted on by the role each step names. */
  manageRemedy: ['AGENT', 'CS_LEAD', 'ADMIN'],
  /** The reports (aggregates, monthly tables) and who reads them, as the policy names them. */
  reports: ['ANALYST', 'FINANCE_DIRECTOR', 'ACCOUNTANT', 'ADMIN'],
  /** Complaint statistics (客诉统计分析): the reports' roles and the customer-service lead. */
  statistics: ['ANALYST', 'CS_LEAD', 'FINANCE_DIRECTOR', 'ACCOUNTANT', 'ADMIN'],
  /** The shift handover (工作交接单): read it, hand over, acknowledge — reporting roles and the shift staff. */
  shiftHandover: ['ANALYST', 'FINANCE_DIRECTOR', 'ACCOUNTANT', 'ADMIN', 'AGENT', 'CS_LEAD'],
  /** Sign off a monthly table: its supervisor reviews (CS_LEAD, FINANCE_DIRECTOR), ADMIN archives; the service checks which. */
  signOffReport: ['CS_LEAD', 'FINANCE_DIRECTOR', 'ADMIN'],
  admin: ['ADMIN'],
} as const satisfies Record<string, readonly Role[]>;
