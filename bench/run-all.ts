/**
 * `npm run bench`: runs every compiled benchmark (dist/bench/*.bench.js) one after another, each
 * in its own Node process so none warms or pollutes another, and says which failed.
 *
 *   node dist/bench/run-all.js [name …]     only the benchmarks whose file name contains a name
 *
 * Arguments after `--` go to every benchmark (e.g. `-- --quick`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function main(): void {
  const args = process.argv.slice(2);
  const split = args.indexOf('--');
  const names = split === -1 ? args : args.slice(0, split);
  const passThrough = split === -1 ? [] : args.slice(split + 1);
  const benches = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => names.length === 0 || names.some((n) => f.includes(n)))
    .sort();
  if (benches.length === 0) {
    console.error(`no benchmark under ${__dirname}${names.length ? ` matching ${names.join(', ')}` : ''}: run npm run build first`);
    process.exit(1);
  }
  const failed: string[] = [];
  for (const file of benches) {
    console.log(`\n## ${file}\n`);
    const started = Date.now();
    const run = spawnSync(process.execPath, [path.join(__dirname, file), ...passThrough], { stdio: 'inherit' });
    const outcome = run.error ? `could not start: ${run.error.message}` : run.signal ? `killed by ${run.signal}` : `exit ${run.status}`;
    console.log(`\n(${file}: ${outcome}, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    if (run.error || run.status !== 0) failed.push(file);
  }
  if (failed.length) {
    console.error(`\nfailed or missed a target: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main();
