import { ApolloArmor } from '@escape.tech/graphql-armor';
import { ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { ASTNode, DocumentNode, FragmentDefinitionNode, GraphQLError, GraphQLSchema, Kind, OperationDefinitionNode, SelectionSetNode, visit } from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig } from '../config/config';
import { AuthFailureThrottle } from '../auth/auth-throttle';
import type { GqlContext } from './context';
import { noCyclicSelectionRule } from './document-limits';
import { REQUEST_TIMEOUT } from './request-state';
import { httpStatusOf } from '../common/errors';
import { requestHooks } from './request-hooks';

/** Deepest nesting of braces, brackets and parentheses a document may have (checked on its text, before parsing). */
export const MAX_NESTING = 64;

/**
 * Limits checked before a request runs: graphql-armor for depth, aliases and directives (and
 * field suggestions blocked in production, so the schema does not leak when introspection is
 * off); graphql-js's own token limit while parsing (a document over it is GRAPHQL_PARSE_FAILED,
 * HTTP 400); cyclic selections refused (document-limits.ts); graphql-query-complexity for cost,
 * summed over the operations of one HTTP request; operations counted against the key's rate;
 * and the request's time budget (request-state.ts).
 */
export function armor(config: AppConfig, schema: GraphQLSchema) {
  const g = config.graphql;
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: g.maxDepth, ignoreIntrospection: true },
    costLimit: { enabled: false },
    maxAliases: { n: g.maxAliases },
    // graphql-armor's token check throws from a plugin hook, which Apollo answers with HTTP 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: 50 },
    blockFieldSuggestion: { enabled: config.nodeEnv === 'production' },
  }).protect();
  const rateLimiter = new KeyRateLimiter(config.rateLimitPerMinute);
  return {
    parseOptions: { maxTokens: g.maxTokens },
    validationRules: [...validationRules, noCyclicSelectionRule],
    plugins: [...plugins, costLimit(schema, g.maxCost, config.maxPageSize), operationRate(rateLimiter), timeBudget()],
    rateLimiter,
    authThrottle: new AuthFailureThrottle(config.authFailuresPerMinute),
  };
}

/** What the HTTP front needs of the limits: the shared per-key budget and the failed-authentication throttle. */
export type EdgeLimits = Pick<ReturnType<typeof armor>, 'rateLimiter' | 'authThrottle'>;

/**
 * Cost: every field 1, a list field with `first` costs its children times the page size it
 * will really return (`first` capped at MAX_PAGE_SIZE, 50 when absent). Variables count too,
 * so `first: $n` cannot slip past the limit. The limit holds for the whole HTTP request: the
 * operations of a batch are admitted while their costs add up to at most `maxCost`.
 */
function costLimit(schema: GraphQLSchema, maxCost: number, maxPageSize: number): ApolloServerPlugin<GqlContext> {
  const costVariables = new WeakMap<DocumentNode, string[]>();
  const costs = new WeakMap<DocumentNode, Map<string, number>>();
  const pages: ComplexityEstimator = ({ args, childComplexity }) => {
    if (!('first' in args)) return undefined;
    const first = typeof args.first === 'number' ? args.first : 50;
    return 1 + childComplexity * Math.max(1, Math.min(first, maxPageSize));
  };
  return requestHooks({
    async didResolveOperation({ document, request, operationName, contextValue }) {
      // Apollo reuses one parsed document per query text, so the cost is computed once per
      // document and per value of the variables it can depend on (page sizes, directives).
      let costVars = costVariables.get(document);
      if (!costVars) costVariables.set(document, (costVars = costVariablesOf(document)));
      const key = costVars.length
        ? `${operationName ?? ''}\u0000${JSON.stringify(costVars.map((v) => request.variables?.[v] ?? null))}`
        : (operationName ?? '');
      let perDocument = costs.get(document);
      let cost = perDocument?.get(key);
      if (cost === undefined) {
        try {
          cost = getComplexity({
            schema,
            query: document,
            variables: request.variables ?? {},
            operationName: operationName ?? undefined,
            estimators: [pages, simpleEstimator({ defaultComplexity: 1 })],
          });
        } catch {
          return; // invalid variables: execution answers them with BAD_USER_INPUT and the field
        }
        if (!perDocument) costs.set(document, (perDocument = new Map()));
        if (perDocument.size < 64) perDocument.set(key, cost);
      }
      const spent = contextValue.request.cost;
      if (spent + cost > maxCost) {
        const message = spent
          ? `the request's operations cost ${spent + cost} together, more than the limit ${maxCost}: send fewer operations, fields or smaller pages`
          : `the query costs ${cost}, more than the limit ${maxCost}: ask for fewer fields or smaller pages`;
        throw new GraphQLError(message, {
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', cost: spent + cost, maxCost, http: { status: httpStatusOf('GRAPHQL_VALIDATION_FAILED') } },
        });
      }
      contextValue.request.cost = spent + cost;
    },
  });
}

