import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock';
import type { DecisionInput, DynamicFacts, RuleEngine } from '../rules/rule-engine';
import type { RulePackOptions } from '../rules/rule-pack.loader';
import { activateRulePack } from '../rules/pack-activation';
import { diffDecisions, summarizeDecision } from './decision-diff';
import { resolveDraftDir } from './draft-dir';
import type { ActiveRuleSet, LiveDecision } from './rule-set.service';
import { ShadowDivergenceEntity } from './shadow-divergence.entity';

/** An installed shadow pack and what it has done since it was installed. */
interface Shadow {
  engine: RuleEngine;
  checksum: string;
  installedAt: Date;
  installedBy: string;
  decided: number;
  diverged: number;
  dropped: number;
  failed: number;
}

export interface ShadowStatus {
  version: string;
  checksum: string;
  label: string | null;
  ruleCount: number;
  installedAt: Date;
  installedBy: string;
  /** Live decisions the shadow also made. */
  decided: number;
  /** Of those, how many it made differently (each stored in rule_shadow_divergences). */
  diverged: number;
  /** Live decisions not shadowed because the queue was full. */
  dropped: number;
  /** Shadow decisions that failed (logged). */
  failed: number;
  /** Waiting in the queue. */
  pending: number;
  capacity: number;
}

interface Job {
  shadow: Shadow;
  live: LiveDecision;
}

/**
 * Shadow mode: a candidate pack decides every live report too, off the request's
 * critical path, and each decision it makes differently is stored.
 *
 * Invariants: `observe` only enqueues (O(1), never throws, never waits); the queue is bounded
 * and drops (and counts) what does not fit, so a slow shadow cannot grow memory or slow the
 * live path; jobs run one at a time after the event loop has served I/O; a job enqueued for a
 * shadow that was dropped or replaced meanwhile is skipped. The shadow reads
 * `repeatIncidents30d` as of the report time, as the live pack did.
 */
export class ShadowRulesService {
  private shadow: Shadow | null = null;
  private readonly queue: Job[] = [];
  private draining = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly dynamicFacts: DynamicFacts,
    private readonly draftsRoot: string,
    private readonly capacity: number,
    private readonly packOptions: RulePackOptions = {},
  ) {}

  /**
   * Installs the pack in `dir` as the shadow, replacing any other (its counts start at zero).
   * BAD_USER_INPUT for a bad path; RULES_INVALID listing every problem for a bad pack.
   */
  async install(installedBy: string, dir: unknown): Promise<ShadowStatus> {
    const { pack, engine } = await activateRulePack(resolveDraftDir(dir, this.draftsRoot, 'dir'), this.packOptions);
    this.shadow = { engine, checksum: pack.checksum, installedAt: this.clock.now(), installedBy, decided: 0, diverged: 0, dropped: 0, failed: 0 };
    this.log.info({ version: pack.version, installedBy }, 'shadow rule pack installed');
    return this.status()!;
  }

  /** Drops the shadow; false when there was none. Jobs still queued for it are skipped. */
  drop(reason = 'dropped'): boolean {
    if (!this.shadow) return false;
    this.log.info({ version: this.shadow.engine.version, reason }, 'shadow rule pack dropped');
    this.shadow = null;
    return true;
  }

  status(): ShadowStatus | null {
    const s = this.shadow;
    if (!s) return null;
    const { pack } = s.engine;
    return {
      version: pack.version,
      checksum: pack.checksum,
      label: pack.catalog.label ?? null,
      ruleCount: pack.rules.length,
      installedAt: s.installedAt,
      installedBy: s.installedBy,
      decided: s.decided,
      diverged: s.diverged,
      dropped: s.dropped,
      failed: s.failed,
      pending: this.queue.length,
      capacity: this.capacity,
    };
  }

  /** A live decision was stored: queue it for the shadow. Returns at once. */
  observe(live: LiveDecision): void {
    const shadow = this.shadow;
    if (!shadow || this.closed) return;
    if (this.queue.length >= this.capacity) {
      shadow.dropped++;
      return;
    }
    this.queue.push({ shadow, live });
    if (!this.draining) {
      this.draining = true;
      void this.drain();
    }
  }

  /** A pack became active: when it is the shadow's pack, the candidate was promoted. */
  activated(active: ActiveRuleSet): void {
    if (this.shadow && this.shadow.checksum === active.checksum) this.drop(`promoted as ${active.version}`);
  }

  /** Resolves once the queue is empty (tests, shutdown). */
  idle(): Promise<void> {
    if (!this.draining) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking decisions and waits for the queued ones (before the database closes). */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        await yieldToIo(); // requests first: the shadow only uses idle time
        const job = this.queue.shift()!;
        if (job.shadow !== this.shadow) continue;
        try {
          await this.decide(job);
        } catch (e) {
          job.shadow.failed++;
          this.log.warn({ err: e, incidentId: job.live.incidentId }, 'shadow decision failed');
        }
      }
    } finally {
      this.draining = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async decide({ shadow, live }: Job): Promise<void> {
    const facts = live.decision.facts;
    if (!facts) throw new Error('the live decision carries no facts');
    const { repeatIncidents30d: _live, ...reportFacts } = facts;
    const input: DecisionInput = { ...reportFacts, customerId: live.customerId, reportedAt: live.reportedAt };
    const decision = await shadow.engine.decide(input, { now: live.reportedAt, dynamicFacts: this.dynamicFacts });
    shadow.decided++;
    const before = summarizeDecision(live.decision);
    const after = summarizeDecision(decision);
    const fields = diffDecisions(before, after);
    if (fields.length === 0) return;
    shadow.diverged++;
    await this.ds.getRepository(ShadowDivergenceEntity).insert({
      incidentId: live.incidentId,
      shadowVersion: decision.ruleSetVersion,
      liveVersion: live.decision.ruleSetVersion,
      fields: fields.join(','),
      live: before,
      shadow: after,
      detectedAt: this.clock.now(),
    });
  }
}
