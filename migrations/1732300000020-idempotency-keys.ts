import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from './portable';

/**
 * `idempotency_keys`: what a request sent with an idempotency key answered, kept 24 hours, so a
 * retry gets the first answer instead of doing it again (Stripe's semantics). One row per
 * (scope — whose key: the API key —, kind — `http` for the Idempotency-Key header,
 * `requestRefund` for its input field —, key), by a unique index: of two concurrent
 * requests with one key, one does the work.
 */
export class IdempotencyKeys1732300000020 implements MigrationInterface {
  name = 'IdempotencyKeys1732300000020';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          c.id(),
          c.str('scope', 80),
          c.str('kind', 32),
          c.str('idem_key', 255),
          c.str('request_hash', 64),
          c.str('state', 16),
          c.int('response_status', true),
          c.longText('response_body', true),
          c.str('resource_id', 64, true),
          c.time('created_at'),
          c.time('expires_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_idempotency_keys', columnNames: ['scope', 'kind', 'idem_key'], isUnique: true }),
          new TableIndex({ name: 'ix_idempotency_keys_expires', columnNames: ['expires_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_keys');
  }
}
