import 'reflect-metadata';
import { Command } from 'commander';
import { registerServe } from './serve.command';
import { registerMigrate } from './migrate.command';
import { registerApiKey } from './apikey.command';
import { registerSchema } from './schema.command';
import { registerDemo } from './demo.command';
import { registerRules } from './rules.command';
import { registerStaff } from './staff.command';
import { registerNotify } from './notify.command';
import { registerConfig } from './config.command';

/** `triage` — serve, migrate, manage API keys, print the schema, work on rule packs. */
export function buildCli(): Command {
  const program = new Command('triage')
    .description('Triage: decides what to do when something goes wrong with a customer (客服应急预案)')
    .showHelpAfterError()
    .exitOverride();
  registerServe(program);
  registerMigrate(program);
  registerApiKey(program);
  registerSchema(program);
  registerDemo(program);
  registerRules(program);
  registerStaff(program);
  registerNotify(program);
  registerConfig(program);
  return program;
}

export async function main(): Promise<void> {
  try {
    await buildCli().parseAsync(process.argv);
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (err.code?.startsWith('commander.')) process.exit(err.exitCode ?? 1);
    console.error(`triage: ${err.message ?? String(e)}`);
    process.exit(1);
  }
}

if (require.main === module) void main();
