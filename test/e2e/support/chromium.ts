import fs from 'node:fs';
import net from 'node:net';

/** Debian's Chromium, driven by playwright-core in the console's browser tests (no browser downloads). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, and nothing that would reach the internet. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Whether the browser tests can run here; when not, says so once and they are skipped. */
export function haveChromium(what: string): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  console.warn(`${what} SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  return false;
}

/** A port free now (the identity provider must know the console's redirect URI before the server starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
