import type { DataSource, QueryRunner } from 'typeorm';
import { wrapQueryRunners } from '../../../src/database/driver-internals';
import { hookRawStatements } from '../../../src/database/raw-sql';

/**
 * Counts the SQL statements a data source runs (TypeORM's, through each query runner, and the
 * raw ones), the same way tracing sees them: `during(fn)` answers the statements fn caused.
 */
export function queryCounter(ds: DataSource) {
  const statements: string[] = [];
  let counting = false;
  hookRawStatements(ds, (sql, run) => {
    if (counting) statements.push(sql);
    return run();
  });
  wrapQueryRunners(ds, (runner) => {
    const query = runner.query.bind(runner);
    runner.query = ((sql: string, ...rest: unknown[]) => {
      if (counting) statements.push(sql);
      return (query as (...a: unknown[]) => unknown)(sql, ...rest);
    }) as QueryRunner['query'];
  });
  return {
    async during<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
      statements.length = 0;
      counting = true;
      try {
        const result = await fn();
        return { result, statements: [...statements] };
      } finally {
        counting = false;
      }
    },
  };
}
