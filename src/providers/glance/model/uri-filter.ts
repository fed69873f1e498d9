import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Glance's import_filtering_opts as the mock reads them (the allowed lists; Glance's disallowed ones are empty by default). */
export interface ImportFilter {
  allowedSchemes: readonly string[];
  allowedHosts: readonly string[];
  allowedPorts: readonly number[];
}

/** Loopback and link-local ranges (cloud metadata endpoints among them): Glance never fetches from them unless allowed by host. */
const NEVER = new BlockList();
NEVER.addSubnet('127.0.0.0', 8, 'ipv4');
NEVER.addSubnet('169.254.0.0', 16, 'ipv4');
NEVER.addAddress('::1', 'ipv6');
NEVER.addSubnet('fe80::', 10, 'ipv6');

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:127.0.0.1`), which Glance checks instead. */
function checkedAddress(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

/**
 * Where a web-download may fetch from, decided as Glance's
 * get_validated_address decides it: the scheme, host and (only when the
 * URI names one) port against the allowed lists, then the host resolved
 * and its first address that is neither loopback nor link-local, unless
 * the host itself is allowed. The address is what the fetch then connects
 * to, so a second lookup cannot point it elsewhere. Null: the URI does not
 * pass filtering.
 */
export async function filteredAddress(
  uri: unknown,
  filter: ImportFilter,
): Promise<{ url: URL; address: string } | null> {
  if (typeof uri !== 'string' || uri === '') return null;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  const scheme = url.protocol.slice(0, -1);
  if (filter.allowedSchemes.length > 0 && !filter.allowedSchemes.includes(scheme)) return null;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === '') return null;
  const hostAllowed = filter.allowedHosts.includes(host);
  if (filter.allowedHosts.length > 0 && !hostAllowed) return null;
  if (url.port !== '' && filter.allowedPorts.length > 0 && !filter.allowedPorts.includes(Number(url.port))) {
    return null;
  }
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return null;
  }
  for (const address of addresses) {
    if (hostAllowed) return { url, address };
    const checked = checkedAddress(address);
    if (!NEVER.check(checked.address, checked.family)) return { url, address };
  }
  return null;
}
