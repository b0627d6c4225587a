import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config';
import type { Clock } from '../common/clock';
import type { ReadDb } from '../database/read-db';
import { RepeatIncidentsFact } from '../incidents/repeat-incidents.fact';
import { BacktestService } from './backtest.service';
import type { RuleSetService } from './rule-set.service';
import { ShadowDivergenceReader } from './shadow-divergence.reader';
import { ShadowRulesService } from './shadow-rules.service';

/** Rule administration beyond load and reload: backtests of drafts and the shadow pack. */
export interface RuleAdminServices {
  backtest: BacktestService;
  shadow: ShadowRulesService;
  divergences: ShadowDivergenceReader;
}

/** Builds them; services.ts subscribes the shadow to the live pack's events (every live decision, every swap). */
export function createRuleAdminServices(
  config: AppConfig,
  ds: DataSource,
  reads: ReadDb,
  clock: Clock,
  log: Logger,
  ruleSets: RuleSetService,
): RuleAdminServices {
  const shadow = new ShadowRulesService(ds, clock, log, new RepeatIncidentsFact(ds), config.rulesDraftsDir, config.shadowQueueSize, ruleSets.packOptions);
  return {
    backtest: new BacktestService(reads, config.rulesDraftsDir, ruleSets.packOptions),
    shadow,
    divergences: new ShadowDivergenceReader(reads, config.maxPageSize),
  };
}
