import dns from 'node:dns';
import net, { BlockList } from 'node:net';
import { badInput } from '../common/errors';

/**
 * Where webhooks may go. By default only public destinations: a subscription must not turn the
 * service into a proxy into its own network (loopback, private ranges, link-local and the cloud
 * metadata service at 169.254.169.254, …). Checked twice:
 *
 * - at registration, on the URL (IP literals in every form the URL parser accepts — decimal
 *   `2130706433`, hex `0x7f000001`, octal — come out as dotted quads) and on what its host
 *   name resolves to then;
 * - at connect time, on the address the connection really goes to (the `lookup` handed to
 *   node:http), so a name that resolves elsewhere later (DNS rebinding) is refused too.
 *
 * WEBHOOK_ALLOWED_HOSTS lets chosen internal receivers through: exact host names, IP
 * addresses, or CIDR ranges.
 */
export class WebhookDestinations {
  private readonly names = new Set<string>();
  private readonly addresses = new BlockList();

  constructor(allowed: readonly string[] = []) {
    for (const entry of allowed) {
      const [ip, bits] = entry.replace(/^\[|\]$/g, '').split('/');
      const family = net.isIP(ip);
      if (!family) this.names.add(entry);
      else if (bits === undefined) this.addresses.addAddress(ip, family === 4 ? 'ipv4' : 'ipv6');
      else this.addresses.addSubnet(ip, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    }
  }

  /** True when a connection to `ip` may be made: public, or allow-listed. */
  allowsAddress(ip: string): boolean {
    const family = net.isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    return this.addresses.check(ip, family) || !NON_PUBLIC.check(ip, family);
  }

  /** True when the host name itself is allow-listed (then any address it resolves to is). */
  allowsName(host: string): boolean {
    return this.names.has(host.toLowerCase());
  }

  /**
   * The URL as stored, or BAD_USER_INPUT on `field`: http(s), no credentials, no fragment, and a
   * destination that is public (or allow-listed) by name, by literal address and by what the
   * name resolves to now. A name that does not resolve yet is taken: the connect-time check
   * stands guard. Messages never repeat the URL (it could hold a password).
   */
  async checkUrl(field: string, url: unknown): Promise<string> {
    if (typeof url !== 'string' || !url.trim()) throw badInput(field, 'is required: an http(s) URL');
    if (url.length > MAX_URL) throw badInput(field, `at most ${MAX_URL} characters`);
    let parsed: URL;
    try {
      parsed = new URL(url.trim());
    } catch {
      throw badInput(field, 'is not a URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw badInput(field, `must be http or https, not ${parsed.protocol.replace(':', '')}`);
    if (parsed.username || parsed.password) throw badInput(field, 'must not hold credentials (user:password@): receivers verify the signature instead');
    if (parsed.hash) throw badInput(field, 'must not have a #fragment');
    const host = hostOf(parsed);
    if (!this.allowsName(host)) {
      if (net.isIP(host)) {
        if (!this.allowsAddress(host)) throw refused(field);
      } else {
        if (INTERNAL_NAMES.some((re) => re.test(host))) throw refused(field);
        const resolved = await resolveAll(host);
        if (resolved.some((a) => !this.allowsAddress(a))) throw refused(field);
      }
    }
    return parsed.toString();
  }

  /**
   * A `lookup` for node:http that resolves as usual and refuses (code EDESTINATION) a name
   * resolving to an address not allowed. IP literals never reach a lookup: `assertConnectable`
   * checks them.
   */
  readonly lookup: net.LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as dns.LookupAddress[];
      if (!this.allowsName(hostname) && list.some((a) => !this.allowsAddress(a.address))) return callback(destinationError(), '', 4);
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };

  /** Throws EDESTINATION when the URL's host is an address (or a name) that may not be connected to. */
  assertConnectable(url: URL): void {
    const host = hostOf(url);
    if (this.allowsName(host)) return;
    if (net.isIP(host) ? !this.allowsAddress(host) : INTERNAL_NAMES.some((re) => re.test(host))) throw destinationError();
  }
}

/** A URL for display: the same without user and password. */
export function urlForDisplay(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

const MAX_URL = 2048;

/** Names that stand for the machine itself or a cloud metadata service, whatever they resolve to here. */
const INTERNAL_NAMES = [
  /^localhost\.?$/,
  /\.localhost\.?$/,
  /^metadata\.google\.internal\.?$/,
  /^metadata\.goog\.?$/,
  /^metadata\.?$/,
  /\.internal\.?$/,
  /^instance-data(\..*)?$/,
];

/** Special-purpose ranges (IANA registries): loopback, private, shared, link-local, documentation, multicast, reserved. */
const NON_PUBLIC = new BlockList();
for (const [ip, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NON_PUBLIC.addSubnet(ip, bits, 'ipv4');
for (const [ip, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  NON_PUBLIC.addSubnet(ip, bits, 'ipv6');

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

function refused(field: string) {
  return badInput(
    field,
    'must be a public destination: loopback, private, link-local and metadata addresses are refused (WEBHOOK_ALLOWED_HOSTS lets chosen internal receivers through)',
  );
}

function destinationError(): Error {
  return Object.assign(new Error('the destination is not a public address (WEBHOOK_ALLOWED_HOSTS)'), { code: 'EDESTINATION' });
}

/** What `host` resolves to now; nothing when it does not (yet), or not within 2 s. */
async function resolveAll(host: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const late = new Promise<dns.LookupAddress[]>((resolve) => {
      timer = setTimeout(() => resolve([]), 2000);
    });
    return (await Promise.race([dns.promises.lookup(host, { all: true }), late])).map((a) => a.address);
  } catch {
    return [];
  } finally {
    clearTimeout(timer);
  }
}
