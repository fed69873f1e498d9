import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { filteredAddress, type ImportFilter } from '../model/uri-filter.js';

/** Redirects a web-download follows, each target filtered like the first URI. */
const MAX_REDIRECTS = 5;
/** How long a source may take to start answering. */
const CONNECT_TIMEOUT_MS = 30_000;

export class DownloadError extends Error {}

/**
 * Opens a web-download source as Glance does: connected to the address the
 * filter approved (so DNS cannot change it afterwards), redirects followed
 * only to URIs that pass the filter too, anything but a 2xx a failure.
 */
export async function openSource(uri: string, filter: ImportFilter): Promise<Readable> {
  let current = uri;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const target = await filteredAddress(current, filter);
    if (!target) {
      throw new DownloadError(
        hop === 0 ? `URI does not pass filtering: ${current}` : `Redirect to disallowed URL: ${current}`,
      );
    }
    const res = await get(target.url, target.address);
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      current = new URL(res.headers.location, target.url).href;
      continue;
    }
    if (status < 200 || status >= 300) {
      res.resume();
      throw new DownloadError(`HTTP Error ${status}: ${res.statusMessage ?? ''}`.trim());
    }
    return res;
  }
  throw new DownloadError(`Too many redirects: ${uri}`);
}

function get(url: URL, address: string): Promise<http.IncomingMessage> {
  const family = isIP(address);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    // the connection goes to the approved address whether Node asks for one address or all of them
    const lookup = ((_host: string, opts: { all?: boolean }, done: (...args: unknown[]) => void) =>
      opts.all
        ? done(null, [{ address, family }])
        : done(null, address, family)) as unknown as http.RequestOptions['lookup'];
    const req = client.get(url, { lookup, timeout: CONNECT_TIMEOUT_MS });
    req.once('response', resolve);
    req.once('timeout', () => req.destroy(new DownloadError(`timed out: ${url.href}`)));
    req.once('error', (err) => reject(err instanceof DownloadError ? err : new DownloadError(err.message)));
  });
}
