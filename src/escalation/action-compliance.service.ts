import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock';
import { badInput } from '../common/errors';
import { rawParams } from '../database/raw-params';
import type { ReadDb } from '../database/read-db';
import { rawNumber } from '../database/raw-values';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { actionComplianceSql } from './escalation.statements';

/** Per action code: how the required actions of incidents reported in a window went. */
export interface ActionComplianceRow {
  code: string;
  label: string | null;
  total: number;
  /** Done by the due time (or done, for an action without a clock). */
  onTime: number;
  /** Done after the due time. */
  late: number;
  /** Not done, and the due time has passed. */
  notDone: number;
  /** Not done, and not due yet (or due only after resolution). */
  notYetDue: number;
  /** Waived: not needed here (an action an amendment withdrew counts nowhere: it was not required after all). */
  waived: number;
}

/**
 * The compliance of required actions: per action code, of the incidents reported
 * in [from, to), how many actions were done on time, late, not done although due, or are not
 * due yet. Drills are left out unless asked for. One grouped query, on a read replica when
 * there are some (`reads`).
 */
export class ActionComplianceService {
  constructor(
    private readonly ds: DataSource,
    private readonly reads: ReadDb,
    private readonly rules: RuleSetService,
    private readonly clock: Clock,
  ) {}

  async compliance(from: Date, to: Date, includeDrills: boolean): Promise<ActionComplianceRow[]> {
    if (!(from.getTime() < to.getTime())) throw badInput('to', 'must be after from');
    const now = this.clock.now();
    const rows = await this.reads.query(actionComplianceSql(includeDrills), rawParams(this.ds, [now, now, from, to]));
    const catalog = this.rules.current().engine.pack.catalog;
    const order = Object.keys(catalog.actions);
    const rank = (code: string) => (order.includes(code) ? order.indexOf(code) : order.length);
    return rows
      .map((r) => ({
        code: String(r.code),
        label: catalog.actions[String(r.code)]?.label ?? null,
        total: rawNumber(r.total),
        onTime: rawNumber(r.on_time),
        late: rawNumber(r.late),
        notDone: rawNumber(r.not_done),
        notYetDue: rawNumber(r.not_yet_due),
        waived: rawNumber(r.waived),
      }))
      .sort((a, b) => rank(a.code) - rank(b.code) || a.code.localeCompare(b.code));
  }
}
