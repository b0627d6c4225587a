import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig } from '../config/config';

/**
 * Limits checked before a request runs (graphql-armor: depth, cost, aliases, tokens; field
 * suggestions blocked in production so the schema does not leak when introspection is off).
 */
export function armor(config: AppConfig) {
  const g = config.graphql;
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: g.maxDepth, ignoreIntrospection: true },
    costLimit: { maxCost: g.maxCost, ignoreIntrospection: true },
    maxAliases: { n: g.maxAliases },
    maxTokens: { n: g.maxTokens },
    maxDirectives: { n: 50 },
    blockFieldSuggestion: { enabled: config.nodeEnv === 'production' },
  }).protect();
  return { plugins, validationRules };
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

  async consume(keyName: string): Promise<void> {
    if (!this.limiter) return;
    try {
      await this.limiter.consume(keyName);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const retryAfter = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      throw new GraphQLError(`rate limit reached for this API key; retry after ${retryAfter} s`, {
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter, http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
      });
    }
  }
}
