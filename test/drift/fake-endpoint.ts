import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One canned answer of the stand-in for a real service. */
export interface Canned {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface FakeEndpoint {
  url: string;
  /** Requests seen, for asserting what the client sent. */
  seen: { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/**
 * A tiny "real service" for tests: answers come from a table keyed
 * `<credentials> <METHOD> <path?query>` (optionally followed by the body), where credentials is `valid`,
 * `wrong` or `missing` as `classify` judges the request. Anything not in the
 * table answers 599, so a missing entry shows up as drift, never as a pass.
 */
export async function startFakeEndpoint(
  routes: Record<string, Canned>,
  classify: (headers: http.IncomingHttpHeaders) => 'valid' | 'wrong' | 'missing',
  /** Answers what the table does not (default: 599, so a missing entry shows up as drift, never as a pass). */
  fallback?: (req: http.IncomingMessage) => Canned,
): Promise<FakeEndpoint> {
  const seen: FakeEndpoint['seen'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        path: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const key = `${classify(req.headers)} ${req.method} ${req.url}`;
      const body = Buffer.concat(chunks).toString();
      // requests that differ only by body are told apart by `<key> <body>`
      const answer = routes[`${key} ${body}`] ??
        routes[key] ??
        fallback?.(req) ?? {
          status: 599,
          headers: { 'Content-Type': 'text/plain' },
          body: `no canned answer for ${key}`,
        };
      res.writeHead(answer.status, {
        ...answer.headers,
        ...(answer.body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(answer.body)) }),
      });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A copy of the table with one answer changed. */
export function withChange(routes: Record<string, Canned>, key: string, change: (c: Canned) => Canned) {
  if (!routes[key]) throw new Error(`no route ${key}`);
  return { ...routes, [key]: change(routes[key]) };
}
