import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Actor } from '../auth/actor';
import { CAN } from '../auth/actor';
import { ApiKeyEntity } from '../auth/api-key.entity';
import { StaffMemberEntity } from '../people/staff-member.entity';
import type { Clock } from '../common/clock';
import { badInput, conflict, forbidden, notFound } from '../common/errors';
import { parseId } from '../common/cursor';
import type { ReadDb } from '../database/read-db';
import type { Transactions } from '../database/transaction';
import type { Duration } from '../rules/types';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { MAX_HANDOVER_DAYS, ShiftHandover, ShiftHandoverService } from './shift-handover.service';
import { freezeHandover, handoverChecksum, thawHandover } from './shift-handover-record.content';
import { ShiftHandoverRecordEntity } from './shift-handover-record.entity';

export const SHIFTS = ['DAY', 'MIDDLE', 'NIGHT'] as const;
export type Shift = (typeof SHIFTS)[number];

/** The handover's default acknowledgement time when the catalog sets none. */
export const DEFAULT_ACKNOWLEDGE_WITHIN: Duration = { minutes: 30 };

const LIMITS = { people: 10_000, lines: 200, line: 500, notes: 4000, note: 2000 };

export interface HandOverInput {
  from: Date;
  to: Date;
  shift: Shift;
  handedOverTo: string;
  attendance: { expected: number; present: number; late?: number | null; leftEarly?: number | null; absent?: number | null };
  completedWork: string[];
  notes?: string | null;
  cleaningDone: boolean;
}

/** A record with its frozen handover read back. */
export interface HandoverRecordView {
  entity: ShiftHandoverRecordEntity;
  handover: ShiftHandover;
}

/**
 * 工作交接单 as records (the policy): the outgoing person hands over — the form, and the
 * handover computed at that moment, frozen with a sha256 — and the person named acknowledges
 * it once. Nothing changes a record afterwards. An acknowledgement late by the catalog's
 * `shiftHandover.acknowledgeWithin` warns the CS_LEAD on duty (the escalation scheduler's
 * SHIFT_HANDOVER clock).
 */
export class ShiftHandoverRecordService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly reads: ReadDb,
    private readonly rules: RuleSetService,
    private readonly clock: Clock,
    private readonly handovers: ShiftHandoverService,
  ) {}

  /** @throws BAD_USER_INPUT with the field at fault (input.…). */
  async handOver(actor: Actor, input: HandOverInput): Promise<HandoverRecordView> {
    const now = this.clock.now();
    const form = checkInput(input, actor, now);
    const { engine } = this.rules.current();
    const acknowledgeBy = engine.calendar.addDuration(now, engine.pack.catalog.shiftHandover?.acknowledgeWithin ?? DEFAULT_ACKNOWLEDGE_WITHIN) ?? now;
    const id = await this.tx.run(async (em) => {
      await checkRecipient(em, input.handedOverTo);
      const handover = freezeHandover(await this.handovers.compute(em, input.from, input.to, false));
      const row: Omit<ShiftHandoverRecordEntity, 'id' | 'checksum'> = {
        shift: input.shift,
        windowFrom: input.from,
        windowTo: input.to,
        handedOverBy: actor.name,
        handedOverTo: input.handedOverTo,
        handedOverAt: now,
        acknowledgeBy,
        acknowledgedAt: null,
        acknowledgeNote: null,
        ...form,
        handover,
      };
      const inserted = await em.insert(ShiftHandoverRecordEntity, {
        ...row,
        checksum: handoverChecksum(row),
      } as QueryDeepPartialEntity<ShiftHandoverRecordEntity>);
      return Number(inserted.identifiers[0].id);
    });
    return this.view(await this.ds.manager.findOneByOrFail(ShiftHandoverRecordEntity, { id }));
  }

  /** @throws NOT_FOUND; FORBIDDEN unless the caller is the 接交人 named; CONFLICT when acknowledged already. */
  async acknowledge(actor: Actor, idText: string, note: string | null): Promise<HandoverRecordView> {
    const id = parseId(idText);
    if (id === null) throw notFound('shift handover record');
    if (note && note.length > LIMITS.note) throw badInput('note', `at most ${LIMITS.note} characters`);
    const now = this.clock.now();
    await this.tx.run(async (em) => {
      const record = await em.findOneBy(ShiftHandoverRecordEntity, { id });
      if (!record) throw notFound('shift handover record');
      if (!isRecipient(record.handedOverTo, actor)) throw forbidden(`only ${record.handedOverTo}, to whom it was handed over, acknowledges it`);
      const res = await em
        .createQueryBuilder()
        .update(ShiftHandoverRecordEntity)
        .set({ acknowledgedAt: now, acknowledgeNote: note ?? null } as QueryDeepPartialEntity<ShiftHandoverRecordEntity>)
        .where('id = :id AND acknowledged_at IS NULL', { id })
        .execute();
      if (!res.affected) throw conflict('the handover is acknowledged already');
    });
    return this.view(await this.ds.manager.findOneByOrFail(ShiftHandoverRecordEntity, { id }));
  }

  /** Records handed over in [from, to), oldest first. @throws BAD_USER_INPUT (to) for a reversed or over-long window. */
  async list(from: Date, to: Date): Promise<HandoverRecordView[]> {
    if (from.getTime() >= to.getTime()) throw badInput('to', 'must be after from');
    if (to.getTime() - from.getTime() > MAX_HANDOVER_DAYS * 86_400_000) throw badInput('to', `at most ${MAX_HANDOVER_DAYS} days`);
    const rows = await this.reads.read((em) =>
      em
        .getRepository(ShiftHandoverRecordEntity)
        .createQueryBuilder('h')
        .where('h.handed_over_at >= :from AND h.handed_over_at < :to', { from, to })
        .orderBy('h.handed_over_at', 'ASC')
        .addOrderBy('h.id', 'ASC')
        .getMany(),
    );
    return rows.map((r) => this.view(r));
  }

  /** One record (its download). @throws NOT_FOUND */
  async get(idText: string): Promise<HandoverRecordView> {
    const id = parseId(idText);
    const row = id === null ? null : await this.ds.manager.findOneBy(ShiftHandoverRecordEntity, { id });
    if (!row) throw notFound('shift handover record');
    return this.view(row);
  }

  private view(entity: ShiftHandoverRecordEntity): HandoverRecordView {
    return { entity, handover: thawHandover(entity.handover) };
  }
}

