import { DataSource, In } from 'typeorm';
import type { ReadDb } from '../database/read-db';
import type { Actor } from '../auth/actor';
import { isStaff } from '../auth/actor';
import { newestFirstPage } from '../database/keyset-page';
import { decodeCursor, encodeCursor, pageSize, parseId } from '../common/cursor';
import { badInput } from '../common/errors';
import { IncidentEntity } from '../incidents/incident.entity';
import { BreachEntity } from './breach.entity';

export interface BreachQuery {
  incidentId?: string | null;
  subjectType?: string[] | null;
  kind?: string[] | null;
  /** detectedAt ≥ from */
  from?: Date | null;
  /** detectedAt < to */
  to?: Date | null;
  /** true: escalated at least once; false: not yet. */
  escalated?: boolean | null;
  /** true: not settled (the subject is still not done). */
  open?: boolean | null;
  includeDrills?: boolean | null;
}

export interface BreachPage {
  rows: BreachEntity[];
  cursors: string[];
  hasNextPage: boolean;
  totalCount: number;
}

/**
 * Reads breaches, through what the actor may see (an INTEGRATION key: its own source's
 * incidents). An incident's breaches are read on the primary; list pages may come from a read
 * replica (`reads`).
 */
export class BreachReader {
  constructor(
    private readonly ds: DataSource,
    private readonly maxPageSize: number,
    private readonly reads: ReadDb,
  ) {}

  /** Breaches of these incidents (already known visible), oldest first, by incident. */
  async forIncidents(ids: readonly number[]): Promise<Map<number, BreachEntity[]>> {
    const out = new Map<number, BreachEntity[]>(ids.map((id) => [id, []]));
    if (!ids.length) return out;
    const rows = await this.ds.manager.find(BreachEntity, { where: { incidentId: In([...ids]) }, order: { id: 'ASC' } });
    for (const b of rows) if (b.incidentId !== null) out.get(b.incidentId)?.push(b);
    return out;
  }

  /** Which of these refund steps have a recorded breach. */
  async breachedSteps(stepIds: readonly number[]): Promise<Set<number>> {
    if (!stepIds.length) return new Set();
    const rows = await this.ds.manager.find(BreachEntity, { where: { subjectType: 'REFUND_STEP', subjectId: In([...stepIds]) }, select: { subjectId: true } });
    return new Set(rows.map((r) => r.subjectId));
  }

  /** A page, newest first (detected_at, id), with the total under the same filter (on a replica when there are some). */
  async list(actor: Actor, f: BreachQuery | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<BreachPage> {
    const size = pageSize(first, this.maxPageSize);
    const filter = f ?? {};
    const incidentId = filter.incidentId != null ? parseId(filter.incidentId) : null;
    if (filter.incidentId != null && incidentId === null) throw badInput('filter.incidentId', 'is not an incident id');
    const c = after ? decodeCursor(after) : null;
    return this.reads.read(async (em) => {
      const q = em.getRepository(BreachEntity).createQueryBuilder('b').innerJoin(IncidentEntity, 'i', 'i.id = b.incident_id');
      if (!isStaff(actor)) q.andWhere('i.source = :ownSource', { ownSource: actor.source });
      if (!filter.includeDrills) q.andWhere('i.drill = :drill', { drill: false });
      if (incidentId !== null) q.andWhere('b.incident_id = :incidentId', { incidentId });
      if (filter.subjectType?.length) q.andWhere('b.subject_type IN (:...types)', { types: filter.subjectType });
      if (filter.kind?.length) q.andWhere('b.kind IN (:...kinds)', { kinds: filter.kind });
      if (filter.from) q.andWhere('b.detected_at >= :from', { from: filter.from });
      if (filter.to) q.andWhere('b.detected_at < :to', { to: filter.to });
      if (filter.escalated != null) q.andWhere(filter.escalated ? 'b.level > 0' : 'b.level = 0');
      if (filter.open != null) q.andWhere(filter.open ? 'b.settled_at IS NULL' : 'b.settled_at IS NOT NULL');
      const { rows, hasNextPage, totalCount } = await newestFirstPage(q, 'b.detected_at', 'b.id', size, c);
      return { rows, cursors: rows.map((b) => encodeCursor(b.detectedAt, b.id)), hasNextPage, totalCount };
    });
  }
}
