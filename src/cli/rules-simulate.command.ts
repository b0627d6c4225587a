import type { Command } from 'commander';
import { withDatabase } from './cli-support';
import { ReadDb } from '../database/read-db';
import type { RulePack } from '../rules/types';
import { BacktestReport, BacktestService, DEFAULT_SAMPLES } from '../rulesets/backtest.service';
import type { ChangeCounts } from '../rulesets/backtest.tally';
import { DECISION_FIELDS, DecisionField, describeChange } from '../rulesets/decision-diff';

interface SimulateOptions {
  draft: string;
  from?: string;
  to?: string;
  samples: string;
  only?: string;
  batch: string;
  json: boolean;
}

/**
 * `triage rules simulate --draft DIR`: the backtest of the policy against DATABASE_URL, read-only.
 * `loadOrExit` loads the draft or prints its problems and exits 1, as `triage rules validate` does.
 */
export function registerSimulate(rules: Command, loadOrExit: (dir: string) => RulePack) {
  rules
    .command('simulate')
    .description('backtest a draft pack: re-decide the stored non-drill incidents of DATABASE_URL (read-only) and report what would change')
    .requiredOption('--draft <dir>', 'the draft rule pack directory')
    .option('--from <iso>', 'incidents reported at or after this time')
    .option('--to <iso>', 'incidents reported before this time')
    .option('--samples <n>', 'how many changed incidents to list', String(DEFAULT_SAMPLES))
    .option('--only <fields>', `list only incidents where one of these changed (comma-separated: ${DECISION_FIELDS.join(', ')})`)
    .option('--batch <n>', 'rows read per query', '2000')
    .option('--json', 'print JSON', false)
    .action(async (opts: SimulateOptions) => {
      const pack = loadOrExit(opts.draft);
      const options = {
        from: opts.from ? isoDate('--from', opts.from) : null,
        to: opts.to ? isoDate('--to', opts.to) : null,
        samples: wholeNumber('--samples', opts.samples),
        batchSize: wholeNumber('--batch', opts.batch),
        only: opts.only ? fields(opts.only) : null,
      };
      // On a read replica when DATABASE_REPLICA_URLS names some, as the API's backtest.
      const report = await withDatabase((ds) => new BacktestService(new ReadDb(ds), null).simulate(pack, options));
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatReport(report).join('\n'));
    });
}

function formatReport(r: BacktestReport): string[] {
  const period = `${r.from ? r.from.toISOString() : 'the first'} to ${r.to ? r.to.toISOString() : 'the last'}`;
  const lines = [`draft ${r.draftVersion}: ${r.counts.total} stored non-drill incidents re-decided (${period})`, `changed: ${counts(r.counts)}`];
  if (r.byCategory.length) lines.push('by category:');
  for (const c of r.byCategory) lines.push(`  ${c.category.padEnd(18)} ${String(c.counts.total).padStart(7)} incidents, ${counts(c.counts)}`);
  if (r.samples.length) lines.push(`samples (${r.samples.length}, in id order):`);
  for (const s of r.samples) {
    lines.push(
      `  #${s.id} ${s.source}/${s.externalRef} ${s.category} ${s.reportedAt.toISOString()} [${s.before.ruleSetVersion}]: ${describeChange(s.before, s.after, s.changed)}`,
    );
  }
  lines.push(`elapsed ${(r.elapsedMs / 1000).toFixed(2)} s, ${r.incidentsPerSecond} incidents/s`);
  return lines;
}

function counts(c: ChangeCounts): string {
  return (
    `${c.changed} changed (severity ${c.severity}, owner ${c.owner}, notify ${c.notify}, actions ${c.actions}, ` +
    `police ${c.police}: +${c.policeNowRequired} now required, -${c.policeNoLongerRequired} no longer; refund chain ${c.refundChain})`
  );
}

function isoDate(flag: string, value: string): Date {
  const d = new Date(value);
  if (!/^\d{4}-\d\d-\d\d/.test(value) || Number.isNaN(d.getTime()))
    throw new Error(`${flag} "${value}" is not an ISO date-time such as 2026-11-01T00:00:00+08:00`);
  return d;
}

function wholeNumber(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`${flag} "${value}" must be a whole number`);
  return Number(value);
}

function fields(list: string): DecisionField[] {
  return list.split(',').map((f) => {
    const field = f.trim().toUpperCase().replace(/-/g, '_');
    if (!(DECISION_FIELDS as readonly string[]).includes(field)) throw new Error(`--only: unknown field "${f}"; one of ${DECISION_FIELDS.join(', ')}`);
    return field as DecisionField;
  });
}
