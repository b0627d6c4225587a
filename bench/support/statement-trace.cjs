/**
 * Traces every SQL statement a Node process sends, for comparing a same-SQL ceiling with the
 * service (their text drifts when the service's statements change): preload it in both and
 * diff their transactions.
 *
 *   STATEMENT_TRACE_DIR=/tmp/trace NODE_OPTIONS="--require $PWD/bench/support/statement-trace.cjs" \
 *     node dist/bench/write-path.bench.js --quick --paths complete --workers 1 --no-stages --subjects 64 --connections 1
 *
 * One file per process (`<pid>.log`: its command line, then `KIND@connection<TAB>sql` per
 * statement — QUERY is mysql2's text protocol, EXEC a prepared statement, SQLITE a
 * better-sqlite3 run/all/get). Parameters are left out. Never loaded by the service itself.
 */
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.STATEMENT_TRACE_DIR;
if (dir) {
  const modules = path.join(__dirname, '..', '..', 'node_modules');
  const out = path.join(dir, `${process.pid}.log`);
  const log = (kind, sql) => fs.appendFileSync(out, `${kind}\t${String(sql).replace(/\s+/g, ' ')}\n`);
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(out, `ARGV\t${process.argv.slice(1).join(' ')}\n`);
  const Connection = require(path.join(modules, 'mysql2', 'lib', 'base', 'connection.js'));
  for (const method of ['query', 'execute']) {
    const original = Connection.prototype[method];
    Connection.prototype[method] = function (sql, values, cb) {
      log(`${method === 'execute' ? 'EXEC' : 'QUERY'}@${this.threadId}`, typeof sql === 'string' ? sql : sql && sql.sql);
      return original.call(this, sql, values, cb);
    };
  }
  const Database = require(path.join(modules, 'better-sqlite3'));
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (sql) {
    const statement = prepare.call(this, sql);
    for (const method of ['run', 'all', 'get']) {
      const original = statement[method].bind(statement);
      statement[method] = (...args) => {
        log('SQLITE', sql);
        return original(...args);
      };
    }
    return statement;
  };
}
