import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES } from '../../src/http/provider-router.js';
import { type RunningServer, serverLimits } from '../../src/server.js';
import { pollution } from './kit/invariants.js';
import { isRegistered, mockErrorProblem, registered } from './kit/profiles.js';
import { rawExchange, send, startTestServer } from './kit/raw-http.js';

/** Enormous bodies and headers, slow clients and odd request lines: each with the answer it must get. */
let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const ALLIANCE = {
  'X-Target-Ns': 'ccsr1',
  'X-Environment-Id': 'hostile',
  'Content-Type': 'application/json',
};
const TWO_MIB = 2 * 1024 * 1024;
const statusLine = (text: string) => text.split('\r\n')[0];

describe('enormous bodies', () => {
  it.runIf(isRegistered('alliance'))('Alliance: 413 in its error envelope', async () => {
    const body = JSON.stringify({ image: { name: 'x'.repeat(TWO_MIB) } });
    const res = await send(server.url, { method: 'POST', path: '/images', headers: ALLIANCE, body });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({
      error: { code: 413, title: 'Payload Too Large', message: 'Request body is too large.' },
    });
  });

  it.runIf(isRegistered('glance'))('Glance: 413 as webob words it', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(TWO_MIB) });
    const res = await send(server.url, {
      method: 'POST',
      path: '/v2/images',
      headers: { 'X-Auth-Token': 'any', 'Content-Type': 'application/json', Accept: 'application/json' },
      body,
    });
    expect([413, 401]).toContain(res.status);
    expect(
      registered.find((p) => p.name === 'glance')!.errorProblem(res, server.ctx.validator, '/v2/images'),
    ).toBeNull();
  });

  it.runIf(isRegistered('sharedcloud'))(
    'Sharedcloud: Django refuses the body before DRF, with its 400 page',
    async () => {
      const res = await send(server.url, {
        method: 'POST',
        path: '/api/v1/api-token-auth/',
        headers: { 'Content-Type': 'application/json' },
        body: `"${'x'.repeat(TWO_MIB)}"`,
      });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('text/html');
      expect(res.text).toBe('<h1>Bad Request (400)</h1>');
    },
  );

  it('admin API: 413 in the mock’s own format', async () => {
    const res = await send(server.url, {
      method: 'POST',
      path: '/__admin/store/cloudmc/images',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ description: 'x'.repeat(TWO_MIB) }),
    });
    expect(res.status).toBe(413);
    expect(mockErrorProblem(res)).toBeNull();
  });

  it.runIf(isRegistered('alliance'))(
    'a body announced larger than the cap is refused at once, without waiting for it',
    async () => {
      const head =
        'POST /images HTTP/1.1\r\nHost: x\r\nX-Target-Ns: ccsr1\r\nX-Environment-Id: e\r\n' +
        'Content-Type: application/json\r\nContent-Length: 10737418240\r\nConnection: close\r\n\r\n{"image":';
      // Well under the 120 s request timeout: only an immediate refusal arrives in time.
      const { text } = await rawExchange(server.port, [head], 3_000);
      expect(statusLine(text)).toBe('HTTP/1.1 413 Payload Too Large');
      expect(text).toContain('"message":"Request body is too large."');
    },
  );
});

