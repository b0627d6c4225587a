import type { DataSource } from 'typeorm';
import { DEADLOCK_ATTEMPTS, Transactions } from './transaction';

const deadlock = () => Object.assign(new Error('Deadlock found when trying to get lock'), { driverError: { code: 'ER_LOCK_DEADLOCK', errno: 1213 } });

function mysqlLike(outcomes: Array<Error | string>) {
  const transaction = jest.fn(async () => {
    const next = outcomes.shift();
    if (next instanceof Error) throw next;
    return next;
  });
  return { ds: { options: { type: 'mariadb' }, transaction } as unknown as DataSource, transaction };
}

describe('Transactions', () => {
  it('runs a deadlock victim again, whole', async () => {
    const { ds, transaction } = mysqlLike([deadlock(), deadlock(), 'done']);
    const tx = new Transactions(ds);
    const retried = jest.fn();
    tx.onDeadlockRetry = retried;
    await expect(tx.run(async () => 'unused')).resolves.toBe('done');
    expect(transaction).toHaveBeenCalledTimes(3);
    expect(retried).toHaveBeenCalledTimes(2);
  });

  it(`gives up after ${DEADLOCK_ATTEMPTS} runs and rethrows the deadlock`, async () => {
    const { ds, transaction } = mysqlLike(Array.from({ length: DEADLOCK_ATTEMPTS + 1 }, deadlock));
    await expect(new Transactions(ds).run(async () => 'unused')).rejects.toMatchObject({ driverError: { code: 'ER_LOCK_DEADLOCK' } });
    expect(transaction).toHaveBeenCalledTimes(DEADLOCK_ATTEMPTS);
  });

  it('never runs again what failed otherwise (a lock wait timeout, a unique violation)', async () => {
    const timeout = Object.assign(new Error('Lock wait timeout exceeded'), { driverError: { code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 } });
    const { ds, transaction } = mysqlLike([timeout, 'done']);
    await expect(new Transactions(ds).run(async () => 'unused')).rejects.toBe(timeout);
    expect(transaction).toHaveBeenCalledTimes(1);
  });
});
