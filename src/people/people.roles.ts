import { ROLES, Role } from '../auth/actor';

/** Staff directory, contacts and on-call: every staff role reads them (not a bare INTEGRATION key). */
export const STAFF_READERS: Role[] = ROLES.filter((r) => r !== 'INTEGRATION');