describe('a body that does not decompress as its Content-Encoding says', () => {
  const notGzip = '{"image":{"name":"plain"}}';

  it.runIf(isRegistered('alliance'))('Alliance: malformed JSON (400), not an unknown route', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await send(server.url, {
        method: 'POST',
        path: '/images',
        headers: { ...ALLIANCE, 'Content-Encoding': encoding },
        body: notGzip,
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toEqual({
        error: { code: 400, title: 'Bad Request', message: 'Malformed JSON in request body.' },
      });
    }
  });

  it.runIf(isRegistered('glance'))(
    'Glance: Malformed JSON in request body (webob never decompresses)',
    async () => {
      const res = await send(server.url, {
        method: 'POST',
        path: '/v2/images',
        headers: {
          'X-Auth-Token': 'admin-token',
          'Content-Type': 'application/json',
          'Content-Encoding': 'gzip',
          Accept: 'application/json',
        },
        body: '{"name":"plain"}',
      });
      expect(res.status).toBe(400);
      expect(res.text).toBe(
        '{"message": "Malformed JSON in request body.<br /><br />\\n\\n\\n", "code": "400 Bad Request", "title": "Bad Request"}',
      );
    },
  );

  it('the admin API: 400 in its own format', async () => {
    const res = await send(server.url, {
      method: 'POST',
      path: '/__admin/store/cloudmc/images',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(mockErrorProblem(res)).toBeNull();
  });
});

describe('enormous headers', () => {
  it.each(registered.map((p) => [p.name, p] as const))(
    '%s: a header section over 16 KiB gets 431 in the provider’s format',
    async (_name, profile) => {
      const headers = { ...profile.probe.headers, 'X-Padding': 'x'.repeat(MAX_HEADER_BYTES) };
      const res = await send(server.url, { method: 'GET', path: profile.probe.path, headers });
      expect(res.status).toBe(431);
      expect(profile.errorProblem(res, server.ctx.validator, profile.probe.path)).toBeNull();
    },
  );

  it('over the parser’s 64 KiB cap Node itself answers a bare 431 and closes', async () => {
    const { text, closed } = await rawExchange(server.port, [
      `GET /api/v1/images/ HTTP/1.1\r\nHost: x\r\nX-Padding: ${'x'.repeat(serverLimits.maxHeaderSize)}\r\n\r\n`,
    ]);
    expect(statusLine(text)).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(closed).toBe(true);
  });

  it('the server stays healthy after both', async () => {
    expect((await send(server.url, { method: 'GET', path: '/__admin/health' })).status).toBe(200);
  });
});

describe('slow clients', () => {
  let slow: RunningServer;
  beforeAll(async () => {
    slow = await startTestServer(
      {},
      { headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 },
    );
  });
  afterAll(() => slow.close());

  it('production limits are set and applied to the listening server', () => {
    expect(serverLimits.headersTimeout).toBeLessThanOrEqual(60_000);
    expect(serverLimits.requestTimeout).toBeLessThanOrEqual(300_000);
    expect(serverLimits.headersTimeout).toBeLessThan(serverLimits.requestTimeout);
    expect(server.server.headersTimeout).toBe(serverLimits.headersTimeout);
    expect(server.server.requestTimeout).toBe(serverLimits.requestTimeout);
    expect(server.server.keepAliveTimeout).toBe(serverLimits.keepAliveTimeout);
    // Node sets it from the createServer option; @types/node does not declare it
    expect((server.server as unknown as { maxHeaderSize: number }).maxHeaderSize).toBe(
      serverLimits.maxHeaderSize,
    );
  });

  it('headers that never finish: 408 and the socket is closed', async () => {
    const { text, closed } = await rawExchange(
      slow.port,
      ['GET /api/v1/images/ HTTP/1.1\r\nHost: x\r\nX-Slow: '],
      8_000,
    );
    expect(closed).toBe(true);
    expect(statusLine(text)).toBe('HTTP/1.1 408 Request Timeout');
  });

  it('a body that stops arriving: 408 and the socket is closed', async () => {
    const head =
      'POST /api/v1/api-token-auth/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
    const { text, closed } = await rawExchange(slow.port, [head, '{"username":'], 8_000);
    expect(closed).toBe(true);
    expect(statusLine(text)).toBe('HTTP/1.1 408 Request Timeout');
  });

  it('still serves others afterwards', async () => {
    expect((await send(slow.url, { method: 'GET', path: '/__admin/health' })).status).toBe(200);
  });
});

describe('odd request lines', () => {
  it('OPTIONS * is answered by the mock, not a provider, without a 5xx', async () => {
    const { text } = await rawExchange(server.port, [
      'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    ]);
    expect(statusLine(text)).toBe('HTTP/1.1 404 Not Found');
    expect(text).toContain('{"error":');
  });

  it.runIf(isRegistered('sharedcloud'))('an absolute-form target is routed by its path', async () => {
    const { text } = await rawExchange(server.port, [
      'GET http://elsewhere.example/api/v1/images/ HTTP/1.1\r\nHost: elsewhere.example\r\nConnection: close\r\n\r\n',
    ]);
    expect(statusLine(text)).toBe('HTTP/1.1 401 Unauthorized');
    expect(text).toContain('{"detail":"Authentication credentials were not provided."}');
  });

  it('a request line that is not HTTP: Node’s bare 400, then the connection closes', async () => {
    const { text, closed } = await rawExchange(server.port, ['\u0000\u0001 GARBAGE\r\n\r\n']);
    expect(statusLine(text)).toBe('HTTP/1.1 400 Bad Request');
    expect(closed).toBe(true);
  });

  it('pollutes no prototype and leaves the server healthy', async () => {
    expect(pollution()).toEqual([]);
    expect((await send(server.url, { method: 'GET', path: '/__admin/health' })).status).toBe(200);
  });
});
