import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { parseId } from '../common/cursor';
import { notFound } from '../common/errors';
import { maySee } from '../auth/actor';
import { rawTable } from '../database/raw-table';
import { RemedyEntity } from './remedy.entity';
import { RemedyStepEntity } from './remedy-step.entity';
import { RemedyTransitionEntity } from './remedy-transition.entity';

/** A remedy with its steps in order. */
export interface RemedyView {
  entity: RemedyEntity;
  steps: RemedyStepEntity[];
}

/**
 * Reads remedies, always through what the actor may see (an INTEGRATION key: its own source).
 * By plain SQL (RawTable): advanceRemedy reads a remedy with its steps three times a request,
 * and TypeORM's find building and hydration cost several times those statements.
 */
export class RemedyReader {
  constructor(private readonly ds: DataSource) {}

  async byId(id: number, em: EntityManager = this.ds.manager): Promise<RemedyView | null> {
    const entity = await rawTable(this.ds, RemedyEntity).findOne(em, { id });
    return entity ? (await this.withSteps([entity], em))[0] : null;
  }

  async visible(actor: Actor, id: string): Promise<RemedyView | null> {
    const n = parseId(id);
    const view = n === null ? null : await this.byId(n);
    return view && maySee(actor, view.entity) ? view : null;
  }

  /** Inside a transaction: the remedy with its steps, or NOT_FOUND. */
  async viewFor(em: EntityManager, actor: Actor, id: string): Promise<RemedyView> {
    const n = parseId(id);
    const view = n === null ? null : await this.byId(n, em);
    if (!view || !maySee(actor, view.entity)) throw notFound(`remedy ${id}`);
    return view;
  }

  /** The remedies of these incidents, oldest first, per incident id (batched for Incident.remedies). */
  async forIncidents(incidentIds: readonly number[]): Promise<Map<number, RemedyView[]>> {
    const rows = incidentIds.length ? await rawTable(this.ds, RemedyEntity).find(this.ds.manager, { incidentId: incidentIds }, { order: { id: 'ASC' } }) : [];
    const views = await this.withSteps(rows);
    return new Map(incidentIds.map((id) => [id, views.filter((v) => v.entity.incidentId === id)]));
  }

  /** Every transition of each remedy, oldest first. */
  async histories(remedyIds: readonly number[]): Promise<Map<number, RemedyTransitionEntity[]>> {
    const rows = remedyIds.length
      ? await rawTable(this.ds, RemedyTransitionEntity).find(this.ds.manager, { remedyId: remedyIds }, { order: { id: 'ASC' } })
      : [];
    return new Map(remedyIds.map((id) => [id, rows.filter((r) => r.remedyId === id)]));
  }

  private async withSteps(entities: RemedyEntity[], em: EntityManager = this.ds.manager): Promise<RemedyView[]> {
    if (!entities.length) return [];
    const steps = await rawTable(this.ds, RemedyStepEntity).find(em, { remedyId: entities.map((e) => e.id) }, { order: { remedyId: 'ASC', position: 'ASC' } });
    return entities.map((entity) => ({ entity, steps: steps.filter((s) => s.remedyId === entity.id) }));
  }
}
