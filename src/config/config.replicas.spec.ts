import { ConfigError, loadConfig, parseReplicaUrls } from './config';

const PRIMARY = 'mariadb://root@127.0.0.1:3306/triage';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('DATABASE_REPLICA_URLS', () => {
  it('is empty by default: every read on the primary', () => {
    expect(loadConfig({ DATABASE_URL: PRIMARY }).databaseReplicas).toEqual([]);
    expect(loadConfig({ DATABASE_URL: PRIMARY, DATABASE_REPLICA_URLS: ' ' }).databaseReplicas).toEqual([]);
    expect(loadConfig({}).databaseReplicas).toEqual([]);
  });

  it('reads comma-separated mysql:// and mariadb:// URLs, each with its own pool size', () => {
    const replicas = loadConfig({
      DATABASE_URL: PRIMARY,
      DATABASE_REPLICA_URLS: 'mysql://reader:s%40cret@10.0.0.2:3307/triage?pool=4, mariadb://root@replica-2/triage,',
    }).databaseReplicas;
    expect(replicas).toEqual([
      { kind: 'mysql', flavor: 'mysql', host: '10.0.0.2', port: 3307, user: 'reader', password: 's@cret', database: 'triage', poolSize: 4 },
      { kind: 'mysql', flavor: 'mariadb', host: 'replica-2', port: 3306, user: 'root', password: '', database: 'triage', poolSize: 10 },
    ]);
  });

  it('refuses replicas of an SQLite database', () => {
    const p = problems({ DATABASE_URL: 'sqlite::memory:', DATABASE_REPLICA_URLS: 'mysql://root@127.0.0.1/triage' });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^DATABASE_REPLICA_URLS /);
    expect(p[0]).toContain('SQLite');
  });

  it('names every bad entry on its own line, passwords masked', () => {
    const p = problems({
      DATABASE_URL: PRIMARY,
      DATABASE_REPLICA_URLS: 'mysql://u:topsecret@h/triage,sqlite:./x.sqlite,postgres://h/db,mysql://h/,not a url,mysql://h/db?pool=0',
    });
    expect(p).toHaveLength(5);
    for (const [i, line] of p.entries()) expect(line).toMatch(new RegExp(`^DATABASE_REPLICA_URLS entry ${i + 2} `));
    expect(p.join('\n')).not.toContain('topsecret');
  });

  it('is not checked against a DATABASE_URL that is itself bad (one problem, not two)', () => {
    expect(problems({ DATABASE_URL: 'postgres://h/db', DATABASE_REPLICA_URLS: 'mysql://h/db' })).toHaveLength(1);
  });

  it('parses without the environment too', () => {
    expect(parseReplicaUrls(undefined, { kind: 'sqlite', file: ':memory:' })).toEqual([]);
    expect(() => parseReplicaUrls('mysql://h/db', { kind: 'sqlite', file: ':memory:' })).toThrow(/SQLite/);
  });
});
