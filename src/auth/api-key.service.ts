import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { DataSource } from 'typeorm';
import { AppError, badInput } from '../common/errors';
import { rawQuery } from '../database/raw-sql';
import type { Clock } from '../common/clock';
import { ApiKeyEntity } from './api-key.entity';
import { AUTHENTICATE_SQL } from './auth.statements';
import { Actor, Role, ROLES } from './actor';
import { sha256 } from '../common/sha256';

const KEY_PREFIX = 'trg_';
/** Plain SQL both SQLite and MySQL/MariaDB read the same way. */

/** sha256 of the key: what the database keeps. */
export const hashKey = (key: string): string => sha256(key);

export interface ApiKeySummary {
  name: string;
  roles: Role[];
  source: string | null;
  /** May act for staff members (X-Triage-Employee). */
  actForStaff: boolean;
  createdAt: Date;
  revokedAt: Date | null;
}

/** API keys: 32 random bytes, shown once, stored as sha256. */
export class ApiKeyService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Turns a request into the person behind it, after the key (if the token is one) is known:
   * an integration acting for staff, or a staff sign-in. Set by the composition root.
   */
  resolveStaff: ((headers: IncomingHttpHeaders, token: string, keyActor: Actor | null) => Promise<Actor | null>) | null = null;

  /** Creates a key; returns the key itself (the only time it exists in clear). */
  async create(
    name: string,
    roles: string[],
    source: string | null,
    options: { actForStaff?: boolean } = {},
  ): Promise<{ key: string; summary: ApiKeySummary }> {
    if (!/^[\w.@:-]{1,128}$/.test(name)) throw badInput('name', 'use 1–128 letters, digits, . _ - @ :');
    const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (!roles.length || unknown.length) throw badInput('roles', `unknown or no roles (${unknown.join(', ')}); allowed: ${ROLES.join(', ')}`);
    if (roles.includes('INTEGRATION') && !source) throw badInput('source', 'an INTEGRATION key must be bound to a source');
    // A source binds only an INTEGRATION key (staff see every source): accepting it would promise a limit that is not there.
    if (source !== null && !roles.includes('INTEGRATION')) {
      throw badInput(
        'source',
        `only an INTEGRATION key is bound to a source; a key with roles ${roles.join(',')} sees every source: leave out the source, or add the INTEGRATION role`,
      );
    }
    if (source !== null && !/^[\w.-]{1,64}$/.test(source)) throw badInput('source', 'use 1–64 letters, digits, . _ -');
    const actForStaff = options.actForStaff ?? false;
    if (actForStaff && (roles.length !== 1 || roles[0] !== 'INTEGRATION'))
      throw badInput('actForStaff', 'only an INTEGRATION key (and no other role) may act for staff');
    const repo = this.ds.getRepository(ApiKeyEntity);
    if (await repo.findOneBy({ name })) throw new AppError('CONFLICT', `an API key named ${name} exists already`);
    const key = KEY_PREFIX + crypto.randomBytes(32).toString('base64url');
    const row = repo.create({
      name,
      keyHash: hashKey(key),
      roles: [...new Set(roles)].join(','),
      source,
      actForStaff,
      createdAt: this.clock.now(),
      revokedAt: null,
    });
    await repo.insert(row);
    return { key, summary: toSummary(row) };
  }

  async list(): Promise<ApiKeySummary[]> {
    const rows = await this.ds.getRepository(ApiKeyEntity).find({ order: { id: 'ASC' } });
    return rows.map(toSummary);
  }

  /** Revokes by name; the key fails on its next request. */
  async revoke(name: string): Promise<boolean> {
    const res = await this.ds
      .getRepository(ApiKeyEntity)
      .createQueryBuilder()
      .update()
      .set({ revokedAt: this.clock.now() })
      .where('name = :name AND revoked_at IS NULL', { name })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  /**
   * The actor a bearer key stands for, or null when unknown or revoked. Read from the database
   * on every request, so a revoked key fails on its very next one (in every process): one
   * indexed SELECT on the unique key_hash, without TypeORM's query building and hydration.
   */
  async authenticate(key: string): Promise<Actor | null> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
    const rows = (await rawQuery(this.ds, AUTHENTICATE_SQL, [hashKey(key)])) as Array<{
      id: number | string;
      name: string;
      roles: string;
      source: string | null;
      act_for_staff: unknown;
      revoked_at: unknown;
    }>;
    const row = rows[0];
    if (!row || (row.revoked_at !== null && row.revoked_at !== undefined)) return null;
    return {
      keyId: Number(row.id),
      name: row.name,
      roles: new Set(row.roles.split(',') as Role[]),
      source: row.source,
      actForStaff: Boolean(Number(row.act_for_staff)),
    };
  }
}

function toSummary(row: ApiKeyEntity): ApiKeySummary {
  return {
    name: row.name,
    roles: row.roles.split(',') as Role[],
    source: row.source,
    actForStaff: row.actForStaff,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}
