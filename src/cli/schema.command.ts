import type { Command } from 'commander';
import { printServedSchema } from '../graphql/schema';

/** `triage schema print`: the served GraphQL schema (committed as schema.graphql). */
export function registerSchema(program: Command) {
  program
    .command('schema')
    .description('the GraphQL schema')
    .command('print')
    .description('print the served schema SDL')
    .action(async () => {
      process.stdout.write(await printServedSchema());
    });
}
