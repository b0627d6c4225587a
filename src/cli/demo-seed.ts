import { DateTime } from 'luxon';
import pino from 'pino';
import type { Actor, Role } from '../auth/actor';
import { ApiKeyEntity } from '../auth/api-key.entity';
import { ManualClock } from '../common/clock';
import { AppError } from '../common/errors';
import type { AppConfig } from '../config/config';
import { createDataSource, migrate } from '../database/data-source';
import type { IncidentView } from '../incidents/incident.reader';
import type { RefundView } from '../refunds/refund.reader';
import { StepDecisionGql } from '../graphql/enums';
import { createServices, Services } from '../services';
import { seedPeople } from './demo-people';
import { between, chance, DEMO_CATEGORIES, DemoIncident, demoIncident, pick, prngFor, Random, spreadOverMonths } from './demo-data';
import { LIVE_REFUND_STATUSES } from '../refunds/refund.state-machine';

export interface DemoSeedOptions {
  incidents: number;
  months: number;
  /** The seed's "now": nothing happens after it; the last month is the one it falls in. */
  until: Date;
  seed: number;
}

export interface DemoSeedResult {
  months: string[];
  created: number;
  skipped: number;
  refunds: Record<string, number>;
  /** Remedies started, by final status (IN_PROGRESS, COMPLETED, CANCELLED). */
  remedies: Record<string, number>;
}

const MINUTE = 60_000;
const RETURN_REASONS = ['缺少支付凭证', '银行账号与付款账户不一致', '金额与订单不符', '缺少顾客签字的退款申请单'];

/** The people the seed acts as: one API key each, created when missing, never printed. */
const PEOPLE: Array<[string, Role]> = [
  ['demo.agent.wang', 'AGENT'],
  ['demo.agent.li', 'AGENT'],
  ['demo.cslead.zhao', 'CS_LEAD'],
  ['demo.tech.sun', 'TECH'],
  ['demo.cashier.qian', 'CASHIER'],
  ['demo.accountant.zhou', 'ACCOUNTANT'],
  ['demo.director.wu', 'FINANCE_DIRECTOR'],
  ['demo.president.zheng', 'PRESIDENT'],
  ['demo.logistics.he', 'LOGISTICS'],
];

/**
 * Fills the database with incidents and refunds spread over the last `months` business
 * months, through the real services (decisions by the rule pack, refund chains with their
 * signing rules), with a clock the seed moves. Deterministic for a seed and an `until`;
 * running it again skips the incidents it made before (source "demo", fixed references).
 */
export async function seedDemo(config: AppConfig, opts: DemoSeedOptions): Promise<DemoSeedResult> {
  const ds = createDataSource(config.database);
  await ds.initialize();
  try {
    await migrate(ds);
    const clock = new ManualClock(opts.until);
    const services = createServices(config, ds, clock, pino({ level: 'silent' }));
    await services.ruleSets.init();
    const people = await ensurePeople(services);
    await seedPeople(services, opts.until);
    const calendar = services.ruleSets.current().engine.calendar;
    const last = DateTime.fromJSDate(opts.until, { zone: calendar.timeZone }).startOf('month');
    const months = Array.from({ length: opts.months }, (_, i) => last.minus({ months: opts.months - 1 - i }).toFormat('yyyy-MM'));
    const counts = spreadOverMonths(opts.incidents, months);
    const plan = months
      .flatMap((month, m) => {
        return Array.from({ length: counts[m] }, (_, i) => {
          const ref = `DEMO-${month}-${String(i + 1).padStart(4, '0')}`;
          const rnd = prngFor(opts.seed, ref);
          // The first month starts with one incident of every category, so every one shows.
          const category = m === 0 ? DEMO_CATEGORIES[i] : undefined;
          return { ref, rnd, at: reportTime(rnd, month, calendar.timeZone, opts.until), incident: demoIncident(rnd, ref, category, Number(month.slice(5, 7))) };
        });
      })
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    const result: DemoSeedResult = { months, created: 0, skipped: 0, refunds: {}, remedies: {} };
    for (const p of plan) {
      if (await services.incidentReader.byExternalRef('demo', p.ref)) {
        result.skipped += 1;
        continue;
      }
      const world = new World(services, clock, opts.until, people, p.rnd);
      const status = await world.play(p.at, p.incident);
      if (status) result.refunds[status] = (result.refunds[status] ?? 0) + 1;
      for (const r of await services.remedyReader.forIncidents([Number(world.incidentId)]).then((m) => m.get(Number(world.incidentId)) ?? [])) {
        result.remedies[r.entity.status] = (result.remedies[r.entity.status] ?? 0) + 1;
      }
      result.created += 1;
    }
    return result;
  } finally {
    await ds.destroy();
  }
}

