import type { Command } from 'commander';
import pino from 'pino';
import { systemClock } from '../common/clock';
import { loadConfig } from '../config/config';
import { createServices, Services } from '../services';
import { withDatabase } from './cli-support';

async function withServices<T>(work: (s: Services) => Promise<T>): Promise<T> {
  return withDatabase(async (ds) => {
    const services = createServices(loadConfig(), ds, systemClock, pino({ level: 'silent' }));
    await services.ruleSets.init();
    return work(services);
  });
}

/**
 * `triage notify channel add|list|remove` and `triage notify redeliver`: where each department's
 * people are told (DingTalk, WeCom or Feishu group robots, or a Standard Webhooks endpoint).
 */
export function registerNotify(program: Command) {
  const notify = program.command('notify').description('notification channels per department (DingTalk, WeCom, Feishu, webhook)');
  const channel = notify.command('channel').description("where a department's people are told");
  channel
    .command('add')
    .requiredOption('--department <code>', 'the department (FACILITIES, GENERAL_MANAGER …)')
    .requiredOption('--kind <kind>', 'DINGTALK, WECOM, FEISHU or WEBHOOK')
    .requiredOption('--url <url>', "the robot's webhook URL (or the endpoint's)")
    .option('--secret <secret>', "DingTalk's SEC… (加签), Feishu's signing secret, or whsec_… for a webhook")
    .option('--description <text>', 'what it is, for the list')
    .action(async (opts: { department: string; kind: string; url: string; secret?: string; description?: string }) => {
      await withServices(async (s) => {
        const ch = await s.people.notifications.addChannel(opts);
        console.log(`added channel ${ch.id}: ${ch.kind} for ${ch.department}${ch.secret ? ' (signed)' : ''}`);
      });
    });
  channel
    .command('list')
    .description('every channel (secrets not shown)')
    .action(async () => {
      await withServices(async (s) => {
        const rows = await s.people.notifications.listChannels();
        if (!rows.length) console.log('no notification channels');
        for (const c of rows)
          console.log(
            [c.id, c.department, c.kind, new URL(c.url).host, c.secret ? 'signed' : '-', c.active ? 'active' : 'removed', c.description ?? ''].join('\t'),
          );
      });
    });
  channel
    .command('remove <id>')
    .description('stops sending through it')
    .action(async (id: string) => {
      await withServices(async (s) => {
        if (!(await s.people.notifications.removeChannel(Number(id)))) throw new Error(`no channel ${id}`);
        console.log(`removed channel ${id}`);
      });
    });
  notify
    .command('redeliver <notificationId>')
    .description('sends a DEAD notification again (due now, 24 hours of retries)')
    .action(async (id: string) => {
      await withServices(async (s) => {
        const n = await s.people.notifications.redeliver(id);
        console.log(`notification ${n.id} is due again`);
      });
    });
}
