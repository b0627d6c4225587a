import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { Actor } from '../auth/actor';
import { isBoundDelegate } from '../auth/actor';
import type { Clock } from '../common/clock';
import { parseId, pageSize } from '../common/cursor';
import { badInput, conflict, notFound } from '../common/errors';
import type { Transactions } from '../database/transaction';
import { rawExec } from '../database/raw-sql';
import { IncidentActionEntity } from '../incidents/incident-action.entity';
import { IncidentEntity } from '../incidents/incident.entity';
import type { RuleSetService } from '../rulesets/rule-set.service';
import type { OutboxEvent } from '../webhooks/webhook-events';
import { RETRY_WINDOW_MS } from '../common/backoff';
import { secretKey } from '../webhooks/webhook-signature';
import { ContactEntity } from './contact.entity';
import type { NotificationContent } from './notification-message';
import { NotificationChannelEntity } from './notification-channel.entity';
import { NotificationEntity } from './notification.entity';
import type { OnCallService } from './on-call.service';
import { ANY_ACTIVE_CHANNEL } from './people.statements';

export const CHANNEL_KINDS = ['DINGTALK', 'WECOM', 'FEISHU', 'WEBHOOK'] as const;

/** Why people are told: the incident was reported or amended, a deadline warns or is missed, an escalation rung falls due. */
export type NotificationReason = 'REPORTED' | 'AMENDED' | 'WARNING' | 'BREACH' | 'ESCALATED';

export interface NotifyOptions {
  /** The departments to tell; by default the decision's notifyDepartments (REPORTED, AMENDED) or the owner department (WARNING, BREACH). */
  departments?: string[];
  /** What happened, for deadlines and escalations. */
  detail?: string | null;
}

const KIND_LABELS: Record<string, string> = { ACKNOWLEDGE: '受理时限', RESOLVE: '解决时限' };

/**
 * Notifications that reach people. `notify` is the one entry point: any change that should tell
 * people about an incident calls it inside its own transaction, so the notifications exist
 * exactly when the change committed (the outbox); the dispatcher delivers them later, off the
 * request path. The people told per department: who is on call now, else its internal contacts
 * (联络人), else the department's group itself; through each active channel of the department.
 */
