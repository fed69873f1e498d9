import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import { resolveConfig, type Config } from '../../../src/config.js';
import { type RunningServer, type ServerLimits, startServer } from '../../../src/server.js';
import { silentLogger } from '../../helpers.js';

export interface RawRequest {
  method: string;
  /** Sent as given (latin-1 bytes allowed): no normalisation, no encoding. */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/**
 * One request with Node's plain client, which (unlike fetch) sends odd
 * methods, raw paths and repeated headers exactly as written.
 */
export function send(base: string, req: RawRequest, agent?: http.Agent): Promise<RawResponse> {
  const url = new URL(base);
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: {
          ...(body ? { 'Content-Length': String(body.length) } : {}),
          ...req.headers,
        },
        agent: agent ?? false,
        timeout: 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const all = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: all,
            text: all.toString('utf8'),
          });
        });
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer to ${req.method} ${req.path}`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The real server (src/server.ts: its timeouts and limits) in this process, in memory, silent. */
export function startTestServer(
  overrides: Partial<Config> = {},
  limits: Partial<ServerLimits> = {},
): Promise<RunningServer> {
  return startServer(
    resolveConfig(
      {},
      {},
      { port: 0, host: '127.0.0.1', store: ':memory:', logLevel: 'silent', ...overrides },
    ),
    silentLogger,
    limits,
  );
}

/** Internals that must never reach a client: stack frames, source and dependency paths. */
export function leakedInternals(text: string, request: string): string | null {
  const markers = [/\n\s+at \S/, /node_modules/, /\.(?:ts|js):\d+:\d+/, /\/src\/(?:http|providers|store)\//];
  const root = process.cwd();
  if (text.includes(root) && !request.includes(root)) return `the repository path ${root}`;
  for (const marker of markers) {
    if (marker.test(text) && !marker.test(request)) return `internal detail matching ${String(marker)}`;
  }
  return null;
}

/**
 * Writes bytes on a bare TCP socket and collects everything the server
 * sends until it closes the connection (or `waitMs` passes: then `closed`
 * is false). For what a well-behaved client never does.
 */
export function rawExchange(
  port: number,
  chunks: (string | Buffer)[],
  waitMs = 10_000,
): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false });
    }, waitMs);
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
  });
}
