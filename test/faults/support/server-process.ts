import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, sleep } from './private-mariadb';

const root = path.join(__dirname, '..', '..', '..');

/** The real service in its own process (built `dist/`), so it can be killed like in production. */
export class ServerProcess {
  private proc: ChildProcess | null = null;
  port = 0;
  output = '';

  /** `args`: the CLI command (`serve --migrate` unless the database is migrated beforehand). */
  constructor(
    private readonly env: Record<string, string>,
    private readonly args: string[] = ['serve', '--migrate'],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The process id while it runs. */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  async start(): Promise<void> {
    this.port = this.port || (await freePort());
    this.proc = spawn(process.execPath, [path.join(root, 'dist', 'src', 'cli', 'main.js'), ...this.args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc.stdout!.on('data', (d) => (this.output = (this.output + d).slice(-20000)));
    this.proc.stderr!.on('data', (d) => (this.output = (this.output + d).slice(-20000)));
    for (let i = 0; i < 120; i++) {
      if (this.proc.exitCode !== null) throw new Error(`server exited: ${this.output}`);
      if ((await this.ready()) === 200) return;
      await sleep(250);
    }
    throw new Error(`server did not become ready: ${this.output}`);
  }

  async ready(): Promise<number> {
    try {
      return (await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2000) })).status;
    } catch {
      return 0;
    }
  }

  signal(sig: NodeJS.Signals): void {
    this.proc?.kill(sig);
  }

  async stop(sig: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(sig);
    await exited;
    this.proc = null;
  }
}

/** Runs `triage <args>` against a database; its output lines. */
export function cliRun(dbUrl: string, args: string[]): string[] {
  return execFileSync(process.execPath, [path.join(root, 'dist', 'src', 'cli', 'main.js'), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'silent' },
  })
    .toString()
    .trim()
    .split('\n');
}

/** `triage apikey create`: the new key. */
export function apiKey(dbUrl: string, name: string, roles: string, source?: string): string {
  return cliRun(dbUrl, ['apikey', 'create', '--name', name, '--roles', roles, ...(source ? ['--source', source] : [])]).at(-1)!;
}
