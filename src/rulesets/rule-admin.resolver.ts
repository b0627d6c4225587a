import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { CurrentActor } from '../graphql/current-actor';
import { CAN } from '../auth/actor';
import type { Actor } from '../auth/actor';
import type { GqlContext } from '../graphql/context';
import { SeverityGql } from '../graphql/enums';
import { DateTimeScalar } from '../graphql/scalars';
import type { BacktestReport } from './backtest.service';
import { DEFAULT_SAMPLES } from './backtest.service';
import type { DecisionSummary } from './decision-diff';
import { DecisionFieldGql, DecisionSummaryGql, RuleBacktestGql, ShadowDivergenceConnectionGql, ShadowRulesGql } from './rule-admin.objects';

/** Backtests of draft packs and the shadow pack (ADMIN). Thin: authorise, call one service method, map. */
@Resolver()
export class RuleAdminResolver {
  @Authorized(CAN.admin)
  @Query(() => RuleBacktestGql, {
    description:
      'Re-decide the stored non-drill incidents reported in [from, to) under the draft pack in draftDir (a directory on the server: ' +
      'relative to RULES_DRAFTS_DIR when set, else absolute) and count what changes. Read-only. RULES_INVALID lists every problem of a bad draft.',
  })
  async simulateRules(
    @Arg('draftDir', () => String) draftDir: string,
    @Arg('from', () => DateTimeScalar, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTimeScalar, { nullable: true }) to: Date | null,
    @Arg('samples', () => Int, { defaultValue: DEFAULT_SAMPLES, description: 'How many changed incidents to return (at most 1000).' }) samples: number,
    @Arg('only', () => [DecisionFieldGql], { nullable: true, description: 'Samples only of incidents where one of these changed.' })
    only: DecisionFieldGql[] | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<RuleBacktestGql> {
    return backtestGql(await ctx.services.ruleAdmin.backtest.simulateDraft(draftDir, { from, to, samples, only }));
  }

  @Authorized(CAN.admin)
  @Query(() => ShadowRulesGql, { nullable: true, description: 'The shadow pack, or null when none is installed.' })
  shadowRules(@CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): ShadowRulesGql | null {
    return ctx.services.ruleAdmin.shadow.status();
  }

  @Authorized(CAN.admin)
  @Mutation(() => ShadowRulesGql, {
    description:
      'Install the pack in dir (as for simulateRules) as the shadow: it decides every live report too, off the critical path, ' +
      'and each decision it makes differently is recorded. Replaces any other shadow. Promote it with reloadRules once it is in RULES_DIR.',
  })
  async installShadowRules(@Arg('dir', () => String) dir: string, @CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<ShadowRulesGql> {
    return ctx.services.ruleAdmin.shadow.install(actor.name, dir);
  }

  @Authorized(CAN.admin)
  @Mutation(() => Boolean, { description: 'Drop the shadow pack; false when none was installed. Recorded divergences stay.' })
  dropShadowRules(@CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): boolean {
    return ctx.services.ruleAdmin.shadow.drop();
  }

  @Authorized(CAN.admin)
  @Query(() => ShadowDivergenceConnectionGql, { description: 'Live decisions a shadow pack made differently, newest first.' })
  async shadowDivergences(
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('shadowVersion', () => String, { nullable: true }) shadowVersion: string | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<ShadowDivergenceConnectionGql> {
    const page = await ctx.services.ruleAdmin.divergences.list(first, after, shadowVersion);
    return {
      edges: page.rows.map((r, i) => ({
        cursor: page.cursors[i],
        node: {
          id: String(r.id),
          incidentId: String(r.incidentId),
          shadowVersion: r.shadowVersion,
          liveVersion: r.liveVersion,
          fields: r.fields.split(',') as DecisionFieldGql[],
          before: summaryGql(r.live),
          after: summaryGql(r.shadow),
          detectedAt: r.detectedAt,
        },
      })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
      totalCount: page.totalCount,
    };
  }
}

function summaryGql(s: DecisionSummary): DecisionSummaryGql {
  return { ...s, severity: s.severity as SeverityGql };
}

function backtestGql(r: BacktestReport): RuleBacktestGql {
  return {
    draftVersion: r.draftVersion,
    from: r.from,
    to: r.to,
    counts: r.counts,
    byCategory: r.byCategory,
    samples: r.samples.map((s) => ({
      incidentId: String(s.id),
      source: s.source,
      externalRef: s.externalRef,
      category: s.category,
      reportedAt: s.reportedAt,
      changed: s.changed as DecisionFieldGql[],
      before: summaryGql(s.before),
      after: summaryGql(s.after),
    })),
    elapsedMs: r.elapsedMs,
    incidentsPerSecond: r.incidentsPerSecond,
  };
}
