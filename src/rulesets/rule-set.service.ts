import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock';
import { AppError } from '../common/errors';
import { RulePackOptions, RulesInvalidError } from '../rules/rule-pack.loader';
import type { RuleEngine } from '../rules/rule-engine';
import { activateRulePack } from '../rules/pack-activation';
import { holidayCoverageWarning } from '../calendar/holiday-coverage';
import { checkBands, formatBandWarning } from '../rules/rule-bands';
import type { Decision } from '../rules/types';
import type { TriageEventBus } from '../events/triage-events';
import { RuleSetVersionEntity } from './rule-set-version.entity';
import { diffRuleSets, RuleSetChanges } from './rule-set-diff';

/** A live decision, just stored (the shadow pack's input): its report's transaction has committed. */
export interface LiveDecision {
  incidentId: number;
  customerId: string | null;
  reportedAt: Date;
  /** As the active pack made it, with the facts it read (`decision.facts`). */
  decision: Decision;
}

export interface ActiveRuleSet {
  engine: RuleEngine;
  version: string;
  checksum: string;
  label: string | null;
  loadedAt: Date;
  ruleCount: number;
}

/**
 * Holds the active rule pack. A reload builds and checks the new pack completely before one
 * reference swap, so a request that took `current()` finishes on the pack it started with,
 * and an invalid pack never replaces the active one.
 */
export class RuleSetService {
  private active: ActiveRuleSet | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly rulesDir: string,
    private readonly log: Logger,
    /** How packs are read (custom operators): the shadow and backtest drafts are read so too. */
    readonly packOptions: RulePackOptions = {},
    /** ruleSetActivated after each swap (start, reload, SIGHUP); ruleSetReloaded after each reload. Null: nobody listens (a pack checked on its own). */
    private readonly events: TriageEventBus | null = null,
  ) {}

  /** Loads the pack at boot; throws RulesInvalidError (naming every problem) when it is bad. */
  async init(loadedBy = 'startup'): Promise<ActiveRuleSet> {
    return this.load(loadedBy);
  }

  /** Reloads from disk; on a bad pack throws RULES_INVALID and keeps the active one. */
  async reload(loadedBy: string): Promise<ActiveRuleSet> {
    let active: ActiveRuleSet;
    try {
      active = await this.load(loadedBy);
    } catch (e) {
      if (e instanceof RulesInvalidError) {
        this.log.warn({ problems: e.problems }, 'rule pack reload refused; the active pack stays');
        throw new AppError('RULES_INVALID', e.message, { problems: e.problems });
      }
      throw e;
    }
    await this.events?.emit('ruleSetReloaded', { active, loadedBy }); // the webhooks outbox: rules.reloaded
    return active;
  }

  current(): ActiveRuleSet {
    if (!this.active) throw new AppError('SERVICE_UNAVAILABLE', 'no rule pack is loaded');
    return this.active;
  }

  isLoaded(): boolean {
    return this.active !== null;
  }

  /** Recorded versions, newest first, each with what changed from the one before it. */
  async versions(limit: number): Promise<Array<RuleSetVersionEntity & { changes: RuleSetChanges }>> {
    const rows = await this.ds.getRepository(RuleSetVersionEntity).find({ order: { id: 'DESC' }, take: limit + 1 });
    return rows.slice(0, limit).map((row, i) => ({ ...row, changes: diffRuleSets(rows[i + 1]?.files ?? null, row.files) }));
  }

  private async load(loadedBy: string): Promise<ActiveRuleSet> {
    // Checked, compiled and smoke-tested before anything changes (fail closed).
    const { pack, engine } = await activateRulePack(this.rulesDir, this.packOptions);
    const loadedAt = this.clock.now();
    await this.record(pack.version, pack.checksum, pack.catalog.label ?? null, pack.rules.length, loadedBy, loadedAt, pack.files);
    this.active = { engine, version: pack.version, checksum: pack.checksum, label: pack.catalog.label ?? null, loadedAt, ruleCount: pack.rules.length };
    this.log.info({ version: pack.version, rules: pack.rules.length, loadedBy }, 'rule pack active');
    // Gaps and overlaps between threshold bands do not stop a pack (`triage rules validate
    // --strict-bands` can), but whoever watches the logs should see them.
    const bandWarnings = checkBands(pack.rules).map(formatBandWarning);
    if (bandWarnings.length) this.log.warn({ version: pack.version, warnings: bandWarnings }, `rule pack has ${bandWarnings.length} threshold band warning(s)`);
    const calendarWarning = holidayCoverageWarning(engine.calendar, loadedAt);
    if (calendarWarning) this.log.warn({ version: pack.version, holidaysKnownUntil: engine.calendar.holidaysKnownUntil }, calendarWarning);
    await this.events?.emit('ruleSetActivated', this.active);
    return this.active;
  }

  /** Records the version unless it is already the newest one recorded. */
  private async record(
    version: string,
    checksum: string,
    label: string | null,
    ruleCount: number,
    loadedBy: string,
    loadedAt: Date,
    files: Record<string, string>,
  ) {
    const repo = this.ds.getRepository(RuleSetVersionEntity);
    const [latest] = await repo.find({ order: { id: 'DESC' }, take: 1, select: { id: true, checksum: true } });
    if (latest?.checksum === checksum) return;
    await repo.insert({ version, checksum, label, ruleCount, loadedAt, loadedBy, files });
  }
}
