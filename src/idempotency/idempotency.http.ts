import type { IncomingMessage } from 'node:http';
import { parse, type DocumentNode } from 'graphql';
import { AppError } from '../common/errors';
import { checkIdempotencyKey, idempotencyHash, IdempotencyStore } from './idempotency.store';
import { sha256 } from '../common/sha256';

/** An HTTP answer as the GraphQL endpoint sends it. */
export interface HttpAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const FIELD = 'Idempotency-Key';
/** Codes that say "not now" rather than answer: a retry must run again, so such answers are never kept. */
const TRANSIENT = ['SERVICE_UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR'];

/**
 * The `Idempotency-Key` header on a GraphQL POST that holds a mutation (Stripe's semantics):
 * the first request with the key runs and its answer is kept 24 hours; a retry with the same
 * body gets that answer again (with `Idempotent-Replayed: true`), whatever it was — data or a
 * coded error — except answers that only say "not now" (HTTP other than 200, or
 * SERVICE_UNAVAILABLE, RATE_LIMITED, INTERNAL_SERVER_ERROR), after which a retry runs again.
 * The same key with another body, or while the first still runs, is HTTP 409 CONFLICT. Keys
 * are scoped to the bearer key that sent them. Queries ignore the header: they change nothing.
 */
export async function idempotentHttp(
  req: IncomingMessage,
  url: URL,
  body: unknown,
  store: IdempotencyStore,
  run: () => Promise<HttpAnswer>,
): Promise<HttpAnswer> {
  const given = req.headers[IDEMPOTENCY_HEADER];
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (given === undefined || !bearer || req.method !== 'POST' || !holdsMutation(body)) return run();
  let key: string;
  try {
    key = checkIdempotencyKey(FIELD, Array.isArray(given) ? given.join(',') : given);
  } catch (e) {
    return refusal(400, e as AppError);
  }
  const scope = `bearer:${sha256(bearer)}`;
  const ref = { scope, kind: 'http', key, requestHash: idempotencyHash({ path: url.pathname, search: url.search, body }) };
  let claim: Awaited<ReturnType<IdempotencyStore['claim']>>;
  try {
    claim = await store.claim(ref, FIELD);
  } catch (e) {
    if (e instanceof AppError && e.code === 'CONFLICT') return refusal(409, e);
    throw e;
  }
  if ('replay' in claim) {
    return {
      status: claim.replay.responseStatus ?? 200,
      headers: [
        ['content-type', 'application/json; charset=utf-8'],
        ['idempotent-replayed', 'true'],
      ],
      body: claim.replay.responseBody ?? '',
    };
  }
  let answer: HttpAnswer;
  try {
    answer = await run();
  } catch (e) {
    await store.release(claim.claimed).catch(() => undefined);
    throw e;
  }
  if (answer.status === 200 && !TRANSIENT.some((code) => answer.body.includes(`"code":"${code}"`)))
    await store.finish(claim.claimed, answer.status, answer.body);
  else await store.release(claim.claimed);
  return answer;
}

function refusal(status: number, e: AppError): HttpAnswer {
  return {
    status,
    headers: [['content-type', 'application/json; charset=utf-8']],
    body: JSON.stringify({ errors: [{ message: e.message, extensions: { code: e.code, ...e.extensions } }] }),
  };
}

/** True when the request (or one of a batch) is a mutation; unparseable ones are left to Apollo. */
function holdsMutation(body: unknown): boolean {
  const ops = Array.isArray(body) ? body : [body];
  return ops.some((op) => {
    const query = (op as { query?: unknown } | null)?.query;
    if (typeof query !== 'string' || !/\bmutation\b/.test(query)) return false;
    let doc: DocumentNode;
    try {
      doc = parse(query, { maxTokens: 100_000 });
    } catch {
      return false;
    }
    const name = (op as { operationName?: unknown }).operationName;
    return doc.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'mutation' && (typeof name !== 'string' || d.name?.value === name));
  });
}
