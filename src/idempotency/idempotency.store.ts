import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../common/clock';
import { badInput, conflict } from '../common/errors';
import { isUniqueViolation } from '../database/errors';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { sha256 } from '../common/sha256';

/** How long an answer is kept for retries (Stripe's 24 hours). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** A first request that has not finished after this long is taken as dead (its process was killed): its key may be used again. */
export const IN_PROGRESS_LEASE_MS = 5 * 60_000;
const MAX_KEY = 255;

export interface KeyRef {
  /** Whose key (`key:<api key id>`). */
  scope: string;
  kind: string;
  key: string;
  /** sha256 of the request (idempotencyHash). */
  requestHash: string;
}

/** sha256 of a request's canonical JSON (object keys sorted, so the order they were sent in does not matter). */
export function idempotencyHash(value: unknown): string {
  return sha256(canonicalJson(value));
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value === undefined ? null : typeof value === 'bigint' ? value.toString() : value) ?? 'null';
}

/** A key as given, or BAD_USER_INPUT on `field`: 1–255 visible ASCII characters. */
export function checkIdempotencyKey(field: string, key: unknown): string {
  if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key)) throw badInput(field, `must be 1 to ${MAX_KEY} visible ASCII characters (a UUID, say)`);
  return key;
}

/**
 * Idempotency keys with Stripe's semantics: the same key with the same request answers what
 * the first answered; with another request, CONFLICT; kept IDEMPOTENCY_TTL_MS. Two ways in:
 *
 * - `record` inside the transaction of the work itself (requestRefund): the key row commits
 *   exactly when the work does, and of concurrent duplicates the unique index lets one through;
 * - `claim` / `finish` / `release` around work that is not one transaction (a whole HTTP
 *   request): an IN_PROGRESS row is claimed first, and a second request with the key meanwhile
 *   is CONFLICT.
 */
export class IdempotencyStore {
  private lastPrune = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The live row for the key, after checking it was made by the same request (CONFLICT if not); null when there is none. */
  async find(ref: KeyRef, field: string, em: EntityManager = this.ds.manager): Promise<IdempotencyKeyEntity | null> {
    const row = await em.findOneBy(IdempotencyKeyEntity, { scope: ref.scope, kind: ref.kind, key: ref.key });
    if (!row) return null;
    const now = this.clock.now().getTime();
    const abandoned = row.state === 'IN_PROGRESS' && row.createdAt.getTime() + IN_PROGRESS_LEASE_MS <= now;
    if (row.expiresAt.getTime() <= now || abandoned) {
      await em.delete(IdempotencyKeyEntity, { id: row.id, state: row.state });
      return null;
    }
    if (row.requestHash !== ref.requestHash) {
      throw conflict('this idempotency key was already used with a different request; use a new key for a new request', { field });
    }
    return row;
  }

  /** Stores the key as done, with the record made, in the caller's transaction. A concurrent duplicate fails it on the unique index. */
  async record(em: EntityManager, ref: KeyRef, resourceId: string): Promise<void> {
    const now = this.clock.now();
    await em.insert(IdempotencyKeyEntity, {
      ...ref,
      state: 'DONE',
      responseStatus: null,
      responseBody: null,
      resourceId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
    });
  }

  /**
   * Claims the key for a request about to run: 'claimed' (run it, then finish or release), or
   * the stored row of the first request to replay. CONFLICT while the first still runs, or for
   * another request under the key.
   */
  async claim(ref: KeyRef, field: string): Promise<{ claimed: IdempotencyKeyEntity } | { replay: IdempotencyKeyEntity }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const found = await this.find(ref, field);
      if (found?.state === 'DONE') return { replay: found };
      if (found) throw conflict('a request with this idempotency key is still in progress; retry when it has answered', { field });
      const now = this.clock.now();
      const row: Omit<IdempotencyKeyEntity, 'id'> = {
        ...ref,
        state: 'IN_PROGRESS',
        responseStatus: null,
        responseBody: null,
        resourceId: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      };
      try {
        const inserted = await this.ds.manager.insert(IdempotencyKeyEntity, row);
        await this.prune();
        return { claimed: Object.assign(new IdempotencyKeyEntity(), row, { id: Number(inserted.identifiers[0].id) }) };
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        // Another request took it between the read and the insert: read again.
      }
    }
    throw conflict('a request with this idempotency key is still in progress; retry when it has answered', { field });
  }

  /** Stores the answer of a claimed key. */
  async finish(claimed: IdempotencyKeyEntity, status: number, body: string): Promise<void> {
    await this.ds.manager.update(IdempotencyKeyEntity, { id: claimed.id }, { state: 'DONE', responseStatus: status, responseBody: body });
  }

  /** Gives a claimed key up (the request's answer is not one to replay: the database was down, say). */
  async release(claimed: IdempotencyKeyEntity): Promise<void> {
    await this.ds.manager.delete(IdempotencyKeyEntity, { id: claimed.id, state: 'IN_PROGRESS' });
  }

  /** Deletes expired keys, at most once a minute per process (outside any transaction). */
  async prune(): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - this.lastPrune < 60_000) return;
    this.lastPrune = now.getTime();
    await this.ds.createQueryBuilder().delete().from(IdempotencyKeyEntity).where('expires_at <= :now', { now }).execute();
  }
}