/** A time in the month, mostly between 08:00 and 21:00 local, and at least 30 minutes before `until`. */
function reportTime(rnd: Random, month: string, zone: string, until: Date): Date {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone });
  const end = DateTime.fromJSDate(until, { zone });
  const lastDay = end.toFormat('yyyy-MM') === month ? end.day : start.daysInMonth!;
  const at = start.set({ day: between(rnd, 1, lastDay), hour: between(rnd, 8, 20), minute: between(rnd, 0, 59) }).toJSDate();
  const latest = until.getTime() - 30 * MINUTE;
  return at.getTime() <= latest ? at : new Date(latest - between(rnd, 0, 600) * MINUTE);
}

async function ensurePeople(services: Services): Promise<Map<string, Actor>> {
  const repo = services.ds.getRepository(ApiKeyEntity);
  const people = new Map<string, Actor>();
  for (const [name, role] of PEOPLE) {
    if (!(await repo.findOneBy({ name }))) await services.apiKeys.create(name, [role], null);
    const row = (await repo.findOneBy({ name }))!;
    people.set(name, { keyId: row.id, name, roles: new Set(row.roles.split(',') as Role[]), source: row.source });
  }
  return people;
}

/** One incident's story, told through the services while moving the clock (never past `until`). */
class World {
  private readonly byRole: Map<string, Actor>;
  /** The incident this world reported, once reported. */
  incidentId = '';

  constructor(
    private readonly s: Services,
    private readonly clock: ManualClock,
    private readonly until: Date,
    private readonly people: Map<string, Actor>,
    private readonly rnd: Random,
  ) {
    this.byRole = new Map([...people.values()].map((a) => [[...a.roles][0], a]));
  }

  /** Reports the incident, works it, and runs its refund; returns the refund's final status. */
  async play(at: Date, plan: DemoIncident): Promise<string | null> {
    this.clock.set(at);
    const agent = this.people.get(chance(this.rnd, 0.5) ? 'demo.agent.wang' : 'demo.agent.li')!;
    const lead = this.byRole.get('CS_LEAD')!;
    const { incident } = await this.s.incidents.report(agent, plan.input);
    const id = String(incident.entity.id);
    this.incidentId = id;
    // Busy months (November) are worked more slowly: more deadlines missed, lower satisfaction.
    const busy = this.calendarMonth(at) === 11 ? 2 : 1;
    // Mostly within minutes; now and then hours later (a night, a busy shift): acknowledged late.
    if (!this.wait(chance(this.rnd, 0.12 * busy) ? between(this.rnd, 5 * 60, 14 * 60) : between(this.rnd, 2, 40))) return null;
    await this.s.escalation.tick(); // what was missed meanwhile is breached, as the scheduler would have
    await this.s.incidents.setStatus(lead, id, 'ACKNOWLEDGED', null, '已受理');
    // After-sales: a remedy the rules allow is started before any refund, so a refund request does its REFUND_REQUESTED step.
    const remedyId = await this.startRemedy(agent, id);
    const status = plan.refund ? await this.refund(agent, id, plan.refund) : null;
    if (remedyId && !(await this.workRemedy(agent, lead, remedyId))) return status;
    await this.completeActions(agent, incident);
    const late = chance(this.rnd, 0.1 * busy);
    if (!this.wait(late ? between(this.rnd, 6 * 24 * 60, 12 * 24 * 60) : between(this.rnd, 30, 24 * 60)) || chance(this.rnd, 0.1)) return status;
    await this.s.escalation.tick();
    await this.waiveOpen(lead, id, false);
    await this.s.incidents.setStatus(lead, id, 'RESOLVED', null, '处理完毕');
    if (chance(this.rnd, 0.7)) await this.s.incidents.recordSatisfaction(agent, id, pick(this.rnd, late ? [1, 2, 2, 3, 4] : [3, 4, 4, 5, 5, 5]), null);
    if (this.wait(between(this.rnd, 12 * 60, 3 * 24 * 60)) && chance(this.rnd, 0.6)) {
      await this.waiveOpen(lead, id, true);
      await this.s.incidents.setStatus(lead, id, 'CLOSED', null, null);
    }
    return status;
  }

