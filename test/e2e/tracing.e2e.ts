import os from 'node:os';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../../src/common/logger';
import { Harness, REPORT, ref, startHarness } from './support/harness';
import { letOtlpExporterRunInJest, OtlpReceiver, ReceivedSpan } from './support/otlp-receiver';
import { refundKit, REQUEST } from './support/refunds';
import { version as serviceVersion } from '../../package.json';

letOtlpExporterRunInJest();

const PHONE = '13912345678';
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;
const DB_SYSTEM = process.env.TEST_DATABASE_URL?.startsWith('mariadb:') ? 'mariadb' : process.env.TEST_DATABASE_URL?.startsWith('mysql:') ? 'mysql' : 'sqlite';

/** Whether `span` lies under `ancestor` in `spans` (its trace). */
function under(span: ReceivedSpan, ancestor: ReceivedSpan, spans: ReceivedSpan[]): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let p = span.parentSpanId; p; p = byId.get(p)?.parentSpanId) if (p === ancestor.spanId) return true;
  return false;
}

describe('tracing over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  let h: Harness;
  let receiver: OtlpReceiver;
  const lines: string[] = [];
  const flush = () => h.app.tracing!.forceFlush();

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    h = await startHarness({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'triage-e2e' },
      log: createLogger('debug', sink, { traceIds: true }),
    });
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  /** POST /graphql (as the ERP integration unless `key` says otherwise); the response, with its x-request-id. */
  const post = (body: unknown, { key = h.keys.ERP, headers = {} }: { key?: string; headers?: Record<string, string> } = {}) =>
    request(h.app.server)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${key}`)
      .set(headers)
      .send(body as object);

  it('traces one reportIncident: server span → operation → rules.decide and the database statements, under the request id', async () => {
    const input = { source: 'erp', externalRef: ref('TRACE'), category: 'ONSITE_EMERGENCY', subtype: 'FIRE', customer: { id: 'C-TRACE', phone: PHONE } };
    const res = await post({ query: REPORT, variables: { input } });
    expect(res.body.errors).toBeUndefined();
    const requestId = res.headers['x-request-id'];
    expect(requestId).toBeTruthy();

    const server = await receiver.waitFor((s) => s.kind === SERVER && s.attributes['triage.request_id'] === requestId, flush);
    const spans = receiver.trace(server.traceId);
    expect(server).toMatchObject({
      name: 'POST /graphql',
      attributes: { 'http.request.method': 'POST', 'http.route': '/graphql', 'http.response.status_code': 200 },
    });
    expect(server.parentSpanId).toBeUndefined();

    const operation = spans.find((s) => s.name === 'graphql.mutation Report')!;
    expect(operation).toBeDefined();
    expect(operation.parentSpanId).toBe(server.spanId);
    expect(operation.attributes).toMatchObject({
      'graphql.operation.type': 'mutation',
      'graphql.operation.name': 'Report',
      'triage.request_id': requestId,
      'triage.outcome': 'OK',
    });
    expect(operation.status.code).not.toBe(ERROR);

    const decide = spans.find((s) => s.name === 'rules.decide')!;
    expect(decide.parentSpanId).toBe(operation.spanId);
    expect(decide.attributes).toMatchObject({
      'triage.rules.version': h.app.services.ruleSets.current().version,
      'triage.severity': 'CRITICAL',
      'triage.category': 'ONSITE_EMERGENCY',
    });
    expect(decide.attributes['triage.rules.fired']).toBeGreaterThan(0);

    // The report's transaction, its statements in order of the spans' names, all under the operation.
    const db = spans.filter((s) => s.kind === CLIENT);
    for (const s of db) expect(s.attributes['db.system']).toBe(DB_SYSTEM);
    const inOperation = db.filter((s) => under(s, operation, spans));
    const statements = inOperation.map((s) => String(s.attributes['db.statement']));
    expect(statements.some((t) => /^INSERT INTO .incidents. /.test(t))).toBe(true);
    expect(statements.some((t) => /^INSERT INTO .incident_actions. /.test(t))).toBe(true);
    expect(statements.some((t) => /^INSERT INTO .incident_events. /.test(t))).toBe(true);
    expect(inOperation.map((s) => s.name)).toEqual(
      expect.arrayContaining([DB_SYSTEM === 'sqlite' ? 'BEGIN TRANSACTION' : 'START TRANSACTION', 'COMMIT', 'INSERT']),
    );
    // The API key lookup ran before the operation, in the request's server span.
    expect(db.some((s) => s.parentSpanId === server.spanId && /api_keys/.test(String(s.attributes['db.statement'])))).toBe(true);

    // Never a customer's phone, in any span of any trace.
    for (const s of receiver.spans) expect(String(s.attributes['db.statement'] ?? '')).not.toContain(PHONE);
    expect(receiver.bodies.join('')).not.toContain(PHONE);

    expect(server.resource).toMatchObject({
      'service.name': 'triage-e2e',
      'service.version': serviceVersion,
      'service.instance.id': `${os.hostname()}:${process.pid}`,
    });

    // The request's log line carries its request id and its trace.
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.requestId === requestId);
    expect(logged).toMatchObject({ trace_id: server.traceId });
  });

  it("marks a failed operation as an error with its code and no message, and continues a caller's trace", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const res = await post(
      { query: REPORT, variables: { input: { source: 'erp', externalRef: ref(), category: 'NOPE', customer: { phone: PHONE } } } },
      { headers: { traceparent: `00-${traceId}-${callerSpan}-01` } },
    );
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');

    const server = await receiver.waitFor((s) => s.kind === SERVER && s.traceId === traceId, flush);
    expect(server.parentSpanId).toBe(callerSpan);
    const operation = receiver.trace(traceId).find((s) => s.name === 'graphql.mutation Report')!;
    expect(operation.status).toEqual({ code: ERROR, message: 'BAD_USER_INPUT' });
    expect(operation.attributes['triage.outcome']).toBe('BAD_USER_INPUT');
    expect(receiver.bodies.join('')).not.toContain(PHONE);
  });

  it('marks a failed statement with its driver code only: database messages quote values', async () => {
    const externalRef = ref('DUP');
    const input = { source: 'erp', externalRef, category: 'SERVICE', customer: { phone: PHONE } };
    await post({ query: REPORT, variables: { input } });
    const res = await post({ query: REPORT, variables: { input: { ...input, category: 'OVERCHARGE' } } });
    expect(res.body.errors[0].extensions.code).toBe('CONFLICT');
    const server = await receiver.waitFor((s) => s.kind === SERVER && s.attributes['triage.request_id'] === res.headers['x-request-id'], flush);
    const failed = receiver.trace(server.traceId).filter((s) => s.status.code === ERROR);
    const insert = failed.find((s) => /^INSERT INTO .incidents. /.test(String(s.attributes['db.statement'])))!;
    expect(insert.attributes['error.type']).toBe(DB_SYSTEM === 'sqlite' ? 'SQLITE_CONSTRAINT_UNIQUE' : 'ER_DUP_ENTRY');
    expect(insert.status.message).toBe(insert.attributes['error.type']);
    expect(receiver.bodies.join('')).not.toContain(externalRef);
  });

  it("traces a refund request's approval chain as a rule evaluation of its operation", async () => {
    const incidentId = await refundKit(h).incident({ category: 'OVERCHARGE', amount: '300.00', customer: { id: 'C-TR', phone: PHONE } });
    const res = await post({ query: REQUEST, variables: { input: { incidentId, amount: '100.00', method: 'ORIGINAL_PAYMENT' } } }, { key: h.keys.AGENT });
    expect(res.body.errors).toBeUndefined();
    const server = await receiver.waitFor((s) => s.kind === SERVER && s.attributes['triage.request_id'] === res.headers['x-request-id'], flush);
    const spans = receiver.trace(server.traceId);
    const operation = spans.find((s) => s.name === 'graphql.mutation anonymous')!;
    const chain = spans.find((s) => s.name === 'rules.refund_chain')!;
    expect(chain.parentSpanId).toBe(operation.spanId);
    expect(chain.attributes).toMatchObject({
      'triage.rules.version': h.app.services.ruleSets.current().version,
      'triage.category': 'OVERCHARGE',
      'triage.refund.steps': res.body.data.requestRefund.chain.length,
    });
    expect(receiver.bodies.join('')).not.toContain(PHONE);
  });

  it('gives each operation of a batch its own span, with its own rule evaluation under it', async () => {
    const report = () => ({ query: REPORT, variables: { input: { source: 'erp', externalRef: ref('BATCH'), category: 'ONSITE_EMERGENCY', subtype: 'FIRE' } } });
    const res = await post([report(), report()]);
    expect(res.body).toHaveLength(2);
    const server = await receiver.waitFor((s) => s.kind === SERVER && s.attributes['triage.request_id'] === res.headers['x-request-id'], flush);
    const spans = receiver.trace(server.traceId);
    const operations = spans.filter((s) => s.name === 'graphql.mutation Report');
    expect(operations).toHaveLength(2);
    for (const operation of operations) {
      expect(operation.parentSpanId).toBe(server.spanId);
      expect(spans.filter((s) => s.name === 'rules.decide' && s.parentSpanId === operation.spanId)).toHaveLength(1);
      expect(spans.some((s) => /^INSERT INTO .incidents. /.test(String(s.attributes['db.statement'])) && under(s, operation, spans))).toBe(true);
    }
  });
});

describe('tracing off (OTEL_SDK_DISABLED=true, or no endpoint)', () => {
  let h: Harness;
  let receiver: OtlpReceiver;
  const lines: string[] = [];

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    h = await startHarness({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SDK_DISABLED: 'true' }, log: createLogger('debug', sink) });
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  it('installs nothing and exports nothing', async () => {
    expect(h.app.services.config.tracing).toBeNull();
    expect(h.app.tracing).toBeNull();
    // Nothing wrapped: the driver and its query runners are as TypeORM made them; no span handler on the bus (the metrics' only).
    const driver = h.app.services.ds.driver;
    expect(Object.prototype.hasOwnProperty.call(driver, 'createQueryRunner')).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(h.app.services.ds.createQueryRunner(), 'query')).toBe(false);
    expect(h.app.services.events.handlerCount('decisionEvaluated')).toBe(1);
    expect(h.app.services.events.handlerCount('refundChainEvaluated')).toBe(0);

    const res = await h.gql(h.keys.ERP, REPORT, {
      input: { source: 'erp', externalRef: ref(), category: 'ONSITE_EMERGENCY', subtype: 'FIRE', customer: { phone: PHONE } },
    });
    expect(res.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.bodies).toEqual([]);
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(logged.length).toBeGreaterThan(0);
    for (const l of logged) expect(l.trace_id).toBeUndefined();
  });
});
