import mysql from 'mysql2/promise';
import { DatabaseConfig, parseDatabaseUrl } from '../../src/config/config';

/**
 * A MariaDB database made afresh for a benchmark (dropped first if it was there): the admin
 * connection that made it (to drop it at the end) and a plain pool that seeds it in bulk.
 */
export async function freshMariaDb(url: string): Promise<{ db: Extract<DatabaseConfig, { kind: 'mysql' }>; admin: mysql.Connection; pool: mysql.Pool }> {
  const db = parseDatabaseUrl(url);
  if (db.kind !== 'mysql') throw new Error('--mariadb-url must name MariaDB or MySQL');
  const admin = await mysql.createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
  await admin.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
  await admin.query(`CREATE DATABASE \`${db.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const pool = mysql.createPool({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
    connectionLimit: 4,
    timezone: 'Z',
  });
  return { db, admin, pool };
}
