import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookDestinations, urlForDisplay } from './webhook-destination';

describe('WebhookDestinations', () => {
  it('tells public addresses from the rest, IPv4-mapped IPv6 included', () => {
    const d = new WebhookDestinations();
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) expect(d.allowsAddress(ip)).toBe(true);
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '::1',
      '::',
      '::ffff:10.0.0.1',
      'fd12::1',
      'fe80::1',
      'ff02::1',
    ]) {
      expect([ip, d.allowsAddress(ip)]).toEqual([ip, false]);
    }
  });

  it('lets allow-listed names, addresses and ranges through', async () => {
    const d = new WebhookDestinations(['hooks.internal', '127.0.0.1', '10.20.0.0/16', '[fd00::7]']);
    expect(d.allowsAddress('127.0.0.1')).toBe(true);
    expect(d.allowsAddress('10.20.3.4')).toBe(true);
    expect(d.allowsAddress('10.21.0.1')).toBe(false);
    expect(d.allowsAddress('fd00::7')).toBe(true);
    await expect(d.checkUrl('url', 'http://hooks.internal/x')).resolves.toBe('http://hooks.internal/x');
    await expect(d.checkUrl('url', 'http://2130706433:9/x')).resolves.toBe('http://127.0.0.1:9/x');
  });

  it('refuses at connect time a name that resolves to a non-public address (the lookup node:http uses)', async () => {
    const lookup = (d: WebhookDestinations, name: string) =>
      new Promise<string>((resolve) => d.lookup(name, { family: 4 }, (err, address) => resolve(err ? (err as NodeJS.ErrnoException).code! : String(address))));
    expect(await lookup(new WebhookDestinations(), 'localhost')).toBe('EDESTINATION');
    expect(await lookup(new WebhookDestinations(['localhost']), 'localhost')).toBe('127.0.0.1');
  });

  it('connects nowhere when node:http is given a refused name', async () => {
    let reached = 0;
    const server = http.createServer((_req, res) => {
      reached++;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    const d = new WebhookDestinations();
    const code = await new Promise<string>((resolve) => {
      const req = http.request(`http://localhost:${port}/`, { lookup: d.lookup, agent: false, family: 4 }, () => resolve('connected'));
      req.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? 'error'));
      req.end();
    });
    server.close();
    expect(code).toBe('EDESTINATION');
    expect(reached).toBe(0);
  });

  it('shows URLs without their credentials', () => {
    expect(urlForDisplay('https://user:pw@erp.example.com/h?q=1')).toBe('https://erp.example.com/h?q=1');
    expect(urlForDisplay('https://erp.example.com/h')).toBe('https://erp.example.com/h');
  });
});
