import type { Role } from '../auth/actor';

/** Who plans, runs, scores and signs drills: the day's lead and the administrators (GraphQL and the drill summary download). */
export const DRILL_ROLES: Role[] = ['CS_LEAD', 'ADMIN'];