/** The variables a document's cost can depend on: those in `first` arguments and in directives. */
function costVariablesOf(document: DocumentNode): string[] {
  const names = new Set<string>();
  const collect = (node: ASTNode) => visit(node, { Variable: (v) => void names.add(v.name.value) });
  visit(document, {
    Argument: (arg) => void (arg.name.value === 'first' && collect(arg.value)),
    Directive: (d) => void collect(d),
  });
  return [...names].sort();
}

/**
 * How many operations one GraphQL operation counts as against the rate limit: a query 1, a
 * mutation one per root field it selects (aliases and fragments included: `a: reportIncident …
 * b: reportIncident …` is two).
 */
export function operationsIn(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): number {
  if (operation.operation !== 'mutation') return 1;
  const seen = new Set<string>();
  const count = (set: SelectionSetNode): number =>
    set.selections.reduce((n, sel) => {
      if (sel.kind === Kind.FIELD) return n + (sel.name.value === '__typename' ? 0 : 1);
      if (sel.kind === Kind.INLINE_FRAGMENT) return n + count(sel.selectionSet);
      const fragment = fragments[sel.name.value];
      if (!fragment || seen.has(sel.name.value)) return n;
      seen.add(sel.name.value);
      const inner = count(fragment.selectionSet);
      seen.delete(sel.name.value);
      return n + inner;
    }, 0);
  return Math.max(1, count(operation.selectionSet));
}

/**
 * Counts each operation, not each HTTP request, against the caller's per-minute budget: every
 * operation of a batch, every mutation field of an operation. The caller is its API key, or its
 * client address when it sends none. Over the budget: HTTP 429, RATE_LIMITED, Retry-After.
 */
function operationRate(rateLimiter: KeyRateLimiter): ApolloServerPlugin<GqlContext> {
  return requestHooks({
    async didResolveOperation({ operation, document, contextValue }) {
      if (!operation) return;
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
      const who = contextValue.actor ? `key:${contextValue.actor.name}` : `address:${contextValue.request.clientAddress}`;
      const retryAfter = await rateLimiter.take(who, operationsIn(operation, fragments));
      if (retryAfter === null) return;
      throw new GraphQLError(`rate limit reached for this ${contextValue.actor ? 'API key' : 'client address'}; retry after ${retryAfter} s`, {
        extensions: {
          code: 'RATE_LIMITED',
          retryAfterSeconds: retryAfter,
          http: { status: httpStatusOf('RATE_LIMITED'), headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
        },
      });
    },
  });
}

/**
 * A request past its time budget: its resolvers stopped starting (withTimeBudget), so its answer
 * carries many REQUEST_TIMEOUT errors; they are told once, with HTTP 503. Data resolved before
 * the deadline (a mutation already done) is kept.
 */
function timeBudget(): ApolloServerPlugin<GqlContext> {
  return requestHooks({
    async willSendResponse({ response }) {
      if (response.body.kind !== 'single') return;
      const result = response.body.singleResult;
      const errors = result.errors ?? [];
      const first = errors.findIndex((e) => e.extensions?.code === REQUEST_TIMEOUT);
      if (first < 0) return;
      result.errors = errors.filter((e, i) => i === first || e.extensions?.code !== REQUEST_TIMEOUT);
      response.http.status = httpStatusOf('REQUEST_TIMEOUT');
    },
  });
}

/**
 * Operations per minute per API key (or client address), in this process (several instances
 * each count their own; swap in rate-limiter-flexible's Redis or MySQL store to share the
 * count). Over the limit the operation is refused with HTTP 429, code RATE_LIMITED and a
 * Retry-After hint.
 */
export class KeyRateLimiter {
  private readonly limiter: RateLimiterMemory | null;

  constructor(perMinute: number) {
    this.limiter = perMinute > 0 ? new RateLimiterMemory({ points: perMinute, duration: 60 }) : null;
  }

  /** Counts `points` operations of the caller: null when allowed, else the seconds to wait (the same budget GraphQL and the exports share). */
  async take(caller: string, points = 1): Promise<number | null> {
    if (!this.limiter) return null;
    try {
      await this.limiter.consume(caller, points);
      return null;
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    }
  }
}
