import type { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Column definitions both SQLite and MySQL/MariaDB accept, so one migration runs on both.
 * Only the large-text type differs: MySQL's TEXT stops at 64 KiB. On MySQL every text column
 * is utf8mb4 with a binary collation, whatever the server's defaults: keys such as
 * (source, externalRef) must compare byte for byte ("SO-1" is not "so-1"), as on SQLite.
 */
export function columns(queryRunner: QueryRunner) {
  const isSqlite = queryRunner.connection.driver.options.type === 'better-sqlite3';
  const text = isSqlite ? {} : { charset: 'utf8mb4', collation: 'utf8mb4_bin' };
  return {
    id: (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' }),
    int: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable }),
    bigint: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable }),
    str: (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
      ...text,
    }),
    bool: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'boolean', isNullable: nullable }),
    time: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable }),
    longText: (name: string, nullable = false): TableColumnOptions => ({ name, type: isSqlite ? 'text' : 'longtext', isNullable: nullable, ...text }),
  };
}
