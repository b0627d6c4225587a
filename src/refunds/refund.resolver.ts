import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CurrentActor } from '../graphql/current-actor';
import { CAN } from '../auth/actor';
import type { Actor } from '../auth/actor';
import { notFound } from '../common/errors';
import type { GqlContext } from '../graphql/context';
import { IncidentGql } from '../incidents/incident.objects';
import { incidentGql } from '../incidents/incident.mapper';
import { DecideRefundStepInput, RefundFilter, RequestRefundInput } from './refund.inputs';
import { RefundConnectionGql, RefundGql, RefundHistoryEntryGql } from './refund.objects';
import { refundGql, refundHistoryGql } from './refund.mapper';
import type { RefundView } from './refund.reader';
import { checkFilterCodes } from '../incidents/incident.validation';

/** Refund operations of the contract. Thin: authorise, call one service method, map. */
@Resolver(() => RefundGql)
export class RefundResolver {
  @Authorized()
  @Query(() => RefundGql, { nullable: true })
  async refund(@Arg('id', () => ID) id: string, @CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<RefundGql | null> {
    const view = await ctx.services.refundReader.visible(actor, id);
    return view && refundFor(view, ctx, actor);
  }

  @Authorized()
  @Query(() => RefundConnectionGql)
  async refunds(
    @Arg('filter', () => RefundFilter, { nullable: true }) filter: RefundFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<RefundConnectionGql> {
    checkFilterCodes(filter, ctx.services.ruleSets.current().engine.pack.catalog);
    const page = await ctx.services.refundReader.list(actor, filter, first, after);
    return {
      edges: page.views.map((v, i) => ({ cursor: page.cursors[i], node: refundFor(v, ctx, actor) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
      totalCount: page.totalCount,
    };
  }

  @Authorized(CAN.requestRefund)
  @Mutation(() => RefundGql)
  async requestRefund(
    @Arg('input', () => RequestRefundInput) input: RequestRefundInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<RefundGql> {
    return refundFor(await ctx.services.refunds.request(actor, input), ctx, actor);
  }

  /** Any key may call it; the service checks the step's role and the signing rules. */
  @Authorized()
  @Mutation(() => RefundGql, { description: "Acts on the refund's current step; the caller's roles must fit the step." })
  async decideRefundStep(
    @Arg('input', () => DecideRefundStepInput) input: DecideRefundStepInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<RefundGql> {
    return refundFor(await ctx.services.refunds.decide(actor, input), ctx, actor);
  }

  @Authorized(CAN.manageRefund)
  @Mutation(() => RefundGql)
  async resubmitRefund(
    @Arg('refundId', () => ID) refundId: string,
    @Arg('comment', () => String, { nullable: true }) comment: string | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<RefundGql> {
    return refundFor(await ctx.services.refunds.resubmit(actor, refundId, comment), ctx, actor);
  }

  @Authorized(CAN.manageRefund)
  @Mutation(() => RefundGql)
  async cancelRefund(
    @Arg('refundId', () => ID) refundId: string,
    @Arg('reason', () => String) reason: string,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<RefundGql> {
    return refundFor(await ctx.services.refunds.cancel(actor, refundId, reason), ctx, actor);
  }

  @FieldResolver(() => IncidentGql)
  async incident(@Root() refund: RefundGql, @CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<IncidentGql> {
    // The refund was visible, so its incident is (same source).
    const view = await ctx.request.loader('incidentById', (ids: number[]) => ctx.services.incidentReader.byIds(ids)).load(Number(refund.incidentId));
    if (!view) throw notFound(`incident ${refund.incidentId}`);
    return incidentGql(view, ctx.services.ruleSets.current().engine.pack.catalog, actor, ctx.services.clock.now());
  }

  @FieldResolver(() => [RefundHistoryEntryGql], { description: 'Every transition of the refund (who, when, from, to, step, decision, comment), oldest first.' })
  async history(@Root() refund: RefundGql, @Ctx() ctx: GqlContext): Promise<RefundHistoryEntryGql[]> {
    const history = await ctx.request.loader('refundHistory', (ids: number[]) => ctx.services.refundReader.histories(ids)).load(Number(refund.id));
    return (history ?? []).map(refundHistoryGql);
  }
}

/** A refund view for GraphQL as the caller may see it. */
export function refundFor(view: RefundView, ctx: GqlContext, actor: Actor): RefundGql {
  return refundGql(view, ctx.services.ruleSets.current().engine.pack.catalog, actor, ctx.services.clock.now());
}
