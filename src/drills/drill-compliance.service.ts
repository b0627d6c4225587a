import { DateTime } from 'luxon';
import { In, type DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Clock } from '../common/clock';
import { dialectOf } from '../database/dialect';
import { rawDate } from '../database/raw-values';
import { lastDrillsSql } from './drills.statements';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { DrillDueClockEntity } from './drill-run.entity';

/** A procedure's drill standing (演练合规). */
export interface DrillProcedureStatus {
  procedure: string;
  label: string;
  drillEveryMonths: number;
  lastDrilledAt: Date | null;
  /** When it falls overdue; null for a procedure never drilled whose clock has not started yet. */
  dueBy: Date | null;
  overdue: boolean;
}

/** How long before a procedure falls overdue the CS_LEAD is warned. */
export const WARN_MONTHS_BEFORE = 1;
const DEFAULT_MONTHS = 12;

/**
 * Each procedure of the pack must be drilled every `drillEvery.months` (once a year by default),
 * counted from the start of its last drill that started (RUNNING or COMPLETED; an aborted run
 * does not count) or, never drilled, from when the scheduler first saw it in the pack (a new
 * procedure gets one period). `ensureClocks` runs in the escalation pass and keeps one current
 * clock row per procedure, warned a month before it falls overdue: the DRILL_PROCEDURE subject
 * gives one `sla.warning` for the CS_LEAD (drill-subjects.ts).
 */
export class DrillComplianceService {
  constructor(
    private readonly ds: DataSource,
    private readonly rules: RuleSetService,
    private readonly clock: Clock,
  ) {}

  async procedures(now = this.clock.now()): Promise<DrillProcedureStatus[]> {
    const { engine } = this.rules.current();
    const procedures = engine.pack.catalog.drillProcedures ?? {};
    const codes = Object.keys(procedures);
    if (codes.length === 0) return [];
    const rows: Array<{ procedure: string; last: unknown }> = await this.ds.query(lastDrillsSql(dialectOf(this.ds), codes.length), codes);
    const last = new Map(rows.map((r) => [r.procedure, rawDate(r.last)]));
    const clocks = new Map((await this.ds.getRepository(DrillDueClockEntity).findBy({ procedure: In(codes), current: true })).map((c) => [c.procedure, c]));
    return codes.map((code) => {
      const months = procedures[code].drillEvery?.months ?? DEFAULT_MONTHS;
      const lastDrilledAt = last.get(code) ?? null;
      const clock = clocks.get(code);
      const from = lastDrilledAt ?? (clock && !clock.lastDrilledAt ? clock.countedFrom : null);
      const dueBy = from ? DateTime.fromJSDate(from, { zone: engine.calendar.timeZone }).plus({ months }).toJSDate() : null;
      return {
        procedure: code,
        label: procedures[code].label,
        drillEveryMonths: months,
        lastDrilledAt,
        dueBy,
        overdue: !!dueBy && dueBy.getTime() <= now.getTime(),
      };
    });
  }

  /** One step of the escalation pass: the current clock row of each procedure, renewed when its last drill or its period changed. */
  async ensureClocks(now: Date): Promise<number> {
    const zone = this.rules.current().engine.calendar.timeZone;
    let changed = 0;
    for (const p of await this.procedures(now)) {
      const current = await this.ds.getRepository(DrillDueClockEntity).findOneBy({ procedure: p.procedure, current: true });
      const same = current && current.months === p.drillEveryMonths && (current.lastDrilledAt?.getTime() ?? null) === (p.lastDrilledAt?.getTime() ?? null);
      if (same) continue;
      const countedFrom = p.lastDrilledAt ?? (current && !current.lastDrilledAt ? current.countedFrom : now);
      const dueAt = DateTime.fromJSDate(countedFrom, { zone }).plus({ months: p.drillEveryMonths }).toJSDate();
      const warnAt = DateTime.fromJSDate(dueAt, { zone }).minus({ months: WARN_MONTHS_BEFORE }).toJSDate();
      const row: Omit<DrillDueClockEntity, 'id'> = {
        procedure: p.procedure,
        months: p.drillEveryMonths,
        lastDrilledAt: p.lastDrilledAt,
        countedFrom,
        clockKey: `${p.procedure}|${countedFrom.toISOString()}|${p.drillEveryMonths}`,
        dueAt,
        warnAt,
        current: true,
      };
      // Under the unique clock key: a second instance renewing the same clock fails here and rolls back.
      await this.ds.transaction(async (em) => {
        if (current) await em.update(DrillDueClockEntity, { id: current.id }, { current: false });
        await em.insert(DrillDueClockEntity, row as QueryDeepPartialEntity<DrillDueClockEntity>);
      });
      changed++;
    }
    return changed;
  }
}
