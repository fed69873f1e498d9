import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { isRegistered } from './kit/profiles.js';
import { rawExchange, startTestServer } from './kit/raw-http.js';

/**
 * A request that announces a body far over --max-body-bytes and sends none
 * of it gets its route's answer without the server waiting for the body:
 * each route reads bodies through the one shared reader (src/http/body.ts).
 * A route that waited would answer only at the 120 s request timeout, so
 * the bounded wait below sees no answer at all.
 */
let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ auth: 'any' });
});
afterAll(() => server.close());

/** Well under the request timeout; an answer that arrives at all arrived without the body. */
const WAIT_MS = 5_000;

async function announceHuge(requestLine: string, headers: Record<string, string>, length = 1_000_000_000) {
  const head =
    `${requestLine} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    `Content-Length: ${length}\r\nConnection: close\r\n\r\n`;
  const { text } = await rawExchange(server.port, [head], WAIT_MS);
  const at = text.indexOf('\r\n\r\n');
  return { status: text.split('\r\n')[0] ?? '', head: text.slice(0, at), body: text.slice(at + 4) };
}

describe('a body announced over the cap is refused at once', () => {
  it.runIf(isRegistered('glance'))('Glance (create): webob 413', async () => {
    const res = await announceHuge('POST /v2/images', {
      'X-Auth-Token': 'anyone',
      'Content-Type': 'application/json',
      Accept: 'application/json',
    });
    expect(res.status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(JSON.parse(res.body)).toMatchObject({
      code: '413 Request Entity Too Large',
      title: 'Request Entity Too Large',
    });
  });

  it.runIf(isRegistered('glance'))('Glance image data over its own cap: webob 413', async () => {
    const created = await fetch(`${server.url}/v2/images`, {
      method: 'POST',
      headers: { 'X-Auth-Token': 'anyone', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'oversize', disk_format: 'raw', container_format: 'bare' }),
    });
    const { id } = (await created.json()) as { id: string };
    const res = await announceHuge(
      `PUT /v2/images/${id}/file`,
      { 'X-Auth-Token': 'anyone', 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
      server.ctx.config.glanceMaxImageBytes + 1,
    );
    expect(res.status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(JSON.parse(res.body)).toMatchObject({ title: 'Request Entity Too Large' });
  });

  it.runIf(isRegistered('glance'))('Keystone shim: its own 413 error body', async () => {
    const res = await announceHuge('POST /v3/auth/tokens', { 'Content-Type': 'application/json' });
    expect(res.status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 413, title: 'Request Entity Too Large', message: 'Request is too large.' },
    });
  });

  it
    .runIf(isRegistered('sharedcloud'))
    .each(['application/x-www-form-urlencoded', 'application/json', 'multipart/form-data; boundary=x'])(
    'Sharedcloud login (%s): Django refuses it with its 400 page',
    async (type) => {
      const res = await announceHuge('POST /api/v1/api-token-auth/', { 'Content-Type': type });
      expect(res.status).toBe('HTTP/1.1 400 Bad Request');
      expect(res.body).toBe('<h1>Bad Request (400)</h1>');
    },
  );

  it('admin API: 413 in the mock’s own format', async () => {
    const res = await announceHuge('POST /__admin/reset', { 'Content-Type': 'application/json' });
    expect(res.status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(JSON.parse(res.body)).toEqual({ error: 'body too large' });
  });

  it.runIf(isRegistered('alliance'))('Alliance: its 413 envelope', async () => {
    const res = await announceHuge('POST /images', {
      'X-Target-Ns': 'ccsr1',
      'X-Environment-Id': 'e',
      'Content-Type': 'application/json',
    });
    expect(res.status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 413, title: 'Payload Too Large', message: 'Request body is too large.' },
    });
  });

  // CloudMC's images are read-only: no route takes a body, so the method is refused (405) before any body matters.
  it.runIf(isRegistered('cloudmc'))('CloudMC: its 405, without waiting for the body', async () => {
    const res = await announceHuge('POST /api/v1/services/compute-a/env-a/images', {
      'MC-Api-Key': 'anyone',
      'Content-Type': 'application/json',
    });
    expect(res.status).toMatch(/^HTTP\/1\.1 (405|404) /);
    expect(JSON.parse(res.body)).toMatchObject({ errors: [{ message: expect.any(String) }] });
  });
});

describe('a chunked body is refused as soon as it crosses the cap', () => {
  // 1.5 MiB of a body whose end never comes: only a reader that stops at the cap answers
  const overCap = 'x'.repeat(1536 * 1024);
  const chunked = async (requestLine: string, headers: string) => {
    const head = `${requestLine} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Transfer-Encoding: chunked\r\n\r\n`;
    const chunk = `${overCap.length.toString(16)}\r\n${overCap}\r\n`;
    const { text } = await rawExchange(server.port, [head, chunk], WAIT_MS);
    return text.split('\r\n')[0];
  };

  it.runIf(isRegistered('glance'))('Keystone shim', async () => {
    expect(await chunked('POST /v3/auth/tokens', 'Content-Type: application/json\r\n')).toBe(
      'HTTP/1.1 413 Payload Too Large',
    );
  });

  it.runIf(isRegistered('sharedcloud'))('Sharedcloud login', async () => {
    expect(
      await chunked('POST /api/v1/api-token-auth/', 'Content-Type: application/x-www-form-urlencoded\r\n'),
    ).toBe('HTTP/1.1 400 Bad Request');
  });

  it('admin API', async () => {
    expect(await chunked('POST /__admin/reset', 'Content-Type: application/json\r\n')).toBe(
      'HTTP/1.1 413 Payload Too Large',
    );
  });
});
