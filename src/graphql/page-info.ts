import { Field, ObjectType } from 'type-graphql';

/** The page of every cursor connection (Relay's PageInfo, forward only). */
@ObjectType('PageInfo')
export class PageInfoGql {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}
