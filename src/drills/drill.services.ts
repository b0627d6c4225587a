import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock';
import type { EscalationScheduler } from '../escalation/escalation.scheduler';
import type { IncidentService } from '../incidents/incident.service';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { DrillComplianceService } from './drill-compliance.service';
import { DrillReportService } from './drill-report.service';
import { DrillRunService } from './drill-run.service';

/** Drills (预案演练): runs, their 演练总结, and the procedures' drill compliance. */
export interface DrillServices {
  runs: DrillRunService;
  reports: DrillReportService;
  compliance: DrillComplianceService;
}

/** Built once; the escalation scheduler's pass injects due steps and keeps the compliance clocks (no poller of its own). */
export function createDrillServices(
  ds: DataSource,
  ruleSets: RuleSetService,
  incidents: IncidentService,
  clock: Clock,
  log: Logger,
  scheduler: EscalationScheduler,
): DrillServices {
  const runs = new DrillRunService(ds, ruleSets, incidents, clock, log);
  const compliance = new DrillComplianceService(ds, ruleSets, clock);
  scheduler.passSteps.push(
    (now) => runs.injectDue(now),
    (now) => compliance.ensureClocks(now),
  );
  return { runs, reports: new DrillReportService(ds, runs, ruleSets, clock), compliance };
}
