import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * One page of a list ordered newest first on (time, id) — the order the cursors of
 * common/cursor.ts pin — after a cursor, with the total under the same filter. `time` and `id`
 * are the aliased columns (`i.reported_at`, `i.id`). Reads one row more than the page to know
 * whether another follows.
 */
export async function newestFirstPage<T extends ObjectLiteral>(
  base: SelectQueryBuilder<T>,
  time: string,
  id: string,
  size: number,
  after: { at: Date; id: number } | null,
): Promise<{ rows: T[]; hasNextPage: boolean; totalCount: number }> {
  const totalCount = await base.clone().getCount();
  const page = base
    .clone()
    .orderBy(time, 'DESC')
    .addOrderBy(id, 'DESC')
    .take(size + 1);
  if (after)
    page.andWhere(
      new Brackets((w) => w.where(`${time} < :cAt`, { cAt: after.at }).orWhere(`${time} = :cAt AND ${id} < :cId`, { cAt: after.at, cId: after.id })),
    );
  const rows = await page.getMany(); // first: 0 too reads one row: whether a page follows
  return { rows: rows.slice(0, size), hasNextPage: rows.length > size, totalCount };
}
