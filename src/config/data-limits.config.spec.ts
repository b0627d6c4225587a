import path from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('data limits configuration', () => {
  it('has bounded defaults, and drafts only under ./rules-drafts', () => {
    const c = loadConfig({});
    expect(c.databaseLimits).toEqual({ lockWaitTimeoutMs: 5000, statementTimeoutMs: 60000, acquireTimeoutMs: 5000 });
    expect(c.jsonInput).toEqual({ maxDepth: 16, maxBytes: 65536 });
    expect(c.webhookAllowedHosts).toEqual([]);
    expect(c.rulesDraftsDir).toBe(path.resolve('./rules-drafts'));
  });

  it('reads them from the environment', () => {
    const c = loadConfig({
      DB_LOCK_WAIT_TIMEOUT_MS: '2000',
      DB_STATEMENT_TIMEOUT_MS: '0',
      DB_ACQUIRE_TIMEOUT_MS: '250',
      JSON_MAX_DEPTH: '8',
      JSON_MAX_BYTES: '1024',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1, Hooks.Internal ,10.0.0.0/8',
      RULES_DRAFTS_DIR: '/srv/drafts',
    });
    expect(c.databaseLimits).toEqual({ lockWaitTimeoutMs: 2000, statementTimeoutMs: 0, acquireTimeoutMs: 250 });
    expect(c.jsonInput).toEqual({ maxDepth: 8, maxBytes: 1024 });
    expect(c.webhookAllowedHosts).toEqual(['127.0.0.1', 'hooks.internal', '10.0.0.0/8']);
    expect(c.rulesDraftsDir).toBe('/srv/drafts');
  });

  it('refuses bad values, one line each', () => {
    try {
      loadConfig({ DB_LOCK_WAIT_TIMEOUT_MS: '0', DB_ACQUIRE_TIMEOUT_MS: 'soon', JSON_MAX_DEPTH: '-1', WEBHOOK_ALLOWED_HOSTS: 'http://x/' });
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems.map((p) => p.split(/[= ]/)[0]).sort()).toEqual([
        'DB_ACQUIRE_TIMEOUT_MS',
        'DB_LOCK_WAIT_TIMEOUT_MS',
        'JSON_MAX_DEPTH',
        'WEBHOOK_ALLOWED_HOSTS',
      ]);
    }
  });
});
