import type { EntityManager } from 'typeorm';
import { AppError } from '../common/errors';
import { expectVersion, lockIncidentRow, updateVersioned } from './locks';

/** An entity manager that records statements and answers an update with `affected` rows. */
function fakeEm(type: string, affected = 1) {
  const where = jest.fn().mockReturnThis();
  const set = jest.fn().mockReturnThis();
  const qb = { update: jest.fn().mockReturnThis(), set, where, execute: jest.fn(async () => ({ affected })) };
  const query = jest.fn(async () => []);
  const em = { connection: { options: { type } }, query, createQueryBuilder: () => qb } as unknown as EntityManager;
  return { em, query, set, where };
}

describe('locks', () => {
  it('passes an absent expected version and the current one; CONFLICT names the field otherwise', () => {
    expect(() => expectVersion('refund', { id: 7, version: 3 }, null, 'input.expectedVersion')).not.toThrow();
    expect(() => expectVersion('refund', { id: 7, version: 3 }, 3, 'input.expectedVersion')).not.toThrow();
    try {
      expectVersion('refund', { id: 7, version: 3 }, 2, 'input.expectedVersion');
      throw new Error('no conflict');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect(e).toMatchObject({
        code: 'CONFLICT',
        message: 'refund 7 is at version 3, not 2',
        extensions: { field: 'input.expectedVersion', currentVersion: 3 },
      });
    }
  });

  it('writes under the version read, one up, and is CONFLICT when nothing matched', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const ok = fakeEm('better-sqlite3', 1);
    await updateVersioned(ok.em, 'incidents', 'incident', { id: 5, version: 2 }, { status: 'CLOSED' }, now, 'expectedVersion');
    expect(ok.set).toHaveBeenCalledWith({ status: 'CLOSED', version: 3, updatedAt: now });
    expect(ok.where).toHaveBeenCalledWith('id = :id AND version = :version', { id: 5, version: 2 });
    const lost = fakeEm('better-sqlite3', 0);
    await expect(updateVersioned(lost.em, 'incidents', 'incident', { id: 5, version: 2 }, {}, now, 'expectedVersion')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'incident 5 was changed concurrently; read it again',
    });
  });

  it('locks the incident row on MySQL only, and nothing for a null id', async () => {
    const mysql = fakeEm('mariadb');
    await lockIncidentRow(mysql.em, 9);
    await lockIncidentRow(mysql.em, null);
    expect(mysql.query).toHaveBeenCalledTimes(1);
    expect(mysql.query).toHaveBeenCalledWith('SELECT id FROM incidents WHERE id = ? FOR UPDATE', [9]);
    const sqlite = fakeEm('better-sqlite3');
    await lockIncidentRow(sqlite.em, 9);
    expect(sqlite.query).not.toHaveBeenCalled();
  });
});
