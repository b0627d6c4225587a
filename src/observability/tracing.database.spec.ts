import { operationOf, STATEMENT_LIMIT, statementText } from './tracing.database';

describe('what a database span records of a statement', () => {
  it('names it by its first keyword(s)', () => {
    expect(operationOf('  select 1')).toBe('SELECT');
    expect(operationOf('START TRANSACTION')).toBe('START TRANSACTION');
    expect(operationOf('RELEASE SAVEPOINT typeorm_1')).toBe('RELEASE SAVEPOINT');
    expect(operationOf('')).toBe('QUERY');
  });

  it('masks quoted literals and cuts long statements', () => {
    expect(statementText("SELECT * FROM incidents WHERE customer_phone = '13912345678' AND status = 'OPEN' AND id = ?")).toBe(
      "SELECT * FROM incidents WHERE customer_phone = '?' AND status = '?' AND id = ?",
    );
    expect(statementText("SELECT 'it\\'s' AS x")).toBe("SELECT '?' AS x");
    const long = `INSERT INTO t (a) VALUES ${Array(500).fill('(?)').join(', ')}`;
    expect(statementText(long)).toHaveLength(STATEMENT_LIMIT);
    expect(statementText(long).endsWith('…')).toBe(true);
  });
});
