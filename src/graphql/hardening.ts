import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import { ASTNode, DocumentNode, GraphQLError, GraphQLSchema, visit } from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig } from '../config/config';

/**
 * Limits checked before a request runs: graphql-armor for depth, aliases, tokens and
 * directives (and field suggestions blocked in production, so the schema does not leak when
 * introspection is off); graphql-query-complexity for cost, below.
 */
export function armor(config: AppConfig, schema: GraphQLSchema) {
  const g = config.graphql;
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: g.maxDepth, ignoreIntrospection: true },
    costLimit: { enabled: false },
    maxAliases: { n: g.maxAliases },
    maxTokens: { n: g.maxTokens },
    maxDirectives: { n: 50 },
    blockFieldSuggestion: { enabled: config.nodeEnv === 'production' },
  }).protect();
  return { plugins: [...plugins, costLimit(schema, g.maxCost, config.maxPageSize)], validationRules };
}

/**
 * Cost: every field 1, a list field with `first` costs its children times the page size it
 * will really return (`first` capped at MAX_PAGE_SIZE, 50 when absent). Variables count too,
 * so `first: $n` cannot slip past the limit.
 */
function costLimit(schema: GraphQLSchema, maxCost: number, maxPageSize: number): ApolloServerPlugin {
  const costVariables = new WeakMap<DocumentNode, string[]>();
  const costs = new WeakMap<DocumentNode, Map<string, number>>();
  const pages: ComplexityEstimator = ({ args, childComplexity }) => {
    if (!('first' in args)) return undefined;
    const first = typeof args.first === 'number' ? args.first : 50;
    return 1 + childComplexity * Math.max(1, Math.min(first, maxPageSize));
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operationName }) {
          // Apollo reuses one parsed document per query text, so the cost is computed once per
          // document and per value of the variables it can depend on (page sizes, directives).
          const costVars = costVariables.get(document) ?? costVariablesOf(document);
          costVariables.set(document, costVars);
          const key = `${operationName ?? ''}\u0000${JSON.stringify(costVars.map((v) => request.variables?.[v] ?? null))}`;
          let perDocument = costs.get(document);
          let cost = perDocument?.get(key);
          if (cost === undefined) {
            try {
              cost = getComplexity({ schema, query: document, variables: request.variables ?? {}, operationName: operationName ?? undefined, estimators: [pages, simpleEstimator({ defaultComplexity: 1 })] });
            } catch {
              return; // invalid variables: execution answers them with BAD_USER_INPUT and the field
            }
            if (!perDocument) costs.set(document, (perDocument = new Map()));
            if (perDocument.size < 64) perDocument.set(key, cost);
          }
          if (cost > maxCost) {
            throw new GraphQLError(`the query costs ${cost}, more than the limit ${maxCost}: ask for fewer fields or smaller pages`, {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', cost, maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
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
 * Requests per minute per API key, in this process (several instances each count their own;
 * swap in rate-limiter-flexible's Redis or MySQL store to share the count). Over the limit the
 * request is refused with HTTP 429, code RATE_LIMITED and a Retry-After hint.
 */
export class KeyRateLimiter {
  private readonly limiter: RateLimiterMemory | null;

  constructor(perMinute: number) {
    this.limiter = perMinute > 0 ? new RateLimiterMemory({ points: perMinute, duration: 60 }) : null;
  }

  /** Counts one request of the key: null when allowed, else the seconds to wait (the same budget GraphQL and the exports share). */
  async take(keyName: string): Promise<number | null> {
    if (!this.limiter) return null;
    try {
      await this.limiter.consume(keyName);
      return null;
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    }
  }
}
