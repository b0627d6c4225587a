import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { ReadDb, REPLICA_RETRY_MS, ReadTarget } from './read-db';
import { EventBus } from '../events/event-bus';
import type { ProcessEvents, TransactionEvents } from '../events/triage-events';

/** A data source with or without replicas whose replica runner does what `replica` says. */
function fakeDb(replicas: number, replica: { connect?: () => Promise<void> } = {}) {
  const primaryEm = { where: 'primary' } as unknown as EntityManager;
  const replicaEm = { where: 'replica' } as unknown as EntityManager;
  const runners: Array<{ mode: string; released: boolean }> = [];
  const ds = {
    options: replicas ? { type: 'mariadb', replication: { master: {}, slaves: Array.from({ length: replicas }, () => ({})) } } : { type: 'better-sqlite3' },
    manager: primaryEm,
    createQueryRunner(mode: string) {
      const runner = {
        mode,
        released: false,
        manager: replicaEm,
        connect: replica.connect ?? (async () => undefined),
        async release() {
          runner.released = true;
        },
      };
      runners.push(runner);
      return runner;
    },
  } as unknown as DataSource;
  const warnings: string[] = [];
  const log = { info: () => undefined, warn: (_o: unknown, m: string) => warnings.push(m) } as unknown as Logger;
  const events = new EventBus<TransactionEvents, ProcessEvents>({ afterCommit: () => undefined }, log);
  const counted: ReadTarget[] = [];
  events.on('databaseRead', (t) => void counted.push(t));
  const reads = new ReadDb(ds, log, events);
  return { reads, runners, warnings, counted };
}

const where = (em: EntityManager) => Promise.resolve((em as unknown as { where: string }).where);
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3307'), { code: 'ECONNREFUSED' });

describe('ReadDb', () => {
  afterEach(() => jest.useRealTimers());

  it('reads on the primary, as every other read, without replicas (SQLite)', async () => {
    const { reads, runners, counted } = fakeDb(0);
    expect(await reads.read(where)).toBe('primary');
    expect(runners).toEqual([]);
    expect(counted).toEqual(['primary']);
  });

  it('reads on a replica query runner when there are replicas, and releases it', async () => {
    const { reads, runners, counted } = fakeDb(2);
    expect(await reads.read(where)).toBe('replica');
    expect(runners).toEqual([expect.objectContaining({ mode: 'slave', released: true })]);
    expect(counted).toEqual(['replica']);
  });

  it('falls back to the primary when the replica cannot be reached, logs once, and skips it for a while', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-23T02:00:00Z') });
    let up = false;
    const { reads, runners, warnings, counted } = fakeDb(1, {
      connect: async () => {
        if (!up) throw refused();
      },
    });
    expect(await reads.read(where)).toBe('primary');
    expect(await reads.read(where)).toBe('primary');
    expect(runners).toHaveLength(1); // the second read did not try the replica
    expect(runners[0].released).toBe(true);
    expect(counted).toEqual(['primary', 'primary']);
    jest.setSystemTime(Date.now() + REPLICA_RETRY_MS);
    expect(await reads.read(where)).toBe('primary'); // tried again, still down: no second warning
    expect(runners).toHaveLength(2);
    expect(warnings).toHaveLength(1);
    up = true;
    jest.setSystemTime(Date.now() + REPLICA_RETRY_MS);
    expect(await reads.read(where)).toBe('replica');
    expect(counted).toEqual(['primary', 'primary', 'primary', 'replica']);
  });

  it('runs the work again on the primary when the replica connection breaks under it', async () => {
    const { reads, counted } = fakeDb(1);
    const seen: string[] = [];
    const result = await reads.read(async (em) => {
      const w = await where(em);
      seen.push(w);
      if (w === 'replica')
        throw Object.assign(new Error('Connection lost: The server closed the connection.'), {
          driverError: { code: 'PROTOCOL_CONNECTION_LOST', fatal: true },
        });
      return w;
    });
    expect(result).toBe('primary');
    expect(seen).toEqual(['replica', 'primary']);
    expect(counted).toEqual(['primary']);
  });

  it('passes the work’s own errors through, once, from the replica', async () => {
    const { reads, counted } = fakeDb(1);
    let runs = 0;
    await expect(
      reads.read(async () => {
        runs += 1;
        throw Object.assign(new Error('bad cursor'), { code: 'BAD_USER_INPUT' });
      }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(runs).toBe(1);
    expect(counted).toEqual(['replica']);
  });
});
