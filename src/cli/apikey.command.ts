import type { Command } from 'commander';
import { ApiKeyService } from '../auth/api-key.service';
import { systemClock } from '../common/clock';
import { migrate } from '../database/data-source';
import { withDatabase } from './cli-support';

/** `triage apikey create|list|revoke`. The new key is printed alone on the last line. */
export function registerApiKey(program: Command) {
  const apikey = program.command('apikey').description('manage API keys (stored as hashes)');
  apikey
    .command('create')
    .requiredOption('--name <name>', 'unique name of the key (who uses it)')
    .requiredOption('--roles <roles>', 'comma-separated roles, e.g. AGENT,CS_LEAD')
    .option('--source <source>', 'the ERP/CRM source an INTEGRATION key is bound to')
    .option('--act-for-staff', 'an INTEGRATION key that may name a staff member per request (X-Triage-Employee: <employeeNo>)', false)
    .action(async (opts: { name: string; roles: string; source?: string; actForStaff: boolean }) => {
      await withDatabase(async (ds) => {
        await migrate(ds);
        const roles = opts.roles
          .split(',')
          .map((r) => r.trim().toUpperCase())
          .filter(Boolean);
        const { key, summary } = await new ApiKeyService(ds, systemClock).create(opts.name, roles, opts.source ?? null, { actForStaff: opts.actForStaff });
        console.log(
          `created API key "${summary.name}" with roles ${summary.roles.join(',')}${summary.source ? ` for source ${summary.source}` : ''}${summary.actForStaff ? ', acting for staff' : ''}; it is shown only now:`,
        );
        console.log(key);
      });
    });
  apikey
    .command('list')
    .description('list keys (never the keys themselves)')
    .action(async () => {
      await withDatabase(async (ds) => {
        await migrate(ds);
        const rows = await new ApiKeyService(ds, systemClock).list();
        if (!rows.length) console.log('no API keys');
        for (const r of rows) {
          console.log(
            [
              r.name,
              r.roles.join(','),
              r.source ?? '-',
              r.createdAt.toISOString(),
              r.revokedAt ? `revoked ${r.revokedAt.toISOString()}` : 'active',
              ...(r.actForStaff ? ['acts for staff'] : []),
            ].join('\t'),
          );
        }
      });
    });
  apikey
    .command('revoke <name>')
    .description('revoke a key; it fails on its next request')
    .action(async (name: string) => {
      await withDatabase(async (ds) => {
        await migrate(ds);
        const done = await new ApiKeyService(ds, systemClock).revoke(name);
        if (!done) throw new Error(`no active API key named ${name}`);
        console.log(`revoked ${name}`);
      });
    });
}
