import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../auth/actor';
import { isStaff } from '../auth/actor';
import { decodeCursor, encodeCursor, pageSize, parseId } from '../common/cursor';
import { notFound } from '../common/errors';
import type { ReadDb } from '../database/read-db';
import { newestFirstPage } from '../database/keyset-page';
import { rawTable } from '../database/raw-table';
import { maySee } from '../auth/actor';
import { RefundEntity } from './refund.entity';
import { RefundStepEntity } from './refund-step.entity';
import { RefundTransitionEntity } from './refund-transition.entity';
import type { RefundFilter } from './refund.inputs';

/** A refund with every step of every attempt (attempt, then position). */
export interface RefundView {
  entity: RefundEntity;
  steps: RefundStepEntity[];
}

export interface RefundPage {
  views: RefundView[];
  cursors: string[];
  hasNextPage: boolean;
  totalCount: number;
}

/**
 * Reads refunds, always through what the actor may see (an INTEGRATION key: its own source).
 * One refund, an incident's refunds and histories are read on the primary; list pages may
 * come from a read replica (`reads`). Rows are read by plain SQL (RawTable), all but a list
 * page's filtered query: decideRefundStep reads its refund with its steps five times a request,
 * and TypeORM's find building and hydration cost several times those statements.
 */
export class RefundReader {
  constructor(
    private readonly ds: DataSource,
    private readonly maxPageSize: number,
    private readonly reads: ReadDb,
  ) {}

  async byId(id: number, em: EntityManager = this.ds.manager): Promise<RefundView | null> {
    const entity = await rawTable(this.ds, RefundEntity).findOne(em, { id });
    return entity ? (await this.withSteps([entity], em))[0] : null;
  }

  /** The refund if the actor may see it, else null. */
  async visible(actor: Actor, id: string): Promise<RefundView | null> {
    const n = parseId(id);
    const view = n === null ? null : await this.byId(n);
    return view && maySee(actor, view.entity) ? view : null;
  }

  /** Inside a transaction: the refund with its steps, or NOT_FOUND. */
  async viewFor(em: EntityManager, actor: Actor, id: string): Promise<RefundView> {
    const n = parseId(id);
    const view = n === null ? null : await this.byId(n, em);
    if (!view || !maySee(actor, view.entity)) throw notFound(`refund ${id}`);
    return view;
  }

  /** An incident's refunds, oldest first (the incident is already known to be visible). */
  async forIncident(incidentId: number): Promise<RefundView[]> {
    const rows = await rawTable(this.ds, RefundEntity).find(this.ds.manager, { incidentId }, { order: { id: 'ASC' } });
    return this.withSteps(rows);
  }

  /** The refunds of several incidents at once (already known to be visible), oldest first: two queries whatever their number. */
  async forIncidents(incidentIds: number[]): Promise<Map<number, RefundView[]>> {
    const rows = incidentIds.length ? await rawTable(this.ds, RefundEntity).find(this.ds.manager, { incidentId: incidentIds }, { order: { id: 'ASC' } }) : [];
    const byIncident = new Map<number, RefundView[]>(incidentIds.map((id) => [id, []]));
    for (const view of await this.withSteps(rows)) byIncident.get(view.entity.incidentId)?.push(view);
    return byIncident;
  }

  /** The histories of several refunds at once, each oldest first. */
  async histories(refundIds: number[]): Promise<Map<number, RefundTransitionEntity[]>> {
    const rows = refundIds.length
      ? await rawTable(this.ds, RefundTransitionEntity).find(this.ds.manager, { refundId: refundIds }, { order: { id: 'ASC' } })
      : [];
    const byRefund = new Map<number, RefundTransitionEntity[]>(refundIds.map((id) => [id, []]));
    for (const t of rows) byRefund.get(t.refundId)?.push(t);
    return byRefund;
  }

  async history(refundId: number): Promise<RefundTransitionEntity[]> {
    return rawTable(this.ds, RefundTransitionEntity).find(this.ds.manager, { refundId }, { order: { id: 'ASC' } });
  }

  /** A page, newest first (requested_at, id), with the total under the same filter (on a replica when there are some). */
  async list(actor: Actor, filter: RefundFilter | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<RefundPage> {
    const size = pageSize(first, this.maxPageSize);
    const c = after ? decodeCursor(after) : null;
    return this.reads.read(async (em) => {
      const { rows, hasNextPage, totalCount } = await newestFirstPage(this.filtered(em, actor, filter ?? {}), 'r.requested_at', 'r.id', size, c);
      const views = await this.withSteps(rows, em);
      return { views, cursors: views.map((v) => encodeCursor(v.entity.requestedAt, v.entity.id)), hasNextPage, totalCount };
    });
  }

  private filtered(em: EntityManager, actor: Actor, f: RefundFilter): SelectQueryBuilder<RefundEntity> {
    const q = em.getRepository(RefundEntity).createQueryBuilder('r');
    if (!isStaff(actor)) q.andWhere('r.source = :ownSource', { ownSource: actor.source });
    if (!f.includeDrills) q.andWhere('r.drill = :drill', { drill: false });
    if (f.status?.length) q.andWhere('r.status IN (:...status)', { status: f.status });
    if (f.category?.length) q.andWhere('r.category IN (:...category)', { category: f.category });
    if (f.from) q.andWhere('r.requested_at >= :from', { from: f.from });
    if (f.to) q.andWhere('r.requested_at < :to', { to: f.to });
    return q;
  }

  /** Views of refunds already read (and known to be visible), in the given order: one query for all their steps. */
  async withSteps(entities: RefundEntity[], em: EntityManager = this.ds.manager): Promise<RefundView[]> {
    if (!entities.length) return [];
    const ids = entities.map((e) => e.id);
    const steps = await rawTable(this.ds, RefundStepEntity).find(em, { refundId: ids }, { order: { attempt: 'ASC', position: 'ASC' } });
    const byRefund = new Map<number, RefundStepEntity[]>();
    for (const s of steps) {
      const of = byRefund.get(s.refundId);
      if (of) of.push(s);
      else byRefund.set(s.refundId, [s]);
    }
    return entities.map((entity) => ({ entity, steps: byRefund.get(entity.id) ?? [] }));
  }
}
