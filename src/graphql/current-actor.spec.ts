import { graphql } from 'graphql';
import { buildSchema, Query, Resolver } from 'type-graphql';
import type { Actor } from '../auth/actor';
import type { GqlContext } from './context';
import { CurrentActor } from './current-actor';

@Resolver()
class WhoAmIResolver {
  @Query(() => String)
  whoAmI(@CurrentActor() actor: Actor): string {
    return actor.name;
  }
}

describe('@CurrentActor()', () => {
  const run = async (actor: Actor | null) => {
    const schema = await buildSchema({ resolvers: [WhoAmIResolver], validate: false });
    return graphql({ schema, source: '{ whoAmI }', contextValue: { actor } as GqlContext });
  };

  it('gives the resolver the caller of the request', async () => {
    const actor: Actor = { keyId: 1, name: 'erp', roles: new Set(['INTEGRATION']), source: 'erp' };
    expect((await run(actor)).data).toEqual({ whoAmI: 'erp' });
  });

  it('is UNAUTHENTICATED without one', async () => {
    const res = await run(null);
    expect(res.errors?.[0].originalError).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
