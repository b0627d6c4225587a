import 'reflect-metadata';
import { Column, DataSource, Entity, EntityManager, PrimaryGeneratedColumn } from 'typeorm';
import { AppError } from '../common/errors';
import { TIMESTAMP } from './column-types';
import { expectVersion, lockIncidentRow, updateVersioned } from './locks';
import * as rawSql from './raw-sql';

@Entity('versioned_rows')
class VersionedRow {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'varchar', length: 16 }) status!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'updated_at', ...TIMESTAMP }) updatedAt!: Date;
}

describe('locks', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [VersionedRow], synchronize: true }).initialize();
  });
  afterAll(async () => ds.destroy());

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
    const before = new Date('2025-12-31T00:00:00Z');
    const now = new Date('2026-01-01T00:00:00Z');
    const { id } = await ds.manager.save(Object.assign(new VersionedRow(), { status: 'OPEN', version: 2, updatedAt: before }));
    await updateVersioned(ds.manager, VersionedRow, 'incident', { id, version: 2 }, { status: 'CLOSED' }, now, 'expectedVersion');
    expect(await ds.manager.findOneBy(VersionedRow, { id })).toEqual({ id, status: 'CLOSED', version: 3, updatedAt: now });
    // Read at version 2, written meanwhile: nothing is written.
    await expect(updateVersioned(ds.manager, VersionedRow, 'incident', { id, version: 2 }, { status: 'OPEN' }, now, 'expectedVersion')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `incident ${id} was changed concurrently; read it again`,
      extensions: { field: 'expectedVersion' },
    });
    expect(await ds.manager.findOneBy(VersionedRow, { id })).toMatchObject({ status: 'CLOSED', version: 3 });
  });

  it('locks the incident row on MySQL only, and nothing for a null id', async () => {
    const exec = jest.spyOn(rawSql, 'rawExec').mockResolvedValue([]);
    try {
      const mysql = { connection: { options: { type: 'mariadb' } } } as unknown as EntityManager;
      await lockIncidentRow(mysql, 9);
      await lockIncidentRow(mysql, null);
      expect(exec).toHaveBeenCalledTimes(1);
      expect(exec).toHaveBeenCalledWith(mysql, 'SELECT id FROM incidents WHERE id = ? FOR UPDATE', [9]);
      exec.mockClear();
      await lockIncidentRow(ds.manager, 9);
      expect(exec).not.toHaveBeenCalled();
    } finally {
      exec.mockRestore();
    }
  });
});
