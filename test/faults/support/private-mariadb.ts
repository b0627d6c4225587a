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
 * What a private server is: on its own (no binary log), the primary of a replica (binary log,
 * row events, server id 1), or a read-only replica (server id 2) fed by `replicateFrom`.
 */
export type MariaDbRole = 'standalone' | 'primary' | 'replica';

const ROLE_ARGS: Record<MariaDbRole, string[]> = {
  standalone: ['--skip-log-bin'],
  primary: ['--log-bin=primary-bin', '--server-id=1', '--binlog-format=ROW'],
  // read-only stops ordinary users, not the replication threads (nor root).
  replica: ['--skip-log-bin', '--server-id=2', '--read-only', '--relay-log=replica-relay'],
};

/**
 * A MariaDB server of our own (temp data dir, its own port), so fault tests can stop and
 * restart a database without touching the shared one. A replica gets the database `triage`
 * from its primary, through replication.
 */
export class PrivateMariaDb {
  private proc: ChildProcess | null = null;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-mariadb-'));
  port = 0;

  constructor(readonly role: MariaDbRole = 'standalone') {}

  get url(): string {
    return `mariadb://root@127.0.0.1:${this.port}/triage`;
  }

  async init(): Promise<void> {
    execFileSync(
      'mariadb-install-db',
      ['--no-defaults', `--datadir=${this.dir}/data`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root'],
      { stdio: 'ignore' },
    );
    this.port = await freePort();
    await this.start();
    // On a primary this is in the binary log from its first statement on: a replica gets it too.
    if (this.role !== 'replica') await this.admin('CREATE DATABASE triage CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  }

  /**
   * Makes this (replica) server replicate everything `primary` has logged since it first started
   * (GTID), and waits until it has caught up.
   */
  async replicateFrom(primary: PrivateMariaDb): Promise<void> {
    if (this.role !== 'replica' || primary.role !== 'primary') throw new Error('replicateFrom: a replica replicates from a primary');
    await this.admin(
      `CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ${primary.port}, MASTER_USER = 'root', MASTER_PASSWORD = '', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1`,
    );
    await this.admin('START SLAVE');
    await this.caughtUpWith(primary);
  }

  /** Waits until this replica has applied everything `primary` has logged so far. */
  async caughtUpWith(primary: PrivateMariaDb, timeoutSeconds = 30): Promise<void> {
    const [{ pos }] = await primary.admin<{ pos: string }>('SELECT @@gtid_binlog_pos AS pos');
    const [{ r }] = await this.admin<{ r: number | null }>('SELECT MASTER_GTID_WAIT(?, ?) AS r', [pos, timeoutSeconds]);
    if (Number(r) !== 0) throw new Error(`the replica did not catch up with ${pos} in ${timeoutSeconds} s: ${JSON.stringify(await this.replicationStatus())}`);
  }

  /** STOP SLAVE: the replica keeps answering, with what it had. */
  async pauseReplication(): Promise<void> {
    await this.admin('STOP SLAVE');
  }

  /** START SLAVE: the replica catches up from where it stopped. */
  async resumeReplication(): Promise<void> {
    await this.admin('START SLAVE');
  }

  /** The replication threads and the last error, from SHOW SLAVE STATUS. */
  async replicationStatus(): Promise<Record<string, unknown>> {
    const [s] = await this.admin<Record<string, unknown>>('SHOW SLAVE STATUS');
    return s ? { io: s.Slave_IO_Running, sql: s.Slave_SQL_Running, lastIoError: s.Last_IO_Error, lastSqlError: s.Last_SQL_Error, gtid: s.Gtid_IO_Pos } : {};
  }

  /** A statement on the server, outside any database. */
  async admin<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root' });
    try {
      const [rows] = await c.query(sql, params);
      return rows as T[];
    } finally {
      await c.end();
    }
  }

  async start(): Promise<void> {
    this.proc = spawn(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults',
        `--datadir=${this.dir}/data`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${this.dir}/sock`,
        `--pid-file=${this.dir}/pid`,
        '--user=root',
        ...ROLE_ARGS[this.role],
        '--innodb-buffer-pool-size=128M',
        '--max-connections=500',
      ],
      { stdio: 'ignore' },
    );
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
