import { decodeCursor, encodeCursor, pageSize } from '../common/cursor';
import type { ReadDb } from '../database/read-db';
import { ShadowDivergenceEntity } from './shadow-divergence.entity';

export interface ShadowDivergencePage {
  rows: ShadowDivergenceEntity[];
  cursors: string[];
  hasNextPage: boolean;
  totalCount: number;
}

/** Reads recorded shadow divergences, newest first (on a read replica when there are some). */
export class ShadowDivergenceReader {
  constructor(
    private readonly reads: ReadDb,
    private readonly maxPageSize: number,
  ) {}

  /** A page, newest first; `shadowVersion` limits it to one shadow pack. */
  async list(first: number | null | undefined, after: string | null | undefined, shadowVersion: string | null | undefined): Promise<ShadowDivergencePage> {
    const size = pageSize(first, this.maxPageSize);
    const afterId = after ? decodeCursor(after).id : null;
    return this.reads.read(async (em) => {
      const base = em.getRepository(ShadowDivergenceEntity).createQueryBuilder('d');
      if (shadowVersion) base.andWhere('d.shadow_version = :shadowVersion', { shadowVersion });
      const totalCount = await base.clone().getCount();
      const page = base
        .clone()
        .orderBy('d.id', 'DESC')
        .take(size + 1);
      if (afterId !== null) page.andWhere('d.id < :afterId', { afterId });
      const rows = size === 0 ? [] : await page.getMany();
      const kept = rows.slice(0, size);
      return { rows: kept, cursors: kept.map((r) => encodeCursor(r.detectedAt, r.id)), hasNextPage: rows.length > size, totalCount };
    });
  }
}
