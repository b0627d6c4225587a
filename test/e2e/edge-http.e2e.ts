import net from 'node:net';
import { Harness, startHarness } from './support/harness';

/** Every raw connection a test opened: destroyed after it, whatever it asserted. */
const sockets: net.Socket[] = [];

/** A raw connection to the service; `closed` resolves with the milliseconds it stayed open and what the server sent. */
function connect(url: string) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  sockets.push(socket);
  const opened = Date.now();
  let received = '';
  socket.on('data', (d) => (received += d.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<{ ms: number; received: string }>((resolve) => socket.on('close', () => resolve({ ms: Date.now() - opened, received })));
  const connected = new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  return { socket, closed, connected };
}

/** Resolves with the close, or with null once `ms` have passed with the connection still open. */
function within<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The HTTP server's own limits: slow clients and idle connections are let go, connections are capped. */
describe('HTTP timeouts and connection cap', () => {
  let h: Harness;
  const timers: NodeJS.Timeout[] = [];
  beforeAll(async () => {
    h = await startHarness({
      env: { HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_HEADERS_TIMEOUT_MS: '800', HTTP_KEEP_ALIVE_TIMEOUT_MS: '400', HTTP_MAX_CONNECTIONS: '4' },
    });
  });
  afterEach(() => {
    timers.splice(0).forEach(clearInterval);
    sockets.splice(0).forEach((s) => s.destroy());
  });
  afterAll(async () => h.close());

  it('answers a trickled body with 408 once the request timeout has passed', async () => {
    const c = connect(h.app.url);
    await c.connected;
    c.socket.write(`POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{`);
    timers.push(setInterval(() => c.socket.writable && c.socket.write(' '), 100));
    const end = await within(c.closed, 6000);
    expect(end).not.toBeNull();
    expect(end!.ms).toBeLessThan(4000);
    expect(end!.received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('lets go of a client that trickles its headers once the headers timeout has passed', async () => {
    const c = connect(h.app.url);
    await c.connected;
    c.socket.write('POST /graphql HTTP/1.1\r\nhost: x\r\n');
    let n = 0;
    timers.push(setInterval(() => c.socket.writable && c.socket.write(`x-slow-${n++}: 1\r\n`), 100));
    const end = await within(c.closed, 6000);
    expect(end).not.toBeNull();
    expect(end!.ms).toBeLessThan(3000);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const c = connect(h.app.url);
    await c.connected;
    c.socket.write('GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: keep-alive\r\n\r\n');
    const end = await within(c.closed, 5000);
    expect(end).not.toBeNull();
    expect(end!.received).toMatch(/^HTTP\/1\.1 200/);
    expect(end!.ms).toBeLessThan(2500);
  });

  it('refuses connections past the cap and takes new ones once some close', async () => {
    const open = [connect(h.app.url), connect(h.app.url), connect(h.app.url), connect(h.app.url)];
    await Promise.all(open.map((c) => c.connected));
    await new Promise((r) => setTimeout(r, 50)); // the server has counted them
    const extra = connect(h.app.url);
    extra.socket.write('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n');
    const refused = await within(extra.closed, 3000);
    expect(refused).not.toBeNull();
    expect(refused!.received).toBe('');
    open.forEach((c) => c.socket.destroy());
    await Promise.all(open.map((c) => c.closed));
    await new Promise((r) => setTimeout(r, 50));
    const again = connect(h.app.url);
    again.socket.write('GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    expect((await within(again.closed, 3000))!.received).toMatch(/^HTTP\/1\.1 200/);
  });
});