export class NotificationService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly ruleSets: RuleSetService,
    private readonly onCall: OnCallService,
    private readonly linkTemplate: string | null,
    private readonly maxPageSize: number,
  ) {}

  /**
   * Tells the people of the incident's departments about it, in the caller's transaction.
   * Returns how many notifications were written. Never throws: a notification that cannot be
   * written is logged, and the change goes on (people are told; the incident is never blocked).
   */
  async notify(em: EntityManager, incidentId: number, reason: NotificationReason, opts: NotifyOptions = {}): Promise<number> {
    try {
      return await this.write(em, incidentId, reason, opts);
    } catch (e) {
      this.log.error({ err: e, incidentId, reason }, 'notifications: could not write; the change goes on');
      return 0;
    }
  }

  /** Outbox events that tell people (reported, deadline warnings and breaches, escalations), in their transactions. */
  async onOutboxEvent(em: EntityManager, e: OutboxEvent): Promise<void> {
    if (e.incidentId === null) return;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an outbox event's payload, per event type
    const d = e.data as Record<string, any>;
    switch (e.type) {
      case 'incident.reported':
        await this.notify(em, e.incidentId, 'REPORTED');
        break;
      case 'incident.amended': {
        // The whole notify set when the severity moved, else only the departments the amendment adds.
        const departments = (d.fromSeverity !== d.toSeverity ? d.notifyDepartments : d.newlyNotified) as string[];
        if (departments.length) await this.notify(em, e.incidentId, 'AMENDED', { departments });
        break;
      }
      case 'sla.warning':
        await this.notify(em, e.incidentId, 'WARNING', { detail: this.subjectDetail(d) });
        break;
      case 'sla.breached':
        await this.notify(em, e.incidentId, 'BREACH', { detail: this.subjectDetail(d) });
        break;
      case 'incident.escalated':
        await this.notify(em, e.incidentId, 'ESCALATED', {
          departments: [String(d.escalatedTo)],
          detail: `${this.subjectDetail(d)}; 升级至${d.escalatedToLabel ?? d.escalatedTo} (第${d.level}级)`,
        });
        break;
      default:
    }
  }

  private async write(em: EntityManager, incidentId: number, reason: NotificationReason, opts: NotifyOptions): Promise<number> {
    // Nothing is configured to reach anyone: no rows on every report of a service that does not notify.
    // Straight to the driver (rawExec), as every other statement of a report's transaction: TypeORM's
    // query() would add its query runner's promise hops and subscriber broadcasts to every report.
    const [any] = (await rawExec(em, ANY_ACTIVE_CHANNEL, [true])) as Array<Record<string, unknown>>;
    if (!any) return 0;
    const incident = await em.findOneBy(IncidentEntity, { id: incidentId });
    if (!incident) return 0;
    const { engine } = this.ruleSets.current();
    const catalog = engine.pack.catalog;
    const zone = engine.calendar.timeZone;
    const local = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone }).toFormat('MM-dd HH:mm') : null);
    const actions = await em
      .getRepository(IncidentActionEntity)
      .createQueryBuilder('a')
      .where('a.incident_id = :id AND a.done = :done', { id: incidentId, done: false })
      .orderBy('a.position')
      .getMany();
    const departments = [
      ...new Set(opts.departments ?? (reason === 'REPORTED' || reason === 'AMENDED' ? incident.decision.notifyDepartments : [incident.ownerDepartment])),
    ];
    const now = this.clock.now();
    const rows: Array<Omit<NotificationEntity, 'id'>> = [];
    for (const department of departments) {
      const content: NotificationContent = {
        incidentId: String(incident.id),
        reason,
        severity: incident.severity,
        category: incident.category,
        categoryLabel: catalog.categories[incident.category]?.label ?? incident.category,
        subtypeLabel: incident.subtype ? (catalog.categories[incident.category]?.subtypes[incident.subtype] ?? incident.subtype) : null,
        place: typeof incident.report.location === 'string' ? incident.report.location : null,
        drill: incident.drill,
        department,
        departmentLabel: catalog.departments[department] ?? department,
        actions: actions.map((a) => ({ label: catalog.actions[a.code]?.label ?? a.code, due: local(a.dueAt) })),
        detail: opts.detail ?? null,
        link: this.linkTemplate ? this.linkTemplate.replace('{id}', String(incident.id)) : null,
        at: local(now)!,
      };
      const recipients = await this.recipients(em, department, now);
      const channels = await em.findBy(NotificationChannelEntity, { department, active: true });
      const base = {
        incidentId: incident.id,
        reason,
        department,
        payload: content,
        attempts: 0,
        nextAttemptAt: now,
        retryUntil: new Date(now.getTime() + RETRY_WINDOW_MS),
        lastAttemptAt: null,
        lastStatus: null,
        lastError: null,
        messageId: null,
        sentAt: null,
        createdAt: now,
      };
      for (const r of recipients) {
        const who = { recipientKind: r.kind, recipientName: r.name.slice(0, 128), recipientEmployeeNo: r.employeeNo, recipientPhone: r.phone };
        if (!channels.length) rows.push({ ...base, ...who, channelId: null, channelKind: 'NONE', status: 'NO_CHANNEL' });
        for (const ch of channels) rows.push({ ...base, ...who, channelId: ch.id, channelKind: ch.kind, status: 'PENDING' });
      }
    }
    if (rows.length) await em.insert(NotificationEntity, rows as never);
    return rows.length;
  }

  /** On call now, else the department's internal contacts, else the department's group itself. */
  private async recipients(
    em: EntityManager,
    department: string,
    at: Date,
  ): Promise<Array<{ kind: string; name: string; employeeNo: string | null; phone: string | null }>> {
    const onDuty = await this.onCall.at(department, at, em);
    if (onDuty.length) return onDuty.map((m) => ({ kind: 'ON_CALL', name: m.name, employeeNo: m.employeeNo, phone: m.phone }));
    const contacts = await em.findBy(ContactEntity, { department, kind: 'INTERNAL' });
    if (contacts.length) return contacts.map((c) => ({ kind: 'CONTACT', name: c.name, employeeNo: null, phone: c.phone }));
    const label = this.ruleSets.current().engine.pack.catalog.departments[department] ?? department;
    return [{ kind: 'GROUP', name: label, employeeNo: null, phone: null }];
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an outbox event's payload
  private subjectDetail(d: Record<string, any>): string {
    const catalog = this.ruleSets.current().engine.pack.catalog;
    const s = (d.subject ?? {}) as { kind?: string; code?: string | null };
    const what = s.code ? (catalog.actions[s.code]?.label ?? catalog.refundSteps[s.code]?.label ?? s.code) : (KIND_LABELS[s.kind ?? ''] ?? s.kind ?? '');
    const zone = this.ruleSets.current().engine.calendar.timeZone;
    const due = d.dueAt ? DateTime.fromISO(String(d.dueAt), { zone }).toFormat('MM-dd HH:mm') : null;
    return `${what}${due ? ` (应于 ${due} 前)` : ''}`;
  }

  /** What was sent to whom and how, newest first; an integration acting for staff sees its own source's only. */
  async list(actor: Actor, incidentId: string | null | undefined, first: number | null | undefined): Promise<NotificationEntity[]> {
    const q = this.ds.getRepository(NotificationEntity).createQueryBuilder('n').orderBy('n.id', 'DESC').limit(pageSize(first, this.maxPageSize));
    if (incidentId !== null && incidentId !== undefined) {
      const id = parseId(incidentId);
      if (id === null) throw badInput('incidentId', 'is not an id');
      q.andWhere('n.incident_id = :id', { id });
    }
    if (isBoundDelegate(actor)) q.innerJoin(IncidentEntity, 'i', 'i.id = n.incident_id').andWhere('i.source = :source', { source: actor.source });
    return q.getMany();
  }

  /** A DEAD (or any settled) notification goes out again: due now, with a fresh 24-hour retry window. */
  async redeliver(id: string): Promise<NotificationEntity> {
    const n = parseId(id);
    const found = n === null ? null : await this.ds.manager.findOneBy(NotificationEntity, { id: n });
    if (!found) throw notFound(`notification ${id}`);
    if (found.channelId === null) throw conflict(`notification ${id} has no channel: configure one for ${found.department}`);
    const now = this.clock.now();
    await this.tx.run((em) =>
      em.update(
        NotificationEntity,
        { id: found.id },
        { status: 'PENDING', attempts: 0, nextAttemptAt: now, retryUntil: new Date(now.getTime() + RETRY_WINDOW_MS) },
      ),
    );
    return (await this.ds.manager.findOneBy(NotificationEntity, { id: found.id }))!;
  }

  /** Adds a department's channel (ADMIN, from the command line). */
  async addChannel(input: {
    department: string;
    kind: string;
    url: string;
    secret?: string | null;
    description?: string | null;
  }): Promise<NotificationChannelEntity> {
    const department = input.department.trim().toUpperCase();
    const catalog = this.ruleSets.current().engine.pack.catalog;
    if (!Object.hasOwn(catalog.departments, department))
      throw badInput('department', `unknown department ${department}`, { allowed: Object.keys(catalog.departments) });
    const kind = input.kind.trim().toUpperCase();
    if (!(CHANNEL_KINDS as readonly string[]).includes(kind)) throw badInput('kind', `must be one of ${CHANNEL_KINDS.join(', ')}`);
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw badInput('url', 'is not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('url', 'must be http or https');
    const secret = input.secret?.trim() || null;
    if (kind === 'WEBHOOK' && secret !== null && !secretKey(secret)) throw badInput('secret', 'a webhook secret is whsec_ + base64 of 24 to 64 bytes');
    if (kind === 'WECOM' && secret !== null) throw badInput('secret', 'a WeCom group robot has no signing secret (its key is in the URL)');
    const now = this.clock.now();
    const row = {
      department,
      kind,
      url: url.toString(),
      secret,
      active: true,
      description: input.description ?? null,
      windowStart: null,
      windowCount: 0,
      claimedBy: null,
      claimedUntil: null,
      createdAt: now,
      updatedAt: now,
    };
    const res = await this.tx.run((em) => em.insert(NotificationChannelEntity, row));
    return { id: Number(res.identifiers[0].id), ...row };
  }

  listChannels(): Promise<NotificationChannelEntity[]> {
    return this.ds.getRepository(NotificationChannelEntity).find({ order: { department: 'ASC', id: 'ASC' } });
  }

  async removeChannel(id: number): Promise<boolean> {
    const res = await this.tx.run((em) => em.update(NotificationChannelEntity, { id }, { active: false, updatedAt: this.clock.now() }));
    return (res.affected ?? 0) > 0;
  }
}

/** A message id: `ntf_` + 32 hex digits (the webhook-id of a webhook channel). */
export const newMessageId = () => `ntf_${crypto.randomUUID().replace(/-/g, '')}`;
