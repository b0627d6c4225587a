import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/** A contact: INTERNAL (联络人) or EXTERNAL (紧急应变外部联系通信录: 110, 119, 120, property management, IT …). */
@Entity('contacts')
export class ContactEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** INTERNAL | EXTERNAL */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  department!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  role!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone!: string | null;

  @Column({ name: 'created_at', ...TIMESTAMP })
  createdAt!: Date;

  @Column({ name: 'updated_at', ...TIMESTAMP })
  updatedAt!: Date;
}
