import { Arg, Authorized, Ctx, Field, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { CurrentActor } from '../graphql/current-actor';
import { CAN } from '../auth/actor';
import type { Actor } from '../auth/actor';
import { INSTANCE_ID } from '../common/instance';
import type { GqlContext } from '../graphql/context';
import { SeverityGql } from '../graphql/enums';
import { DateTimeScalar } from '../graphql/scalars';
import { CatalogCategory, SEVERITIES } from '../rules/types';
import type { ActiveRuleSet } from './rule-set.service';

@ObjectType('CatalogEntry', { description: 'A catalog code with its label (中文).' })
export class CatalogEntryGql {
  @Field(() => String) code!: string;
  @Field(() => String) label!: string;
}

@ObjectType('CatalogCategory')
export class CatalogCategoryGql {
  @Field(() => String) code!: string;
  @Field(() => [String]) subtypes!: string[];
  @Field(() => String) label!: string;
  @Field(() => [CatalogEntryGql]) subtypeEntries!: CatalogEntryGql[];
}

@ObjectType('Catalog')
export class CatalogGql {
  @Field(() => [CatalogCategoryGql]) categories!: CatalogCategoryGql[];
  @Field(() => [String]) departments!: string[];
  @Field(() => [String]) actions!: string[];
  @Field(() => [String]) refundSteps!: string[];
  @Field(() => [String]) refundMethods!: string[];
  @Field(() => [String], {
    description: 'The after-sales remedy kinds (REPAIR 维修, REPLACE 更换, RETURN 退货, RESHIP 补发, COMPENSATE 赔偿 in the shipped pack).',
  })
  remedyKinds!: string[];
  @Field(() => [SeverityGql]) severities!: SeverityGql[];
  @Field(() => [CatalogEntryGql]) departmentEntries!: CatalogEntryGql[];
  @Field(() => [CatalogEntryGql]) actionEntries!: CatalogEntryGql[];
  @Field(() => [CatalogEntryGql]) refundStepEntries!: CatalogEntryGql[];
  @Field(() => [CatalogEntryGql]) refundMethodEntries!: CatalogEntryGql[];
  @Field(() => [CatalogEntryGql]) roleEntries!: CatalogEntryGql[];
}

@ObjectType('RuleSetVersion')
export class RuleSetVersionGql {
  @Field(() => String) version!: string;
  @Field(() => String) checksum!: string;
  @Field(() => DateTimeScalar) loadedAt!: Date;
  @Field(() => Int) ruleCount!: number;
  @Field(() => String, { nullable: true }) label!: string | null;
  @Field(() => String, { description: 'The process that answered, as host:pid: ask each instance and compare checksums.' }) instance!: string;
}

@ObjectType('RuleSetChanges', { description: 'What changed from the previous recorded version.' })
export class RuleSetChangesGql {
  @Field(() => [String]) added!: string[];
  @Field(() => [String]) removed!: string[];
  @Field(() => [String]) changed!: string[];
  @Field(() => Boolean) catalogChanged!: boolean;
}

@ObjectType('RuleSetVersionRecord', { description: 'A rule pack version as recorded when it was loaded.' })
export class RuleSetVersionRecordGql {
  @Field(() => String) version!: string;
  @Field(() => String) checksum!: string;
  @Field(() => String, { nullable: true }) label!: string | null;
  @Field(() => Int) ruleCount!: number;
  @Field(() => DateTimeScalar) loadedAt!: Date;
  @Field(() => String) loadedBy!: string;
  @Field(() => RuleSetChangesGql) changes!: RuleSetChangesGql;
}

const entries = (m: Record<string, string | { label: string }>): CatalogEntryGql[] =>
  Object.entries(m).map(([code, v]) => ({ code, label: typeof v === 'string' ? v : v.label }));

export function ruleSetGql(a: ActiveRuleSet): RuleSetVersionGql {
  return { version: a.version, checksum: a.checksum, loadedAt: a.loadedAt, ruleCount: a.ruleCount, label: a.label, instance: INSTANCE_ID };
}

/** The catalog of the active pack and its version; reloading it (ADMIN). */
@Resolver()
export class RuleSetResolver {
  @Authorized()
  @Query(() => CatalogGql)
  catalog(@CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): CatalogGql {
    const c = ctx.services.ruleSets.current().engine.pack.catalog;
    return {
      categories: Object.entries(c.categories).map(([code, cat]: [string, CatalogCategory]) => ({
        code,
        label: cat.label,
        subtypes: Object.keys(cat.subtypes),
        subtypeEntries: entries(cat.subtypes),
      })),
      departments: Object.keys(c.departments),
      actions: Object.keys(c.actions),
      refundSteps: Object.keys(c.refundSteps),
      refundMethods: Object.keys(c.refundMethods),
      remedyKinds: Object.keys(c.remedyKinds ?? {}),
      severities: [...SEVERITIES] as SeverityGql[],
      departmentEntries: entries(c.departments),
      actionEntries: entries(c.actions),
      refundStepEntries: entries(c.refundSteps),
      refundMethodEntries: entries(c.refundMethods),
      roleEntries: entries(c.roles),
    };
  }

  @Authorized()
  @Query(() => RuleSetVersionGql)
  activeRuleSet(@CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): RuleSetVersionGql {
    return ruleSetGql(ctx.services.ruleSets.current());
  }

  @Authorized(CAN.admin)
  @Query(() => [RuleSetVersionRecordGql], { description: 'Rule pack versions loaded, newest first, with what each changed.' })
  async ruleSetVersions(@Arg('first', () => Int, { defaultValue: 20 }) first: number, @Ctx() ctx: GqlContext): Promise<RuleSetVersionRecordGql[]> {
    const rows = await ctx.services.ruleSets.versions(Math.max(0, Math.min(first, 200)));
    return rows.map((r) => ({
      version: r.version,
      checksum: r.checksum,
      label: r.label,
      ruleCount: r.ruleCount,
      loadedAt: r.loadedAt,
      loadedBy: r.loadedBy,
      changes: r.changes,
    }));
  }

  @Authorized(CAN.admin)
  @Mutation(() => RuleSetVersionGql, {
    description: 'Reload the rule pack from disk; when it is invalid the active one stays and RULES_INVALID lists every problem.',
  })
  async reloadRules(@CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<RuleSetVersionGql> {
    return ruleSetGql(await ctx.services.ruleSets.reload(actor.name));
  }
}