  private async refund(agent: Actor, incidentId: string, r: NonNullable<DemoIncident['refund']>): Promise<string | null> {
    if (!this.wait(between(this.rnd, 1, 9))) return null;
    let view: RefundView;
    try {
      view = await this.s.refunds.request(agent, { incidentId, amount: r.amount, method: r.method, bank: r.bank });
    } catch (e) {
      if (e instanceof AppError && e.code === 'BAD_USER_INPUT') return null; // no chain for this incident
      throw e;
    }
    const refundId = String(view.entity.id);
    const pending = (steps: RefundView['steps'], attempt: number) => steps.find((s) => s.attempt === attempt && s.status === 'PENDING');
    for (let guard = 0; guard < 40; guard++) {
      const e = view.entity;
      if (e.status === 'RETURNED') {
        if (!this.wait(between(this.rnd, 30, 240))) break;
        view = chance(this.rnd, 0.75)
          ? await this.s.refunds.resubmit(agent, refundId, '已补充材料')
          : await this.s.refunds.cancel(agent, refundId, '顾客撤回退款申请');
        continue;
      }
      const step = pending(view.steps, e.attempt);
      // Now and then a refund stalls at a step: the reports then show it overdue.
      if (!step || !(LIVE_REFUND_STATUSES as readonly string[]).includes(e.status) || chance(this.rnd, 0.03)) break;
      // Mostly in time; now and then hours, or a day or two, late.
      const gap = chance(this.rnd, 0.75) ? between(this.rnd, 3, 50) : chance(this.rnd, 0.7) ? between(this.rnd, 60, 360) : between(this.rnd, 1440, 2880);
      if (!this.wait(gap)) break;
      const actor = step.role === 'AGENT' ? agent : this.byRole.get(step.role)!;
      const ret = step.canReturn && chance(this.rnd, 0.06);
      view = await this.s.refunds.decide(actor, {
        refundId,
        step: step.step,
        decision: ret ? StepDecisionGql.RETURN : StepDecisionGql.APPROVE,
        comment: ret ? pick(this.rnd, RETURN_REASONS) : '同意',
      });
    }
    return view.entity.status;
  }

  /** Starts one of the remedies the decision allows (mostly the preferred one), now and then; its id. */
  private async startRemedy(agent: Actor, incidentId: string): Promise<string | null> {
    const view = (await this.s.incidentReader.byId(Number(incidentId)))!;
    const allowed = view.entity.decision.remedies ?? [];
    if (!allowed.length || !chance(this.rnd, 0.8) || !this.wait(between(this.rnd, 10, 240))) return null;
    const kind = chance(this.rnd, 0.7) ? allowed[0] : pick(this.rnd, allowed);
    const r = await this.s.remedies.start(agent, { incidentId, kind, orderNo: view.entity.orderNo, items: '演示商品 x1', note: null });
    return String(r.entity.id);
  }

