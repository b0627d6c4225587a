import { Core1732300000000 } from './1732300000000-core';
import { Refunds1732300000001 } from './1732300000001-refunds';

/** Every migration, in order. Listed explicitly so the build and the tests load the same set. */
export const MIGRATIONS = [Core1732300000000, Refunds1732300000001];
