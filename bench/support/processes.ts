/**
 * The processes a benchmark starts (each in its own process group, all stopped when the bench
 * exits or is interrupted) and what /proc says of them and of the machine: readiness, RSS and
 * CPU of a process tree, the database server's pid, the machine's busy time. Linux only.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');

const started = new Set<ChildProcess>();

/** Kills a child's whole process group (a cluster primary takes its workers with it). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

process.on('exit', () => {
  for (const child of started) killGroup(child, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    console.error(`\n${sig}: stopping what the bench started`);
    process.exit(130);
  });
}

export interface Server {
  child: ChildProcess;
  url: string;
  output: () => string;
}

export async function startProcess(args: string[], env: Record<string, string>, port: number): Promise<Server> {
  let output = '';
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  started.add(child);
  child.on('exit', () => started.delete(child));
  child.stdout!.on('data', (d) => (output = (output + d).slice(-20000)));
  child.stderr!.on('data', (d) => (output = (output + d).slice(-20000)));
  return { child, url: `http://127.0.0.1:${port}`, output: () => output };
}

export async function stopProcess(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  if (child.signalCode === 'SIGKILL') console.log(`    (process ${child.pid} did not stop within 10 s of SIGTERM: killed)`);
  killGroup(child, 'SIGKILL'); // stragglers of the group, if any
}

export async function waitReady(server: Server, pathName: string, expectProcesses: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited (${server.child.exitCode}):\n${server.output()}`);
    try {
      const res = await fetch(`${server.url}${pathName}`, { method: pathName === '/graphql' ? 'POST' : 'GET', signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status < 500 && treeOf(server.child.pid!).length >= expectProcesses) return;
    } catch {
      // not yet
    }
    await sleep(200);
  }
  throw new Error(`server did not become ready:\n${server.output()}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pid and every descendant (a cluster primary and its workers). */
export function treeOf(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const task of fs.readdirSync(`/proc/${out[i]}/task`)) {
        const kids = fs.readFileSync(`/proc/${out[i]}/task/${task}/children`, 'utf8').trim();
        if (kids) out.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Resident memory of a process and its descendants, MB. */
export function rssMb(pid: number): number {
  let kb = 0;
  for (const p of treeOf(pid)) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // exited meanwhile
    }
  }
  return kb / 1024;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by a process and its descendants. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of treeOf(pid)) {
    try {
      // Fields after the command name, which is in parentheses and may contain spaces.
      const fields = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** The database server's pid (mariadbd/mysqld on this machine), to charge its CPU per request too. */
export function databaseServerPid(): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'mariadbd' || comm === 'mysqld') return Number(entry);
    } catch {
      // gone
    }
  }
  return null;
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
export function machineTicks(): { busy: number; total: number; steal: number } {
  const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = fields.map(Number);
  const total = n.reduce((a, b) => a + b, 0);
  // idle and iowait are not busy; steal (the 8th field) is time the hypervisor ran another guest on our vCPUs
  return { busy: total - n[3] - (n[4] ?? 0), total, steal: n[7] ?? 0 };
}
