import http from 'node:http';
import https from 'node:https';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Could not reach a side at all (not an HTTP answer): exit code 2. */
export class ConnectionError extends Error {}

/** One request with exactly the headers given (fetch would add its own), body read whole. */
export function call(
  base: string,
  method: string,
  pathAndQuery: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  timeoutMs = 30_000,
): Promise<Answer> {
  const url = new URL(base);
  const prefix = url.pathname.replace(/\/$/, '');
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port,
        method,
        path: `${prefix}${pathAndQuery}`,
        headers: body ? { ...headers, 'Content-Length': String(body.length) } : headers,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(
        new ConnectionError(`${url.host} did not answer ${method} ${pathAndQuery} within ${timeoutMs} ms`),
      ),
    );
    req.on('error', (err) =>
      reject(
        err instanceof ConnectionError
          ? err
          : new ConnectionError(`cannot reach ${url.host}: ${err.message}`),
      ),
    );
    req.end(body);
  });
}
