import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { maskUrl } from '../control/masking.js';
import { isTextualType } from '../http/content-type.js';
import { type HeaderMap, MASK, maskBodyText, maskHeaders, SecretSet } from './mask.js';
import type { Exchange, RecordedBody } from './recording.js';

export interface RecorderOptions {
  provider: string;
  /** The real service: scheme, host and an optional path prefix. */
  target: string;
  /** Recordings file, appended to (JSON Lines). */
  file: string;
  host?: string;
  port?: number;
  /** Bodies larger than this are kept only as size and digest; the client still gets all of them. */
  maxRecordedBytes?: number;
  /** Called once an exchange is on disk (tests wait on it). */
  onExchange?: (exchange: Exchange) => void;
}

export interface RunningRecorder {
  url: string;
  close(): Promise<void>;
}

// Connection-level headers belong to one hop, not to the exchange.
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
];

/**
 * A forwarding proxy: each request goes to the target unchanged (but for
 * `Host`), the answer comes back unchanged and streamed, and the exchange is
 * appended, masked, to the recordings file.
 */
export async function startRecorder(options: RecorderOptions): Promise<RunningRecorder> {
  const target = new URL(options.target);
  const prefix = target.pathname.replace(/\/$/, '');
  const client = target.protocol === 'https:' ? https : http;
  const limit = options.maxRecordedBytes ?? 1024 * 1024;
  const secrets = new SecretSet();
  const out: WriteStream = createWriteStream(options.file, { flags: 'a' });

  const server = http.createServer((req, res) => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.includes(name) && name !== 'host' && value !== undefined) headers[name] = value;
    }
    headers.host = target.host;
    const requestBody = new Capture(limit);
    const upstream = client.request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: `${prefix}${req.url ?? '/'}`,
        headers,
      },
      (answer) => {
        const responseBody = new Capture(limit);
        const rawHeaders: string[] = [];
        for (let i = 0; i < answer.rawHeaders.length; i += 2) {
          if (!HOP_BY_HOP.includes(answer.rawHeaders[i]!.toLowerCase())) {
            rawHeaders.push(answer.rawHeaders[i]!, answer.rawHeaders[i + 1]!);
          }
        }
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, rawHeaders);
        answer.on('data', (chunk: Buffer) => responseBody.add(chunk));
        answer.pipe(res);
        answer.on('end', () => {
          const exchange = maskExchange(
            {
              provider: options.provider,
              at: new Date().toISOString(),
              request: {
                method: req.method ?? 'GET',
                path: req.url ?? '/',
                headers: withoutHop(req.headers as HeaderMap),
                body: requestBody.recorded(String(req.headers['content-type'] ?? ''), undefined),
              },
              response: {
                status: answer.statusCode ?? 0,
                headers: withoutHop(answer.headers as HeaderMap),
                body: responseBody.recorded(
                  String(answer.headers['content-type'] ?? ''),
                  answer.headers['content-encoding'],
                ),
              },
            },
            secrets,
          );
          out.write(`${secrets.scrub(JSON.stringify(exchange))}\n`, () => options.onExchange?.(exchange));
        });
      },
    );
    upstream.on('error', (err) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`image-api-mocks record: cannot reach ${target.origin}: ${err.message}\n`);
    });
    // a client that goes away ends its exchange with the real service too
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.on('data', (chunk: Buffer) => requestBody.add(chunk));
    req.pipe(upstream);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => out.end(() => resolve()));
        server.closeIdleConnections();
      }),
  };
}

function withoutHop(headers: HeaderMap): HeaderMap {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.includes(k.toLowerCase())));
}

export function maskExchange(exchange: Exchange, secrets: SecretSet): Exchange {
  const maskBody = (body: RecordedBody | undefined, contentType: string) =>
    body?.encoding === 'utf8' ? { ...body, text: maskBodyText(body.text, contentType, secrets) } : body;
  const request = {
    ...exchange.request,
    headers: maskHeaders(exchange.request.headers, secrets),
  };
  const response = { ...exchange.response, headers: maskHeaders(exchange.response.headers, secrets) };
  request.body = maskBody(exchange.request.body, String(request.headers['content-type'] ?? ''));
  response.body = maskBody(exchange.response.body, String(response.headers['content-type'] ?? ''));
  // a credential passed in the query string (`?token=`) is masked like a header; `sort_key` is not one
  request.path = maskUrl(request.path, MASK, (v) => secrets.add(v));
  return { ...exchange, request, response };
}

/** Keeps the first `limit` bytes of a stream for the recording, and the digest of all of it. */
class Capture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private total = 0;
  private readonly hash = createHash('sha256');

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    this.total += chunk.length;
    this.hash.update(chunk);
    if (this.kept + chunk.length <= this.limit) {
      this.chunks.push(chunk);
      this.kept += chunk.length;
    } else {
      this.kept = this.limit + 1;
    }
  }

  recorded(contentType: string, encoding: string | string[] | undefined): RecordedBody | undefined {
    if (this.total === 0) return undefined;
    if (this.kept > this.limit)
      return { encoding: 'omitted', bytes: this.total, sha256: this.hash.digest('hex') };
    let bytes = Buffer.concat(this.chunks);
    try {
      if (encoding === 'gzip') bytes = zlib.gunzipSync(bytes);
      else if (encoding === 'deflate') bytes = zlib.inflateSync(bytes);
      else if (encoding === 'br') bytes = zlib.brotliDecompressSync(bytes);
    } catch {
      // keep the bytes as sent
    }
    const text = bytes.toString('utf8');
    if (isTextualType(contentType) && Buffer.from(text, 'utf8').equals(bytes))
      return { encoding: 'utf8', text };
    return { encoding: 'base64', data: bytes.toString('base64') };
  }
}
