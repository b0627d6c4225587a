import DataLoader from 'dataloader';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { AppError } from '../common/errors';
import type { GqlContext } from './context';

/** The code a request past its time budget is cancelled with (HTTP 503). */
export const REQUEST_TIMEOUT = 'REQUEST_TIMEOUT';

/**
 * What one HTTP request's operations share — every operation of a batch alike (Apollo gives each
 * operation a shallow copy of the context, so this object is the same for all of them): the
 * cost spent so far, the time budget, the client's address, and the request's DataLoaders.
 */
export class RequestState {
  /** Cost of the operations admitted so far; their sum may not pass GRAPHQL_MAX_COST. */
  cost = 0;
  private readonly deadline: number;
  private timedOut = false;
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  constructor(
    /** The client's address (the socket's peer): what failed authentication and keyless calls are counted by. */
    readonly clientAddress: string,
    readonly timeoutMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.deadline = timeoutMs > 0 ? now() + timeoutMs : Infinity;
  }

  /** True once the time budget is spent (checked against the clock, so a busy event loop cannot hide it). */
  expired(): boolean {
    if (!this.timedOut && this.now() > this.deadline) this.timedOut = true;
    return this.timedOut;
  }

  /** Throws the coded cancellation once the budget is spent: no new resolver starts after it. */
  assertTime(): void {
    if (this.expired()) throw timeoutError(this.timeoutMs);
  }

  /**
   * The request's DataLoader called `name`: keys asked for in the same tick are loaded with one
   * call of `loadMany` (which answers a map; a key it leaves out loads as undefined). Batching
   * only, no cache: a mutation later in the request reads what the one before it wrote.
   */
  loader<K, V>(name: string, loadMany: (keys: K[]) => Promise<Map<K, V>>): DataLoader<K, V | undefined> {
    let loader = this.loaders.get(name) as DataLoader<K, V | undefined> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V | undefined>(
        async (keys) => {
          const found = await loadMany([...new Set(keys)]);
          return keys.map((k) => found.get(k));
        },
        { cache: false },
      );
      this.loaders.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }
}

export function timeoutError(timeoutMs: number): AppError {
  return new AppError(
    REQUEST_TIMEOUT,
    `the request ran past its time budget of ${timeoutMs} ms and was cancelled: ask for less (smaller pages, fewer fields)`,
    { timeoutMs },
  );
}

/**
 * The schema with every resolver of its own (not the plain property reads) refusing to start
 * once its request's time budget is spent: the request stops reading and answers
 * REQUEST_TIMEOUT (HTTP 503, one error: hardening.ts). A resolver already running finishes, so
 * a transaction is never cut in half. A copy of the schema; with no budget, the schema itself.
 */
export function withTimeBudget(schema: GraphQLSchema, timeoutMs: number): GraphQLSchema {
  if (timeoutMs <= 0) return schema;
  const guard =
    (resolve: GraphQLFieldResolver<unknown, GqlContext>): GraphQLFieldResolver<unknown, GqlContext> =>
    (source, args, ctx, info) => {
      ctx.request?.assertTime();
      return resolve(source, args, ctx, info);
    };
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field) => (field.resolve ? { ...field, resolve: guard(field.resolve as GraphQLFieldResolver<unknown, GqlContext>) } : field),
  });
}
