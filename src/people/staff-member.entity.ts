import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { boolTransformer, TIMESTAMP } from '../database/column-types';

/** One person of the staff directory (成员名单). Roles are the directory's, whatever key or token brings the person in. */
@Entity('staff_members')
export class StaffMemberEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'employee_no', type: 'varchar', length: 64 })
  employeeNo!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  /** A department code of the catalog (CUSTOMER_SERVICE, FACILITIES …). */
  @Column({ type: 'varchar', length: 64 })
  department!: string;

  /** Comma-separated roles. */
  @Column({ type: 'varchar', length: 512 })
  roles!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone!: string | null;

  @Column({ type: 'boolean', transformer: boolTransformer })
  active!: boolean;

  @Column({ name: 'created_at', ...TIMESTAMP })
  createdAt!: Date;

  @Column({ name: 'updated_at', ...TIMESTAMP })
  updatedAt!: Date;
}
