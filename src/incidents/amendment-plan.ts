import type { DecidedAction } from '../rules/types';
import type { ActionStatus } from './incident-action.entity';

/** What an amendment needs of a stored action. */
export interface StoredAction {
  id: number;
  code: string;
  status: ActionStatus;
  dueAt: Date | null;
  retainUntil: Date | null;
}

/** What an amendment does to the incident's actions. */
export interface ActionPlan {
  /** Open and still required: the earlier of the two due times (and the later retention). */
  keep: Array<{ id: number; code: string; dueAt: Date | null; retainUntil: Date | null; moved: boolean }>;
  /** Newly required: due as the new decision counted them, from the amendment. */
  add: DecidedAction[];
  /** Withdrawn by an earlier amendment and required again: open again, due from this amendment. */
  reopen: Array<{ id: number; code: string; dueAt: Date | null; retainUntil: Date | null }>;
  /** Open and no longer required. */
  withdraw: Array<{ id: number; code: string }>;
}

const time = (d: Date | null) => (d ? d.getTime() : null);

/**
 * The policy's rule for actions when the facts change, as a pure function: done and waived
 * actions stay so; open actions still required keep their due time, or the new decision's when
 * it is earlier; newly required ones are due as the new decision counts them (from the
 * amendment); open ones no longer required are withdrawn.
 */
export function planActions(stored: readonly StoredAction[], decided: readonly DecidedAction[]): ActionPlan {
  const plan: ActionPlan = { keep: [], add: [], reopen: [], withdraw: [] };
  const byCode = new Map(stored.map((a) => [a.code, a]));
  const wanted = new Set(decided.map((a) => a.code));
  for (const d of decided) {
    const a = byCode.get(d.code);
    const retainUntil = d.retainUntil ?? null;
    if (!a) plan.add.push(d);
    else if (a.status === 'WITHDRAWN') plan.reopen.push({ id: a.id, code: a.code, dueAt: d.dueAt, retainUntil });
    else if (a.status === 'OPEN') {
      const dueAt = a.dueAt && d.dueAt ? (d.dueAt < a.dueAt ? d.dueAt : a.dueAt) : (a.dueAt ?? d.dueAt);
      const keptRetention = a.retainUntil && retainUntil ? (retainUntil > a.retainUntil ? retainUntil : a.retainUntil) : (a.retainUntil ?? retainUntil);
      plan.keep.push({
        id: a.id,
        code: a.code,
        dueAt,
        retainUntil: keptRetention,
        moved: time(dueAt) !== time(a.dueAt) || time(keptRetention) !== time(a.retainUntil),
      });
    }
  }
  for (const a of stored) if (a.status === 'OPEN' && !wanted.has(a.code)) plan.withdraw.push({ id: a.id, code: a.code });
  return plan;
}
