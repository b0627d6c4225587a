import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * A MariaDB server of our own (temp data dir, its own port), so fault tests can stop and
 * restart a database without touching the shared one.
 */
export class PrivateMariaDb {
  private proc: ChildProcess | null = null;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-mariadb-'));
  port = 0;

  get url(): string {
    return `mariadb://root@127.0.0.1:${this.port}/triage`;
  }

  async init(): Promise<void> {
    execFileSync('mariadb-install-db', ['--no-defaults', `--datadir=${this.dir}/data`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root'], { stdio: 'ignore' });
    this.port = await freePort();
    await this.start();
    const c = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root' });
    await c.query('CREATE DATABASE triage CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    await c.end();
  }

  async start(): Promise<void> {
    this.proc = spawn('/usr/sbin/mariadbd', [
      '--no-defaults', `--datadir=${this.dir}/data`, `--port=${this.port}`, '--bind-address=127.0.0.1', `--socket=${this.dir}/sock`,
      `--pid-file=${this.dir}/pid`, '--user=root', '--skip-log-bin', '--innodb-buffer-pool-size=128M', '--max-connections=500',
    ], { stdio: 'ignore' });
    for (let i = 0; i < 120; i++) {
      if (await this.answers()) return;
      await sleep(250);
    }
    throw new Error('private MariaDB did not start');
  }

  /** Stops the server: `kill` is a clean shutdown, `crash` a SIGKILL. */
  async stop(how: 'kill' | 'crash' = 'kill'): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(how === 'crash' ? 'SIGKILL' : 'SIGTERM');
    await exited;
    this.proc = null;
  }

  async destroy(): Promise<void> {
    await this.stop('crash');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  async query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root', database: 'triage' });
    try {
      const [rows] = await c.query(sql, params);
      return rows as T[];
    } finally {
      await c.end();
    }
  }

  private async answers(): Promise<boolean> {
    try {
      const c = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root', connectTimeout: 1000 });
      await c.end();
      return true;
    } catch {
      return false;
    }
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
