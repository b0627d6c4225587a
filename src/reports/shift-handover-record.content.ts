import { sha256 } from '../common/sha256';
import type { ShiftHandover } from './shift-handover.service';
import type { ShiftHandoverRecordEntity } from './shift-handover-record.entity';

/**
 * A handover frozen into its record: the computed ShiftHandover (entities, tasks) as JSON that
 * keeps its types — times as {"$date": ISO}, amounts as {"$bigint": fen} — so the record reads
 * back exactly as it was handed over, and is shown through the mappers of today (phones masked
 * for the reader). Pure.
 */
export function freezeHandover(h: ShiftHandover): string {
  return JSON.stringify(h, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $date: raw.toISOString() };
    if (typeof raw === 'bigint') return { $bigint: raw.toString() };
    return value;
  });
}

export function thawHandover(text: string): ShiftHandover {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && typeof o.$date === 'string') return new Date(o.$date);
      if (keys.length === 1 && typeof o.$bigint === 'string') return BigInt(o.$bigint);
    }
    return value;
  }) as ShiftHandover;
}

/** The fields the checksum covers: what was handed over, not the acknowledgement that follows. */
type Handed = Omit<ShiftHandoverRecordEntity, 'id' | 'acknowledgedAt' | 'acknowledgeNote' | 'checksum'>;

/** sha256 of a record as handed over: the form (in a fixed order) and the frozen handover. */
export function handoverChecksum(r: Handed): string {
  return sha256(
    JSON.stringify([
      r.shift,
      r.windowFrom.toISOString(),
      r.windowTo.toISOString(),
      r.handedOverBy,
      r.handedOverTo,
      r.handedOverAt.toISOString(),
      r.acknowledgeBy.toISOString(),
      [r.expected, r.present, r.late, r.leftEarly, r.absent],
      r.completedWork,
      r.notes,
      r.cleaningDone,
      r.handover,
    ]),
  );
}
