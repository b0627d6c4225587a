import { DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../auth/actor';
import { isStaff, maySee } from '../auth/actor';
import { decodeCursor, encodeCursor, pageSize, parseId } from '../common/cursor';
import { notFound } from '../common/errors';
import type { ReadDb } from '../database/read-db';
import { newestFirstPage } from '../database/keyset-page';
import { rawTable } from '../database/raw-table';
import { IncidentEntity } from './incident.entity';
import { IncidentActionEntity } from './incident-action.entity';
import { IncidentEventEntity } from './incident-event.entity';
import { IncidentDecisionEntity } from './incident-decision.entity';
import type { IncidentFilter } from './incident.inputs';

/** An incident with its required actions, as read models and resolvers need it. */
export interface IncidentView {
  entity: IncidentEntity;
  actions: IncidentActionEntity[];
}

export interface IncidentPage {
  views: IncidentView[];
  cursors: string[];
  hasNextPage: boolean;
  totalCount: number;
}

/**
 * Reads incidents, always through what the actor may see. One incident (by id, by reference,
 * its history) is read on the primary: it may have just been written. List pages may come
 * from a read replica (`reads`).
 */
export class IncidentReader {
  constructor(
    private readonly ds: DataSource,
    private readonly maxPageSize: number,
    private readonly reads: ReadDb,
  ) {}

  /**
   * One incident with its actions, on the primary or in `em`'s transaction: plain statements
   * (RawTable), as every mutation answers with it after its transaction; TypeORM's find and
   * hydration cost more CPU than the two reads. The same rows as `withActions`, in its order.
   */
  async byId(id: number, em: EntityManager = this.ds.manager): Promise<IncidentView | null> {
    const entity = await rawTable(this.ds, IncidentEntity).findOne(em, { id });
    return entity ? this.viewOf(em, entity) : null;
  }

  /** The incident with its actions as they are now in `em`'s transaction (the entity as the caller holds it). */
  async viewOf(em: EntityManager, entity: IncidentEntity): Promise<IncidentView> {
    return { entity, actions: await rawTable(this.ds, IncidentActionEntity).find(em, { incidentId: entity.id }, { order: { position: 'ASC' } }) };
  }

  async byExternalRef(source: string, externalRef: string): Promise<IncidentView | null> {
    const entity = await this.ds.manager.findOneBy(IncidentEntity, { source, externalRef });
    return entity ? (await this.withActions([entity]))[0] : null;
  }

  /** The incident if the actor may see it, else null (another source's incident does not exist for it). */
  async visible(actor: Actor, id: string): Promise<IncidentView | null> {
    const n = parseId(id);
    const view = n === null ? null : await this.byId(n);
    return view && maySee(actor, view.entity) ? view : null;
  }

  async visibleByRef(actor: Actor, source: string, externalRef: string): Promise<IncidentView | null> {
    const view = await this.byExternalRef(source, externalRef);
    return view && maySee(actor, view.entity) ? view : null;
  }

  /**
   * Inside a transaction that changes the incident: its row locked to the end of the transaction
   * (MySQL/MariaDB: SELECT … FOR UPDATE; SQLite runs one writer) and read in the same plain
   * statement, so what is read is current — or NOT_FOUND. The incident row is the first lock
   * every writer of an incident takes (locks.ts: the one lock order).
   */
  async entityFor(em: EntityManager, actor: Actor, id: string): Promise<IncidentEntity> {
    const n = parseId(id);
    const entity = n === null ? null : await rawTable(this.ds, IncidentEntity).findOne(em, { id: n }, { forUpdate: true });
    if (!entity || !maySee(actor, entity)) throw notFound(`incident ${id}`);
    return entity;
  }

  /** Several incidents by id at once (with their actions): two queries whatever their number. */
  async byIds(ids: number[]): Promise<Map<number, IncidentView>> {
    const rows = ids.length ? await this.ds.manager.find(IncidentEntity, { where: { id: In(ids) } }) : [];
    return new Map((await this.withActions(rows)).map((v) => [v.entity.id, v]));
  }

  /** The histories of several incidents at once, each oldest first. */
  async histories(incidentIds: number[]): Promise<Map<number, IncidentEventEntity[]>> {
    const rows = incidentIds.length ? await this.ds.manager.find(IncidentEventEntity, { where: { incidentId: In(incidentIds) }, order: { id: 'ASC' } }) : [];
    const byIncident = new Map<number, IncidentEventEntity[]>(incidentIds.map((id) => [id, []]));
    for (const e of rows) byIncident.get(e.incidentId)?.push(e);
    return byIncident;
  }

  /**
   * `repeatIncidents30d` as the actor may see it: the stored count (every source) for staff; for
   * an INTEGRATION key only its own source's incidents of the customer in the same 30 days.
   */
  async repeatIncidents30dSeenBy(actor: Actor, customerId: string | null, reportedAt: Date, stored: number): Promise<number> {
    if (isStaff(actor)) return stored;
    if (customerId === null || actor.source === null) return 0;
    return this.ds.manager
      .createQueryBuilder(IncidentEntity, 'i')
      .where('i.customer_id = :customerId AND i.drill = :drill AND i.reported_at >= :from AND i.reported_at < :to AND i.source = :source', {
        customerId,
        drill: false,
        from: new Date(reportedAt.getTime() - 30 * 24 * 3600_000),
        to: reportedAt,
        source: actor.source,
      })
      .getCount();
  }

  /** Every decision kept for an incident (the one at the report, then one per amendment), oldest first. */
  async decisions(incidentId: number): Promise<IncidentDecisionEntity[]> {
    return this.ds.manager.find(IncidentDecisionEntity, { where: { incidentId }, order: { seq: 'ASC' } });
  }

  async history(incidentId: number): Promise<IncidentEventEntity[]> {
    return this.ds.manager.find(IncidentEventEntity, { where: { incidentId }, order: { id: 'ASC' } });
  }

  /** A page, newest first (reported_at, id), with the total under the same filter (on a replica when there are some). */
  async list(
    actor: Actor,
    filter: IncidentFilter | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<IncidentPage> {
    const size = pageSize(first, this.maxPageSize);
    const c = after ? decodeCursor(after) : null;
    return this.reads.read(async (em) => {
      const { rows, hasNextPage, totalCount } = await newestFirstPage(this.filtered(em, actor, filter ?? {}), 'i.reported_at', 'i.id', size, c);
      const views = await this.withActions(rows, em);
      return { views, cursors: views.map((v) => encodeCursor(v.entity.reportedAt, v.entity.id)), hasNextPage, totalCount };
    });
  }

  private filtered(em: EntityManager, actor: Actor, f: IncidentFilter): SelectQueryBuilder<IncidentEntity> {
    const q = em.getRepository(IncidentEntity).createQueryBuilder('i');
    if (!isStaff(actor)) q.andWhere('i.source = :ownSource', { ownSource: actor.source });
    if (!f.includeDrills) q.andWhere('i.drill = :drill', { drill: false });
    if (f.status?.length) q.andWhere('i.status IN (:...status)', { status: f.status });
    if (f.severity?.length) q.andWhere('i.severity IN (:...severity)', { severity: f.severity });
    if (f.category?.length) q.andWhere('i.category IN (:...category)', { category: f.category });
    if (f.ownerDepartment?.length) q.andWhere('i.owner_department IN (:...owner)', { owner: f.ownerDepartment });
    if (f.from) q.andWhere('i.reported_at >= :from', { from: f.from });
    if (f.to) q.andWhere('i.reported_at < :to', { to: f.to });
    if (f.source) q.andWhere('i.source = :source', { source: f.source });
    if (f.customerId) q.andWhere('i.customer_id = :customerId', { customerId: f.customerId });
    return q;
  }

  /** Views of incidents already read (and known to be visible), in the given order: one query for all their actions. */
  async withActions(entities: IncidentEntity[], em: EntityManager = this.ds.manager): Promise<IncidentView[]> {
    if (!entities.length) return [];
    const actions = await em.find(IncidentActionEntity, { where: { incidentId: In(entities.map((e) => e.id)) }, order: { position: 'ASC' } });
    const byIncident = new Map<number, IncidentActionEntity[]>();
    for (const a of actions) byIncident.set(a.incidentId, [...(byIncident.get(a.incidentId) ?? []), a]);
    return entities.map((entity) => ({ entity, actions: byIncident.get(entity.id) ?? [] }));
  }
}
