import type { Command } from 'commander';
import { loadConfig } from '../config/config';
import { seedDemo } from './demo-seed';

const positive =
  (name: string, max: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be a whole number from 1 to ${max}`);
    return n;
  };

/** `triage demo seed`: realistic incidents and refunds so a new user sees reports at once. */
export function registerDemo(program: Command) {
  program
    .command('demo')
    .description('demo data')
    .command('seed')
    .description('fill DATABASE_URL with incidents of every category and refunds through their approval chains, spread over recent months')
    .option('--incidents <n>', 'incidents in all', positive('incidents', 100_000), 600)
    .option('--months <m>', 'months, ending with the current one', positive('months', 36), 12)
    .option('--seed <n>', 'PRNG seed: the same seed and --until give the same data', positive('seed', 2 ** 31), 20261001)
    .option('--until <iso>', "the seed's now (default: the real now)")
    .action(async (opts: { incidents: number; months: number; seed: number; until?: string }) => {
      const until = opts.until ? new Date(opts.until) : new Date();
      if (Number.isNaN(until.getTime())) throw new Error('--until must be an ISO date-time, e.g. 2026-11-23T10:00:00+08:00');
      const started = Date.now();
      const r = await seedDemo(loadConfig(), { incidents: opts.incidents, months: opts.months, seed: opts.seed, until });
      const refunds =
        Object.entries(r.refunds)
          .map(([status, n]) => `${n} ${status}`)
          .join(', ') || 'none';
      const remedies =
        Object.entries(r.remedies)
          .map(([status, n]) => `${n} ${status}`)
          .join(', ') || 'none';
      console.log(
        `months ${r.months.join(', ')}: ${r.created} incidents created, ${r.skipped} already there; refunds: ${refunds}; remedies: ${remedies} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      console.log('the demo people (demo.agent.wang, demo.cashier.qian, …) have API keys that were not shown; for reports create your own:');
      console.log('  npx triage apikey create --name analyst --roles ANALYST');
    });
}
