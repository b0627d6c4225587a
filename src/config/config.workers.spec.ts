import { ConfigError, loadConfig } from './config';

describe('WORKERS', () => {
  it('defaults to one process', () => {
    expect(loadConfig({ DATABASE_URL: 'mariadb://root@127.0.0.1:3306/x' }).workers).toBe(1);
  });

  it('forks several on MySQL/MariaDB', () => {
    expect(loadConfig({ DATABASE_URL: 'mariadb://root@127.0.0.1:3306/x', WORKERS: '2' }).workers).toBe(2);
  });

  it('refuses several on SQLite (one writer) and nonsense counts', () => {
    for (const env of [
      { DATABASE_URL: 'sqlite::memory:', WORKERS: '2' },
      { DATABASE_URL: 'mariadb://root@127.0.0.1:3306/x', WORKERS: '0' },
      { WORKERS: 'two' },
    ]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
    }
  });
});
