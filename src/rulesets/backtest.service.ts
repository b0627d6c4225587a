import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { badInput } from '../common/errors';
import type { StoredDecision } from '../incidents/incident.types';
import { factsOf, NormalizedReport } from '../incidents/incident.validation';
import { DecisionInput, DynamicFacts, RuleEngine } from '../rules/rule-engine';
import { loadRulePack } from '../rules/rule-pack.loader';
import type { RulePack } from '../rules/types';
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

/** The columns a backtest reads, as the driver returns them. */
interface Row {
  id: number | string;
  source: string;
  externalRef: string;
  category: string;
  reportedAt: Date | string;
  report: string;
  decision: string;
}

/** The stored report JSON: the checked report with the amount in fen as a string, plus the computed fact. */
type StoredReport = Omit<NormalizedReport, 'amountFen'> & { amountFen: string | null; repeatIncidents30d?: number };

export const DEFAULT_SAMPLES = 20;
/** The most samples the API returns (the CLI may ask for more). */
export const MAX_API_SAMPLES = 1000;
const DEFAULT_BATCH = 2000;

/**
 * Backtests (issue 3 §7): re-decides the stored non-drill incidents of a period under a draft
 * rule pack and counts what would change. Read-only. Each incident is decided on its stored
 * facts, with `repeatIncidents30d` as the rules saw it when it was reported and its stored
 * `reportedAt`, so the draft sees the world as the live pack did.
 *
 * Streams in id order with keyset pagination, one query per batch and none per incident:
 * memory stays constant whatever the period holds.
 */
export class BacktestService {
  constructor(private readonly ds: DataSource, private readonly draftsRoot: string | null) {}

  /**
   * Backtests the pack in `draftDir` (a directory on the server, see resolveDraftDir).
   * BAD_USER_INPUT for a bad path or options; RULES_INVALID (every problem) for a bad pack.
   */
  async simulateDraft(draftDir: unknown, options: BacktestOptions = {}): Promise<BacktestReport> {
    if (options.samples !== undefined && options.samples > MAX_API_SAMPLES) throw badInput('samples', `at most ${MAX_API_SAMPLES}`);
    const dir = resolveDraftDir(draftDir, this.draftsRoot, 'draftDir');
    checkOptions(options);
    return this.simulate(loadRulePack(dir), options);
  }

  /** Backtests a loaded pack (the CLI loads it itself, to print problems its own way). */
  async simulate(pack: RulePack, options: BacktestOptions = {}): Promise<BacktestReport> {
    checkOptions(options);
    const started = process.hrtime.bigint();
    const engine = new RuleEngine(pack);
    const tally = new BacktestTally(options.samples ?? DEFAULT_SAMPLES, options.only?.length ? options.only : null);
    const from = options.from ?? null;
    const to = options.to ?? null;
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const bounds = await this.idBounds(from, to);
    if (bounds) {
      // Read the next batch while this one is decided (overlaps I/O with work on MySQL).
      let pending = this.batch(bounds.first - 1, bounds.last, from, to, batchSize);
      for (;;) {
        const rows = await pending;
        if (rows.length === 0) break;
        const lastId = Number(rows[rows.length - 1].id);
        pending = rows.length < batchSize ? Promise.resolve([]) : this.batch(lastId, bounds.last, from, to, batchSize);
        for (const row of rows) await this.decideOne(engine, tally, row);
        await yieldToIo(); // let the server answer other requests between batches
      }
    }
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const result = tally.result();
    return {
      ...result,
      draftVersion: pack.version,
      from,
      to,
      elapsedMs: Math.round(elapsedMs),
      incidentsPerSecond: elapsedMs > 0 ? Math.round((result.counts.total * 1000) / elapsedMs) : 0,
    };
  }

  private async decideOne(engine: RuleEngine, tally: BacktestTally, row: Row): Promise<void> {
    const report = JSON.parse(row.report) as StoredReport;
    const stored = JSON.parse(row.decision) as StoredDecision;
    const reportedAt = rowDate(row.reportedAt);
    const repeats = Number(report.repeatIncidents30d ?? 0);
    // The dynamic fact as it was when the incident was reported: no query.
    const dynamicFacts: DynamicFacts = { repeatIncidents30d: async () => repeats };
    const input: DecisionInput = {
      ...factsOf({ ...report, amountFen: report.amountFen === null || report.amountFen === undefined ? null : BigInt(report.amountFen) }),
      customerId: report.customer?.id ?? null,
      reportedAt,
    };
    const decision = await engine.decide(input, { now: reportedAt, dynamicFacts });
    tally.add(
      { id: Number(row.id), source: row.source, externalRef: row.externalRef, category: row.category, reportedAt },
      summarizeDecision(stored),
      summarizeDecision(decision),
    );
  }

  /** The id range of the period's incidents (served by the reported_at index); null when there are none. */
  private async idBounds(from: Date | null, to: Date | null): Promise<{ first: number; last: number } | null> {
    const q = this.ds.createQueryBuilder().select('MIN(i.id)', 'first').addSelect('MAX(i.id)', 'last').from('incidents', 'i');
    if (from) q.andWhere('i.reported_at >= :from', { from });
    if (to) q.andWhere('i.reported_at < :to', { to });
    const row = await q.getRawOne<{ first: number | string | null; last: number | string | null }>();
    if (!row || row.first === null || row.last === null) return null;
    return { first: Number(row.first), last: Number(row.last) };
  }

  private batch(afterId: number, lastId: number, from: Date | null, to: Date | null, size: number): Promise<Row[]> {
    const q = this.ds.createQueryBuilder()
      .select('i.id', 'id').addSelect('i.source', 'source').addSelect('i.external_ref', 'externalRef').addSelect('i.category', 'category')
      .addSelect('i.reported_at', 'reportedAt').addSelect('i.report', 'report').addSelect('i.decision', 'decision')
      .from('incidents', 'i')
      .where('i.id > :afterId AND i.id <= :lastId', { afterId, lastId })
      .andWhere('i.drill = :drill', { drill: false });
    if (from) q.andWhere('i.reported_at >= :from', { from });
    if (to) q.andWhere('i.reported_at < :to', { to });
    return q.orderBy('i.id', 'ASC').limit(size).getRawMany<Row>();
  }
}

function checkOptions(o: BacktestOptions): void {
  if (o.samples !== undefined && (!Number.isInteger(o.samples) || o.samples < 0)) throw badInput('samples', 'must be a whole number, 0 or more');
  if (o.batchSize !== undefined && (!Number.isInteger(o.batchSize) || o.batchSize < 1 || o.batchSize > 10_000)) throw badInput('batchSize', 'must be a whole number from 1 to 10000');
  if (o.from && o.to && o.from.getTime() >= o.to.getTime()) throw badInput('to', 'must be after from');
}

/** A DATETIME as the driver returns it: a Date (MySQL) or `YYYY-MM-DD HH:mm:ss.SSS` in UTC (SQLite). */
export function rowDate(v: Date | string): Date {
  if (v instanceof Date) return v;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}
