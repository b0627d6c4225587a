import type { Command } from 'commander';
import { renderConfigDoc } from '../config/config-variables';
import { ConfigError, loadConfig } from '../config/config';

/** `triage config doc|check`: the variables the service reads, and whether the environment's values are good. */
export function registerConfig(program: Command) {
  const config = program.command('config').description('the environment variables Triage reads');
  config
    .command('doc')
    .description('print every variable with its default and meaning (docs/configuration.md is this)')
    .action(() => {
      process.stdout.write(renderConfigDoc());
    });
  config
    .command('check')
    .description('read the configuration from this environment as `serve` would; exit 1 listing every bad value')
    .action(() => {
      try {
        loadConfig();
        console.log('ok');
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        for (const p of e.problems) console.log(p);
        process.exit(1);
      }
    });
}
