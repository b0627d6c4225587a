import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { RawTable } from '../../src/database/raw-table';
import { IncidentEntity } from '../../src/incidents/incident.entity';
import { IncidentActionEntity } from '../../src/incidents/incident-action.entity';
import { IncidentDecisionEntity } from '../../src/incidents/incident-decision.entity';
import { IncidentEventEntity } from '../../src/incidents/incident-event.entity';
import { IncidentClockEntity } from '../../src/escalation/incident-clock.entity';
import { RefundEntity } from '../../src/refunds/refund.entity';
import { RefundStepEntity } from '../../src/refunds/refund-step.entity';
import { RefundTransitionEntity } from '../../src/refunds/refund-transition.entity';
import { RemedyEntity } from '../../src/remedies/remedy.entity';
import { RemedyStepEntity } from '../../src/remedies/remedy-step.entity';
import { RemedyTransitionEntity } from '../../src/remedies/remedy-transition.entity';
import { Harness, startHarness } from './support/harness';
import { buildReportScenario } from './support/report-scenario';
import { refundKit } from './support/refunds';

const START_REMEDY = 'mutation($input: StartRemedyInput!) { startRemedy(input: $input) { id } }';
const AMEND = 'mutation($i: AmendIncidentInput!) { amendIncident(input: $i) { id } }';
const PAUSE = 'mutation($id: ID!, $reason: String!) { pauseIncidentClock(id: $id, reason: $reason) { id } }';

/**
 * The write flows' rows read and written by plain SQL (RawTable) are the rows TypeORM reads
 * and writes: every column of every entity the flows touch, as TypeORM hydrates it (dates,
 * booleans, JSON, money, nulls), on SQLite and MariaDB.
 */
describe('raw tables', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await buildReportScenario(h);
    const k = refundKit(h);
    const incidentId = await k.incident({ category: 'PRODUCT_QUALITY', subtype: 'FUNCTION_FAILURE', amount: '300.00' });
    const started = await h.gql(h.keys.AGENT, START_REMEDY, { input: { incidentId, kind: 'REPAIR', orderNo: 'SO-R', items: '电水壶 x1' } });
    expect(started.errors).toBeUndefined();
    const paused = await h.gql(h.keys.CS_LEAD, PAUSE, { id: incidentId, reason: '等待客户回复' });
    expect(paused.errors).toBeUndefined();
    const amended = await h.gql(h.keys.CS_LEAD, AMEND, { i: { id: incidentId, amount: '800.00', note: '核实后金额800元' } });
    expect(amended.errors).toBeUndefined();
  });
  afterAll(async () => h.close());

  const entities: Array<[string, EntityTarget<ObjectLiteral>, string]> = [
    ['incidents', IncidentEntity, 'id'],
    ['incident actions', IncidentActionEntity, 'id'],
    ['incident decisions', IncidentDecisionEntity, 'id'],
    ['incident events', IncidentEventEntity, 'id'],
    ['incident clocks', IncidentClockEntity, 'incidentId'],
    ['refunds', RefundEntity, 'id'],
    ['refund steps', RefundStepEntity, 'id'],
    ['refund transitions', RefundTransitionEntity, 'id'],
    ['remedies', RemedyEntity, 'id'],
    ['remedy steps', RemedyStepEntity, 'id'],
    ['remedy transitions', RemedyTransitionEntity, 'id'],
  ];

  it.each(entities)('reads %s as TypeORM does: the same entities, value for value', async (_name, target, key) => {
    const ds = h.app.services.ds;
    const typeorm = await ds.manager.find(target, { order: { [key]: 'ASC' } });
    const raw = await new RawTable(ds, target).find(ds.manager, {}, { order: { [key]: 'ASC' } });
    expect(typeorm.length).toBeGreaterThan(0);
    expect(raw).toEqual(typeorm);
    for (const e of raw) expect(Object.getPrototypeOf(e)).toBe(Object.getPrototypeOf(typeorm[0]));
  });

  it('matches on values, IN lists (empty included) and NULL; orders and limits', async () => {
    const ds = h.app.services.ds;
    const actions = new RawTable(ds, IncidentActionEntity);
    const all = await ds.manager.find(IncidentActionEntity, { order: { incidentId: 'DESC', position: 'ASC' } });
    const ids = [...new Set(all.map((a) => a.incidentId))];
    expect(await actions.find(ds.manager, { incidentId: ids }, { order: { incidentId: 'DESC', position: 'ASC' } })).toEqual(all);
    expect(await actions.find(ds.manager, { incidentId: [] })).toEqual([]);
    // Every length reads its own rows, though lengths share a statement (padded to a power of two).
    for (let n = 1; n <= Math.min(ids.length, 9); n++) {
      const some = ids.slice(0, n);
      expect(await actions.find(ds.manager, { incidentId: some }, { order: { incidentId: 'DESC', position: 'ASC' } })).toEqual(
        all.filter((a) => some.includes(a.incidentId)),
      );
    }
    const first = all[0];
    expect(await actions.findOne(ds.manager, { incidentId: first.incidentId }, { order: { incidentId: 'DESC', position: 'ASC' } })).toEqual(first);
    expect(await actions.find(ds.manager, { incidentId: first.incidentId, doneAt: null })).toEqual(
      all.filter((a) => a.incidentId === first.incidentId && a.doneAt === null).sort((a, b) => a.id - b.id),
    );
    expect(await actions.findOne(ds.manager, { id: -1 })).toBeNull();
  });

  it('writes what TypeORM would write (dates, booleans, JSON), inside a transaction and locking, and counts the rows', async () => {
    const ds = h.app.services.ds;
    const actions = new RawTable(ds, IncidentActionEntity);
    const [a] = await ds.manager.find(IncidentActionEntity, { where: { done: false }, order: { id: 'ASC' }, take: 1 });
    const doneAt = new Date('2026-11-23T03:04:05.678Z');
    const changed = await h.app.services.tx.run(async (em) => {
      const locked = await actions.findOne(em, { id: a.id }, { forUpdate: true });
      expect(locked).toEqual(a);
      return actions.update(em, { status: 'DONE', done: true, doneAt, doneBy: '张三', evidence: { receiptNo: '沪公 123' } }, { id: a.id, done: false });
    });
    expect(changed).toBe(1);
    const after = await ds.manager.findOneByOrFail(IncidentActionEntity, { id: a.id });
    expect(after).toEqual(
      Object.assign(new IncidentActionEntity(), a, { status: 'DONE', done: true, doneAt, doneBy: '张三', evidence: { receiptNo: '沪公 123' } }),
    );
    expect(await actions.update(ds.manager, { note: 'again' }, { id: a.id, done: false })).toBe(0);
  });

  it('rolls back with the transaction it was part of', async () => {
    const ds = h.app.services.ds;
    const incidents = new RawTable(ds, IncidentEntity);
    const [i] = await ds.manager.find(IncidentEntity, { order: { id: 'ASC' }, take: 1 });
    await expect(
      h.app.services.tx.run(async (em) => {
        await incidents.update(em, { satisfactionComment: 'never kept' }, { id: i.id });
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect((await ds.manager.findOneByOrFail(IncidentEntity, { id: i.id })).satisfactionComment).toBe(i.satisfactionComment);
  });
});
