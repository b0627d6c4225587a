import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import { badInput } from '../common/errors';
import type { ReadDb } from '../database/read-db';
import { RuleEngine } from '../rules/rule-engine';
import type { RulePackOptions } from '../rules/rule-pack.loader';
import { activateRulePack, assertDecides } from '../rules/pack-activation';
import { RulesFailedError } from '../rules/rule-pack.errors';
import type { RulePack } from '../rules/types';
import { storedFiredRules, storedIncidents } from './backtest.source';
import { BacktestTally, BacktestTallyResult } from './backtest.tally';
import { DecisionField, summarizeDecision } from './decision-diff';
import { resolveDraftDir } from './draft-dir';

export interface BacktestOptions {
  /** Incidents reported at or after this time (default: the first). */
  from?: Date | null;
  /** Incidents reported before this time (default: the last). */
  to?: Date | null;
  /** How many changed incidents to return as before/after pairs (default 20). */
  samples?: number;
  /** Samples only of incidents where one of these changed (default: any field). */
  only?: readonly DecisionField[] | null;
  /** Rows read per query (default 2000). */
  batchSize?: number;
}

export interface BacktestReport extends BacktestTallyResult {
  draftVersion: string;
  from: Date | null;
  to: Date | null;
  elapsedMs: number;
  incidentsPerSecond: number;
}

export const DEFAULT_SAMPLES = 20;
/** The most samples the API returns (the CLI may ask for more). */
export const MAX_API_SAMPLES = 1000;
const DEFAULT_BATCH = 2000;

/**
 * Backtests: re-decides the stored non-drill incidents of a period under a draft
 * rule pack and counts what would change. Read-only. Each incident is decided on its stored
 * facts, with `repeatIncidents30d` as the rules saw it when it was reported and its stored
 * `reportedAt`, so the draft sees the world as the live pack did. No query per incident: rows
 * stream in batches (backtest.source.ts) and memory stays constant. Read on a replica when there
 * are some (`reads`): a backtest's long scan stays off the primary.
 */
export class BacktestService {
  constructor(
    private readonly reads: ReadDb,
    private readonly draftsRoot: string | null,
    private readonly packOptions: RulePackOptions = {},
  ) {}

  /**
   * Backtests the pack in `draftDir` (a directory on the server, see resolveDraftDir).
   * BAD_USER_INPUT for a bad path or options; RULES_INVALID (every problem) for a bad pack.
   */
  async simulateDraft(draftDir: unknown, options: BacktestOptions = {}): Promise<BacktestReport> {
    if (options.samples !== undefined && options.samples > MAX_API_SAMPLES) throw badInput('samples', `at most ${MAX_API_SAMPLES}`);
    checkOptions(options);
    // null: a backtest service of the CLI or a bench, which load packs themselves.
    if (this.draftsRoot === null) throw badInput('draftDir', 'drafts are not served here');
    const dir = resolveDraftDir(draftDir, this.draftsRoot, 'draftDir');
    const { pack, engine } = await activateRulePack(dir, this.packOptions);
    return this.run(pack, engine, options);
  }

  /**
   * Backtests a loaded pack (the CLI loads it itself, to print problems its own way); a pack a
   * rule of which throws on the smoke corpus is RULES_INVALID, as at activation.
   */
  async simulate(pack: RulePack, options: BacktestOptions = {}): Promise<BacktestReport> {
    checkOptions(options);
    const engine = new RuleEngine(pack);
    await assertDecides(engine, null);
    return this.run(pack, engine, options);
  }

  private async run(pack: RulePack, engine: RuleEngine, options: BacktestOptions): Promise<BacktestReport> {
    checkOptions(options);
    const started = performance.now();
    const from = options.from ?? null;
    const to = options.to ?? null;
    // A fresh tally per run: the work starts over on the primary if a replica fails under it.
    const result = await this.reads.read((em) => replay(em, engine, { ...options, from, to }));
    const elapsedMs = performance.now() - started;
    return {
      ...result,
      draftVersion: pack.version,
      from,
      to,
      elapsedMs: Math.round(elapsedMs),
      incidentsPerSecond: elapsedMs > 0 ? Math.round((result.counts.total * 1000) / elapsedMs) : 0,
    };
  }
}

/** Re-decides the stored incidents read through `em` and tallies what changes. */
async function replay(em: EntityManager, engine: RuleEngine, options: BacktestOptions & { from: Date | null; to: Date | null }): Promise<BacktestTallyResult> {
  const tally = new BacktestTally(options.samples ?? DEFAULT_SAMPLES, options.only?.length ? options.only : null);
  for await (const batch of storedIncidents(em, { from: options.from, to: options.to, batchSize: options.batchSize ?? DEFAULT_BATCH })) {
    for (const stored of batch) {
      const repeats = stored.repeatIncidents30d;
      const decision = await engine
        .decide(stored.input, { now: stored.input.reportedAt, dynamicFacts: { repeatIncidents30d: async () => repeats } })
        .catch((e: unknown) => {
          // A backtest reports the failure (which incident, which rule), never a fallback decision.
          throw e instanceof RulesFailedError ? new RulesFailedError(e.failure, null, { incidentId: String(stored.incident.id) }) : e;
        });
      tally.add(stored.incident, stored.before, summarizeDecision(decision));
    }
    await yieldToIo(); // let the server answer other requests between batches
  }
  const result = tally.result();
  const fired = await storedFiredRules(
    em,
    result.samples.map((s) => s.id),
  );
  for (const s of result.samples) s.before = { ...s.before, firedRules: fired.get(s.id) ?? [] };
  return result;
}

function checkOptions(o: BacktestOptions): void {
  if (o.samples !== undefined && (!Number.isInteger(o.samples) || o.samples < 0)) throw badInput('samples', 'must be a whole number, 0 or more');
  if (o.batchSize !== undefined && (!Number.isInteger(o.batchSize) || o.batchSize < 1 || o.batchSize > 10_000))
    throw badInput('batchSize', 'must be a whole number from 1 to 10000');
  if (o.from && o.to && o.from.getTime() >= o.to.getTime()) throw badInput('to', 'must be after from');
}