type Form = Pick<ShiftHandoverRecordEntity, 'expected' | 'present' | 'late' | 'leftEarly' | 'absent' | 'completedWork' | 'notes' | 'cleaningDone'>;

/** The form's bounds, each refusal naming its field. */
function checkInput(input: HandOverInput, actor: Actor, now: Date): Form {
  if (!(SHIFTS as readonly string[]).includes(input.shift)) throw badInput('input.shift', `one of ${SHIFTS.join(', ')}`);
  if (input.from.getTime() >= input.to.getTime()) throw badInput('input.to', 'must be after from');
  if (input.to.getTime() - input.from.getTime() > MAX_HANDOVER_DAYS * 86_400_000)
    throw badInput('input.to', `a handover covers at most ${MAX_HANDOVER_DAYS} days`);
  if (input.from.getTime() > now.getTime()) throw badInput('input.from', 'a shift is handed over once it has started');
  const to = input.handedOverTo?.trim();
  if (!to) throw badInput('input.handedOverTo', 'names who takes over');
  if (to === actor.name) throw badInput('input.handedOverTo', 'a shift is handed over to someone else');
  const a = input.attendance;
  const count = (field: string, v: number | null | undefined, max: number): number => {
    const n = v ?? 0;
    if (!Number.isInteger(n) || n < 0 || n > max) throw badInput(`input.attendance.${field}`, `a whole number from 0 to ${max}`);
    return n;
  };
  const expected = count('expected', a.expected, LIMITS.people);
  const present = count('present', a.present, expected);
  const absent = count('absent', a.absent, expected - present);
  const late = count('late', a.late, present);
  const leftEarly = count('leftEarly', a.leftEarly, present);
  if (input.completedWork.length > LIMITS.lines) throw badInput('input.completedWork', `at most ${LIMITS.lines} lines`);
  const completedWork = input.completedWork.map((line, i) => {
    const t = line.trim();
    if (!t || t.length > LIMITS.line) throw badInput(`input.completedWork[${i}]`, `a line of 1 to ${LIMITS.line} characters`);
    return t;
  });
  const notes = input.notes?.trim() || null;
  if (notes && notes.length > LIMITS.notes) throw badInput('input.notes', `at most ${LIMITS.notes} characters`);
  return { expected, present, late, leftEarly, absent, completedWork, notes, cleaningDone: input.cleaningDone };
}

/** The 接交人 must be a key in use that may acknowledge a handover. */
/**
 * Who takes over (接交人): an active staff member, named by id or employee number, or an API key,
 * by name — either with a role that may take over a shift.
 */
async function checkRecipient(em: EntityManager, name: string): Promise<void> {
  const mayTakeOver = (roles: string) => roles.split(',').some((r) => (CAN.shiftHandover as readonly string[]).includes(r.trim()));
  const staff = /^\d{1,15}$/.test(name)
    ? ((await em.findOneBy(StaffMemberEntity, { id: Number(name) })) ?? (await em.findOneBy(StaffMemberEntity, { employeeNo: name })))
    : await em.findOneBy(StaffMemberEntity, { employeeNo: name });
  if (staff?.active && mayTakeOver(staff.roles)) return;
  const key = await em.findOneBy(ApiKeyEntity, { name });
  if (!key || key.revokedAt || !mayTakeOver(key.roles)) {
    throw badInput('input.handedOverTo', `"${name.slice(0, 64)}" is nobody who may take over a shift`);
  }
}

/** Is `actor` the one a handover was handed over to: the key by name, or the staff member by id or employee number? */
function isRecipient(handedOverTo: string, actor: Actor): boolean {
  if (handedOverTo === actor.name) return true;
  return !!actor.staff && (handedOverTo === String(actor.staff.id) || handedOverTo === actor.staff.employeeNo);
}
