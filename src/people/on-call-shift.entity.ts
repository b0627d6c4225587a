import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/** A staff member holding a department's duty (值班) from `fromAt` (inclusive) to `toAt` (exclusive). */
@Entity('on_call_shifts')
export class OnCallShiftEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  department!: string;

  @Column({ name: 'staff_id', type: 'integer' })
  staffId!: number;

  @Column({ name: 'from_at', ...TIMESTAMP })
  fromAt!: Date;

  @Column({ name: 'to_at', ...TIMESTAMP })
  toAt!: Date;

  @Column({ name: 'set_by', type: 'varchar', length: 160 })
  setBy!: string;

  @Column({ name: 'created_at', ...TIMESTAMP })
  createdAt!: Date;
}
