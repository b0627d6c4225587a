import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const OTLP_TRANSPORT = path.join(
  __dirname,
  '..',
  '..',
  '..',
  'node_modules',
  '@opentelemetry',
  'otlp-exporter-base',
  'build',
  'src',
  'transport',
  'http-exporter-transport.js',
);

/**
 * Lets the OTLP/HTTP exporter send from inside Jest. It loads node:http with `import('http')`
 * on its first export, which Jest's module sandbox refuses without --experimental-vm-modules
 * (plain Node, as `triage serve` runs, is fine). This hands its transport what that import
 * would have given it, before the exporter is first loaded (the service loads it when it starts
 * tracing); everything else — serialising, headers, the POST itself — stays the exporter's own.
 */
export function letOtlpExporterRunInJest(): void {
  jest.doMock(OTLP_TRANSPORT, () => {
    const actual = jest.requireActual(OTLP_TRANSPORT);
    return {
      ...actual,
      createHttpExporterTransport(parameters: unknown) {
        const transport = actual.createHttpExporterTransport(parameters);
        transport._utils = { agent: new http.Agent({ keepAlive: true }), request: http.request };
        return transport;
      },
    };
  });
}

/** One exported span, as OTLP/HTTP JSON carries it, with its attributes as a plain object. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 1 internal, 2 server, 3 client (OTLP's SpanKind numbers). */
  kind: number;
  attributes: Record<string, unknown>;
  /** 0 unset, 1 ok, 2 error. */
  status: { code?: number; message?: string };
  resource: Record<string, unknown>;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type OtlpAttributes = Array<{ key: string; value: OtlpValue }> | undefined;

/**
 * A stand-in for an OpenTelemetry Collector on 127.0.0.1 (port 0): accepts POST /v1/traces in
 * OTLP/HTTP JSON, as @opentelemetry/exporter-trace-otlp-http sends it, and keeps every span.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Every request body as it arrived, to search for what must never be exported. */
  readonly bodies: string[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<OtlpReceiver> {
    let self: OtlpReceiver | null = null;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v1/traces' || !String(req.headers['content-type']).startsWith('application/json')) {
          res.writeHead(404).end();
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        self!.bodies.push(body);
        self!.take(JSON.parse(body));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    self = new OtlpReceiver(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /** The spans of one trace. */
  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  /** Resolves with the first span `match` accepts, calling `flush` until it has arrived. */
  async waitFor(match: (s: ReceivedSpan) => boolean, flush: () => Promise<void>, timeoutMs = 10_000): Promise<ReceivedSpan> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await flush();
      const found = this.spans.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such span among the ${this.spans.length} received`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private take(request: { resourceSpans?: Array<{ resource?: { attributes?: OtlpAttributes }; scopeSpans?: Array<{ spans?: Array<Record<string, any>> }> }> }) {
    for (const rs of request.resourceSpans ?? []) {
      const resource = plain(rs.resource?.attributes);
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          this.spans.push({
            traceId: s.traceId,
            spanId: s.spanId,
            parentSpanId: s.parentSpanId || undefined,
            name: s.name,
            kind: s.kind,
            attributes: plain(s.attributes),
            status: s.status ?? {},
            resource,
          });
        }
      }
    }
  }
}

function plain(attributes: OtlpAttributes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of attributes ?? []) {
    out[key] = value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.boolValue ?? value.doubleValue;
  }
  return out;
}
