import 'reflect-metadata';
import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { Transactions } from '../database/transaction';
import { rawExec } from '../database/raw-sql';
import { EventBus } from './event-bus';

interface TxEvents {
  written: { n: number };
  other: string;
}
interface Outside {
  ticked: number;
}

const logger = () => ({ error: jest.fn() }) as unknown as Logger & { error: jest.Mock };

describe('EventBus', () => {
  let ds: DataSource;
  let tx: Transactions;
  let log: Logger & { error: jest.Mock };
  let bus: EventBus<TxEvents, Outside>;
  const rows = async () => ((await ds.query('SELECT n FROM t ORDER BY n')) as Array<{ n: number }>).map((r) => r.n);

  beforeEach(async () => {
    ds = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    await ds.initialize();
    await ds.query('CREATE TABLE t (n INTEGER NOT NULL)');
    tx = new Transactions(ds);
    log = logger();
    bus = new EventBus<TxEvents, Outside>(tx, log);
  });
  afterEach(() => ds.destroy());

  it('runs in-transaction handlers by their order, with the transaction’s manager, then after-commit ones once it committed', async () => {
    const seen: string[] = [];
    bus.afterCommit('written', async ({ n }) => {
      seen.push(`after ${n}: ${(await rows()).join(',')}`);
    });
    bus.inTransaction('written', 900, async (em, { n }) => {
      seen.push('rollup');
      await em.query('INSERT INTO t (n) VALUES (?)', [n + 1]);
    });
    bus.inTransaction('written', 100, async (em, { n }) => {
      seen.push('outbox');
      await em.query('INSERT INTO t (n) VALUES (?)', [n]);
    });
    bus.afterCommit('written', () => void seen.push('after, second'), 1);
    const result = await tx.run(async (em) => {
      await bus.publish(em, 'written', { n: 10 });
      seen.push('work done');
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(seen).toEqual(['outbox', 'rollup', 'work done', 'after 10: 10,11', 'after, second']);
  });

  it('drops the after-commit handlers of a transaction that rolls back', async () => {
    const after = jest.fn();
    bus.afterCommit('written', after);
    bus.inTransaction('written', 0, async (em, { n }) => {
      await em.query('INSERT INTO t (n) VALUES (?)', [n]);
    });
    const failure = new Error('later in the write');
    await expect(
      tx.run(async (em) => {
        await bus.publish(em, 'written', { n: 1 });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(after).not.toHaveBeenCalled();
    expect(await rows()).toEqual([]);
    // The next transaction on the same connection queues afresh.
    await tx.run((em) => bus.publish(em, 'written', { n: 2 }));
    expect(after).toHaveBeenCalledTimes(1);
    expect(after).toHaveBeenCalledWith({ n: 2 });
  });

  it('passes an in-transaction handler’s failure to the publisher and rolls the write back', async () => {
    const failure = new Error('outbox full');
    const later = jest.fn(async () => undefined);
    const after = jest.fn();
    bus.inTransaction('written', 1, async () => {
      throw failure;
    });
    bus.inTransaction('written', 2, later);
    bus.afterCommit('written', after);
    await expect(
      tx.runRaw(async (em) => {
        await rawExec(em, 'INSERT INTO t (n) VALUES (?)', [7]);
        await bus.publish(em, 'written', { n: 7 });
      }),
    ).rejects.toBe(failure);
    expect(later).not.toHaveBeenCalled();
    expect(after).not.toHaveBeenCalled();
    expect(await rows()).toEqual([]);
  });

  it('queues on the raw path too, and an after-commit handler may open a transaction of its own', async () => {
    bus.afterCommit('written', ({ n }) => tx.run(async (em) => void (await em.query('INSERT INTO t (n) VALUES (?)', [n * 2]))));
    await tx.runRaw(async (em) => {
      await rawExec(em, 'INSERT INTO t (n) VALUES (?)', [3]);
      await bus.publish(em, 'written', { n: 3 });
    });
    expect(await rows()).toEqual([3, 6]);
  });

  it('logs an after-commit handler’s failure without failing the committed write, and runs the others', async () => {
    const after = jest.fn();
    bus.afterCommit('written', () => {
      throw new Error('metrics down');
    });
    bus.afterCommit('written', async () => Promise.reject(new Error('async too')), 1);
    bus.afterCommit('written', after, 2);
    await expect(tx.run((em) => bus.publish(em, 'written', { n: 1 }))).resolves.toBeUndefined();
    expect(after).toHaveBeenCalledTimes(1);
    expect(log.error).toHaveBeenCalledTimes(2);
  });

  it('keeps only the committed attempt’s after-commit handlers when a deadlock victim runs again', async () => {
    const em = {} as EntityManager;
    let attempts = 0;
    const mysqlLike = {
      options: { type: 'mariadb' },
      transaction: async (work: (m: EntityManager) => Promise<unknown>) => {
        const result = await work(em);
        if (++attempts < 3) throw Object.assign(new Error('deadlock'), { driverError: { code: 'ER_LOCK_DEADLOCK', errno: 1213 } });
        return result;
      },
    } as unknown as DataSource;
    const mysqlTx = new Transactions(mysqlLike);
    const b = new EventBus<TxEvents, Outside>(mysqlTx, log);
    const after = jest.fn();
    b.afterCommit('written', after);
    let n = 0;
    await mysqlTx.run((m) => b.publish(m, 'written', { n: ++n }));
    expect(after.mock.calls).toEqual([[{ n: 3 }]]);
  });

  it('runs after-commit handlers at once when published outside any transaction', async () => {
    const after = jest.fn();
    bus.afterCommit('other', after);
    await bus.publish(ds.manager, 'other', 'x');
    expect(after).toHaveBeenCalledWith('x');
  });

  it('emits outside transactions: synchronous handlers run synchronously, asynchronous ones one after the other', async () => {
    const seen: string[] = [];
    bus.on('ticked', (n) => void seen.push(`sync ${n}`));
    // What an expression handler's call returns (a counter's inc returns the counter) is not awaited.
    bus.on('ticked', (() => ({ then: 'not a promise' })) as unknown as (n: number) => void);
    expect(bus.emit('ticked', 1)).toBeUndefined();
    expect(seen).toEqual(['sync 1']);
    bus.on('ticked', async (n) => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push(`slow ${n}`);
    });
    bus.on('ticked', (n) => void seen.push(`last ${n}`));
    await bus.emit('ticked', 2);
    expect(seen).toEqual(['sync 1', 'sync 2', 'slow 2', 'last 2']);
    expect(bus.handlerCount('ticked')).toBe(4);
    expect(bus.handlerCount('written')).toBe(0);
  });
});
