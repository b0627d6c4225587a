import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '../../../src/webhooks/webhook-signature';

/**
 * What the receiver does with each request, in order; after the script it accepts.
 * - fail: answers 500;
 * - hang: never answers (the sender's timeout ends it);
 * - slow: takes the message (it counts as processed) but answers only after `slowMs`;
 * - ok: answers 204.
 */
export type Behaviour = 'fail' | 'hang' | 'slow' | 'ok';

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  behaviour: Behaviour;
  /** A webhook-id this receiver had already processed (at-least-once delivery). */
  duplicate: boolean;
}

/**
 * A real integrator's endpoint on 127.0.0.1 (port 0), as the Standard Webhooks spec tells a
 * receiver to behave: verify the signature, dedupe by webhook-id, then process.
 */
export class WebhookReceiver {
  readonly requests: Received[] = [];
  /** Events processed, each once, in the order they were first processed. */
  readonly processed: Array<{ id: string; type: string; data: Record<string, any> }> = [];
  private readonly seen = new Set<string>();
  private readonly open = new Set<http.ServerResponse>();
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly script: Behaviour[],
    private readonly slowMs: number,
  ) {}

  static async start(script: Behaviour[] = [], slowMs = 2_000): Promise<WebhookReceiver> {
    let self: WebhookReceiver | null = null;
    const server = http.createServer((req, res) => self!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    self = new WebhookReceiver(server, `http://127.0.0.1:${port}/hooks/triage`, [...script], slowMs);
    return self;
  }

  /** Every request's signature checks out with one of these secrets. */
  allSigned(secrets: string[]): boolean {
    return this.requests.every((r) => secrets.some((s) => verify(s, r.id, r.timestamp, r.body, r.signature)));
  }

  /** Resolves once `n` requests have arrived. */
  async requestsReach(n: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < n) {
      if (Date.now() > deadline) throw new Error(`only ${this.requests.length} of ${n} webhook requests arrived`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  async close(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const behaviour = this.script.shift() ?? 'ok';
      const r: Received = {
        id: String(req.headers['webhook-id']),
        timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']),
        body: Buffer.concat(chunks).toString('utf8'),
        behaviour,
        duplicate: this.seen.has(String(req.headers['webhook-id'])),
      };
      this.requests.push(r);
      for (const w of this.waiters.splice(0)) w();
      if (behaviour === 'fail') return void res.writeHead(500).end('not now');
      if (behaviour === 'hang') return void this.open.add(res);
      this.process(r);
      if (behaviour === 'slow') {
        this.open.add(res);
        const timer = setTimeout(() => res.writeHead(204).end(), this.slowMs);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      res.writeHead(204).end();
    });
  }

  private process(r: Received): void {
    if (this.seen.has(r.id)) return; // dedupe by webhook-id
    this.seen.add(r.id);
    const body = JSON.parse(r.body) as { type: string; data: Record<string, any> };
    this.processed.push({ id: r.id, type: body.type, data: body.data });
  }
}
