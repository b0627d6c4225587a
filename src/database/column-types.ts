import type { ValueTransformer } from 'typeorm';

/**
 * Column helpers shared by entities, so that SQLite and MySQL/MariaDB store the same values.
 * Money is integer fen in a BIGINT (never a float); MySQL drivers return BIGINT as a string,
 * SQLite as a number, so both are turned into a bigint here.
 */
export const fenTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | number | null) => (value === null || value === undefined ? null : BigInt(value)),
};

/** JSON kept in a text column; parsed on read. */
export const jsonTransformer: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? undefined : JSON.stringify(value)),
  from: (value: string | null) => (value === null || value === undefined ? null : JSON.parse(value)),
};

/** Booleans: MySQL returns 0/1 for TINYINT(1). */
export const boolTransformer: ValueTransformer = {
  to: (value: boolean | null | undefined) => value,
  from: (value: unknown) => (value === null || value === undefined ? null : Boolean(Number(value))),
};

/** Timestamps are stored with millisecond precision, in UTC on both databases. */
export const TIMESTAMP = { type: 'datetime', precision: 3 } as const;
