import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { badInput } from '../errors';
import { shorten, validText } from '../validation/input-rules';

/**
 * Where webhooks may go. By default only to public https addresses: a URL that names (or
 * resolves to) loopback, a private network or a link-local address would let whoever holds an API
 * key make the gateway call into the operator's own network. The check runs when the endpoint is
 * saved and again on every connection (DNS may answer differently later).
 */

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 can reach IPv4 private space
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is on the public internet (an IPv4-mapped IPv6 address is judged as the IPv4 one). */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  const family = isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type Resolve = (hostname: string) => Promise<string[]>;

const resolveAll: Resolve = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses: LookupAddress[]) => (error ? reject(error) : resolve(addresses.map((entry) => entry.address))));
  });

/** The URL's host without IPv6 brackets, as DNS and isIP want it. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * An endpoint URL as saved: absolute https (http too when local endpoints are allowed), no
 * credentials in it, and (unless allowed) a host that resolves only to public addresses.
 */
export async function validEndpointUrl(value: unknown, options: { allowLocal: boolean; resolve?: Resolve }): Promise<string> {
  const text = validText('url', value, 2048);
  const url = URL.canParse(text) ? new URL(text) : null;
  const schemes = options.allowLocal ? ['https:', 'http:'] : ['https:'];
  if (!url || !schemes.includes(url.protocol)) {
    throw badInput(
      `url must be an absolute https URL such as https://app.example.com/webhooks/xkit${options.allowLocal ? ' (or http://, which XKIT_WEBHOOK_ALLOW_LOCAL allows)' : ''}`,
      { field: 'url' },
    );
  }
  if (url.username || url.password) throw badInput('url must not carry a user name or password; authenticate deliveries by their signature instead', { field: 'url' });
  url.hash = '';
  if (!options.allowLocal) await requirePublicHost(url, options.resolve ?? resolveAll);
  return url.toString();
}

async function requirePublicHost(url: URL, resolve: Resolve): Promise<void> {
  const host = hostOf(url);
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    throw badInput(`The host of url (${shorten(host)}) does not resolve in DNS; check the name`, { field: 'url' });
  }
  const internal = addresses.find((address) => !isPublicAddress(address));
  if (internal !== undefined || addresses.length === 0) {
    throw badInput(
      `url points to ${internal ?? 'no address'}, which is not a public internet address (loopback, private or link-local); webhooks go to public https endpoints only. For local development set XKIT_WEBHOOK_ALLOW_LOCAL=true`,
      { field: 'url' },
    );
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for outgoing webhook connections that refuses non-public addresses, so a name that
 * resolved to a public address when the endpoint was saved cannot be re-pointed at the internal
 * network later (DNS rebinding). Node asks with `all: true` when it races IPv4 and IPv6.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => {
    if (error) return callback(error, options.all ? [] : '');
    const internal = addresses.find((entry) => !isPublicAddress(entry.address));
    if (internal || addresses.length === 0) {
      const refused = Object.assign(new Error(`${hostname} resolves to ${internal?.address ?? 'no address'}, not a public address; the delivery was not sent`), { code: 'EXKIT_NOT_PUBLIC' });
      return callback(refused, options.all ? [] : '');
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}