  /**
   * Works a remedy's steps, mostly in time, some late; now and then cancelled. False when the
   * seed's "now" came first (it stays IN_PROGRESS). A REFUND_REQUESTED step no refund did is cancelled.
   */
  private async workRemedy(agent: Actor, lead: Actor, remedyId: string): Promise<boolean> {
    for (let guard = 0; guard < 10; guard++) {
      const view = (await this.s.remedyReader.byId(Number(remedyId)))!;
      const e = view.entity;
      if (e.status !== 'IN_PROGRESS') return true;
      // Now and then a remedy stalls at a step (the warehouse is waiting): it stays IN_PROGRESS, overdue.
      if (chance(this.rnd, 0.1)) return false;
      const gap = chance(this.rnd, 0.8) ? between(this.rnd, 60, 8 * 60) : between(this.rnd, 2 * 24 * 60, 5 * 24 * 60);
      if (!this.wait(gap)) return false;
      if (chance(this.rnd, 0.12)) {
        await this.s.remedies.cancel(lead, remedyId, pick(this.rnd, ['客户改为退款', '客户撤诉', '重复登记']));
        return true;
      }
      const step = view.steps.find((st) => st.status === 'PENDING')!;
      const actor = step.role === 'AGENT' ? agent : this.byRole.get(step.role)!;
      try {
        await this.s.remedies.advance(actor, {
          remedyId,
          step: step.step,
          note: '已处理',
          trackingNo: step.needsTracking ? `SF${remedyId.padStart(10, '0')}` : null,
        });
      } catch (err) {
        // REFUND_REQUESTED with no refund of the incident requested: the customer settled otherwise.
        if (!(err instanceof AppError && err.code === 'BAD_USER_INPUT')) throw err;
        await this.s.remedies.cancel(lead, remedyId, '未申请退款,改为其他处理');
        return true;
      }
    }
    return true;
  }

  /** The lead waives what is still open (RESOLVED and CLOSED wait for every action); the survey only when closing. */
  private async waiveOpen(lead: Actor, id: string, closing: boolean): Promise<void> {
    const view = (await this.s.incidentReader.byId(Number(id)))!;
    for (const a of view.actions) {
      if (a.status !== 'OPEN' || (!closing && a.code === 'SATISFACTION_SURVEY')) continue;
      await this.s.incidents.waiveAction(lead, id, a.code, '演示数据:不需要');
    }
  }

  /** Most actions with a due time get done, some late. */
  private async completeActions(agent: Actor, incident: IncidentView): Promise<void> {
    for (const a of incident.actions) {
      if (!a.dueAt || !chance(this.rnd, 0.85)) continue;
      if (!this.wait(between(this.rnd, 5, 120))) return;
      await this.s.incidents.completeAction(agent, String(incident.entity.id), a.code, null, this.evidenceFor(a));
    }
  }

  /** Evidence the catalog requires of an action (报警回执编号, where CCTV is kept and until when), made up. */
  private evidenceFor(a: IncidentView['actions'][number]): Record<string, string> | null {
    const { engine } = this.s.ruleSets.current();
    const fields = engine.pack.catalog.actions[a.code]?.evidence ?? [];
    if (!fields.length) return null;
    const until = a.retainUntil ?? this.clock.now();
    return Object.fromEntries(fields.map((f) => [f.key, f.type === 'date' ? engine.calendar.localDate(until) : `DEMO-${a.code}-${a.id}`]));
  }

  private calendarMonth(at: Date): number {
    return DateTime.fromJSDate(at, { zone: this.s.ruleSets.current().engine.calendar.timeZone }).month;
  }

  /** Moves the clock on by `minutes`, unless that passes `until`. */
  private wait(minutes: number): boolean {
    const next = this.clock.now().getTime() + minutes * MINUTE;
    if (next >= this.until.getTime()) return false;
    this.clock.set(new Date(next));
    return true;
  }
}
