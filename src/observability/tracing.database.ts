import { context, SpanKind, trace } from '@opentelemetry/api';
import { ATTR_DB_OPERATION_NAME } from '@opentelemetry/semantic-conventions';
import type { DataSource, QueryRunner } from 'typeorm';
import { isSqlite } from '../database/dialect';
import { wrapQueryRunners } from '../database/driver-internals';
import { hookRawStatements } from '../database/raw-sql';
import { ATTR, markFailed, Tracing } from './tracing';

/** The longest db.statement recorded; longer statements are cut (multi-row INSERTs grow with their rows). */
export const STATEMENT_LIMIT = 1000;

type Query = QueryRunner['query'];

/**
 * A client span for every statement `ds` runs inside a traced operation: TypeORM's (each query
 * runner's `query`, which also runs START TRANSACTION / BEGIN, COMMIT and ROLLBACK) and those of
 * raw-sql.ts, which bypass TypeORM on the hot paths. Statements outside a recording span get
 * none: migrations, the escalation scheduler's and the webhook worker's polling (each would be a
 * trace of one span), unsampled requests, and work a request left running after its span ended
 * (the shadow pack's queue, drained in the context of the request that started it).
 *
 * Recorded: `db.system` (sqlite, mysql or mariadb), `db.operation.name` (SELECT, INSERT, START
 * TRANSACTION…) and `db.statement`, the statement's text with quoted literals masked, cut at
 * STATEMENT_LIMIT. Never a parameter value (customers' phones travel as parameters), and of an
 * error only its code: a database's message can quote the values.
 */
export function traceDatabase(ds: DataSource, tracing: Tracing): void {
  const system = isSqlite(ds) ? 'sqlite' : ds.options.type;
  const replicated = 'replication' in ds.options && !!ds.options.replication;
  const traced = <T>(sql: string, run: () => Promise<T>, replica: boolean): Promise<T> => {
    const parent = context.active();
    if (!trace.getSpan(parent)?.isRecording()) return run();
    const operation = operationOf(sql);
    const span = tracing.tracer.startSpan(
      operation,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system': system,
          [ATTR_DB_OPERATION_NAME]: operation,
          'db.statement': statementText(sql),
          ...(replica ? { [ATTR.dbReplica]: true } : {}),
        },
      },
      parent,
    );
    return run().then(
      (result) => {
        span.end();
        return result;
      },
      (e: unknown) => {
        markFailed(span, e);
        span.end();
        throw e;
      },
    );
  };

  hookRawStatements(ds, (sql, run) => traced(sql, run, false));

  // TypeORM asks the driver for a query runner for everything it runs (the SQLite driver keeps
  // one and hands it out again): each runner's `query` is wrapped once.
  wrapQueryRunners(ds, (runner, mode) => {
    const query = runner.query.bind(runner) as Query;
    const replica = replicated && mode === 'slave';
    runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) =>
      traced(sql, () => query(sql, parameters, structured as never), replica)) as Query;
  });
}

/** The statement's first keyword(s), upper-cased: SELECT, INSERT, START TRANSACTION, COMMIT… */
export function operationOf(sql: string): string {
  const head = /^\s*(start transaction|begin transaction|release savepoint|rollback to savepoint|\w+)/i.exec(sql);
  return head ? head[1].toUpperCase() : 'QUERY';
}

/** The text recorded as db.statement: quoted literals masked ('…' → '?'), cut at STATEMENT_LIMIT. */
export function statementText(sql: string): string {
  const masked = sql.replace(/'(?:[^'\\]|\\.)*'/g, "'?'");
  return masked.length > STATEMENT_LIMIT ? `${masked.slice(0, STATEMENT_LIMIT - 1)}…` : masked;
}
