import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../../src/common/logger';
import { Harness, REPORT, ref, startHarness } from './support/harness';

/** A harness on the service's own logger (redaction included), its lines kept in `lines`. */
async function withLogs(level: 'trace' | 'info', lines: string[]): Promise<Harness> {
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return startHarness({ log: createLogger(level, sink) });
}

describe('logs never carry API keys', () => {
  let h: Harness;
  const lines: string[] = [];

  beforeAll(async () => {
    h = await withLogs('trace', lines); // the chattiest level
  });
  afterAll(async () => h.close());

  it('logs requests, errors and revocations without any key', async () => {
    await h.gql(h.keys.ERP, REPORT, { input: { source: 'erp', externalRef: ref(), category: 'ONSITE_EMERGENCY', subtype: 'FIRE' } });
    await h.gql(h.keys.AGENT, REPORT, { input: { source: 'erp', externalRef: ref(), category: 'NOPE' } });
    await h.gql('trg_this-key-does-not-exist-0123456789', `{ catalog { actions } }`);
    await h.gql(h.keys.ANALYST, `mutation { reloadRules { version } }`);
    expect(lines.length).toBeGreaterThan(0);
    const text = lines.join('');
    for (const key of [...Object.values(h.keys), 'trg_this-key-does-not-exist-0123456789']) expect(text).not.toContain(key);
    expect(text).not.toMatch(/trg_[A-Za-z0-9_-]{20,}/);
  });
});

describe('the rule pack as it loads', () => {
  let h: Harness;
  const lines: string[] = [];

  beforeAll(async () => {
    h = await withLogs('info', lines);
  });
  afterAll(async () => h.close());

  it('logs its threshold band warnings (gaps, overlaps) at startup, as `triage rules validate` prints them', () => {
    const warned = lines.map((l) => JSON.parse(l)).find((l) => /threshold band warning/.test(l.msg));
    expect(warned).toBeDefined();
    expect(warned.level).toBe(40); // pino's warn
    expect(warned.warnings).toContainEqual(expect.stringMatching(/^policy\/severity\.json:\/rules\/\d+: overlap: for PROPERTY_LOSS/));
  });
});

describe('an unexpected error', () => {
  let h: Harness;
  const lines: string[] = [];

  beforeAll(async () => {
    h = await withLogs('info', lines);
  });
  afterAll(async () => h.close());

  it('answers INTERNAL_SERVER_ERROR without details, and is logged with its stack under the request id', async () => {
    // A table gone from under the service: a failure no input explains.
    await h.app.services.ds.query('DROP TABLE rule_shadow_divergences');
    const res = await request(h.app.server)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${h.keys.ADMIN}`)
      .set('x-request-id', 'req-unexpected-1')
      .send({ query: '{ shadowDivergences { totalCount } }' });
    expect(res.body.errors[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(res.body)).not.toMatch(/rule_shadow_divergences|stack/);
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unexpected error');
    expect(logged).toMatchObject({ level: 50, requestId: 'req-unexpected-1', actor: 'test-admin' });
    expect(logged.err.stack).toMatch(/rule_shadow_divergences/);
  });
});
