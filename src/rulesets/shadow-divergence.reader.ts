import type { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, pageSize } from '../common/cursor';
import { ShadowDivergenceEntity } from './shadow-divergence.entity';

export interface ShadowDivergencePage {
  rows: ShadowDivergenceEntity[];
  cursors: string[];
  hasNextPage: boolean;
  totalCount: number;
}

/** Reads recorded shadow divergences, newest first. */
export class ShadowDivergenceReader {
  constructor(private readonly ds: DataSource, private readonly maxPageSize: number) {}

  /** A page, newest first; `shadowVersion` limits it to one shadow pack. */
  async list(first: number | null | undefined, after: string | null | undefined, shadowVersion: string | null | undefined): Promise<ShadowDivergencePage> {
    const size = pageSize(first, this.maxPageSize);
    const base = this.ds.getRepository(ShadowDivergenceEntity).createQueryBuilder('d');
    if (shadowVersion) base.andWhere('d.shadow_version = :shadowVersion', { shadowVersion });
    const totalCount = await base.clone().getCount();
    const page = base.clone().orderBy('d.id', 'DESC').take(size + 1);
    if (after) page.andWhere('d.id < :afterId', { afterId: decodeCursor(after).id });
    const rows = size === 0 ? [] : await page.getMany();
    const kept = rows.slice(0, size);
    return { rows: kept, cursors: kept.map((r) => encodeCursor(r.detectedAt, r.id)), hasNextPage: rows.length > size, totalCount };
  }
}
