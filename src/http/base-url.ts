import type { Request, Response } from 'express';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The hostname of a Host value (`mock:8080` → `mock`, `[::1]:80` → `[::1]`). */
const hostnameOf = (host: string) =>
  host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;

/**
 * Whether links may name the Host a request sent. By default: localhost,
 * and the address the connection arrived on; `--allowed-hosts` lists
 * others (or `*`). Anything else (`Host: evil.example`) never reaches a
 * Location header or a Keystone catalog.
 */
function hostAllowed(req: Request, host: string): boolean {
  const allowed = (req.app?.locals?.allowedHosts as readonly string[] | undefined) ?? [];
  if (allowed.includes('*') || allowed.includes(host)) return true;
  const name = hostnameOf(host).toLowerCase();
  if (allowed.includes(name) || LOOPBACK.has(name)) return true;
  const local = req.socket?.localAddress;
  return local !== undefined && (name === local || name === `[${local}]`);
}

/** The address a request arrived on, as a Host value. */
function localHost(req: Request): string {
  const address = req.socket?.localAddress ?? '127.0.0.1';
  const host = address.includes(':') ? `[${address}]` : address;
  return req.socket?.localPort ? `${host}:${req.socket.localPort}` : host;
}

/**
 * The absolute URL a client used to reach this mock, including any prefix
 * the mock itself put in front of the providers (a test sandbox). Providers
 * build every absolute link (Location, version documents, catalogs) from it.
 */
export function publicBaseUrl(req: Request): string {
  const sent = req.get('host');
  const host = sent !== undefined && hostAllowed(req, sent) ? sent : localHost(req);
  return `${req.protocol}://${host}${basePath(req.res)}`;
}

/** The path prefix in front of the provider paths ('' unless a sandbox set one). */
export function basePath(res: Response | undefined): string {
  return (res?.locals.basePath as string | undefined) ?? '';
}
