import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';

/**
 * A fault rule's status and message come out as the provider's own error
 * for that status, with the message in it (each provider's errors.ts
 * renders it; the fault hook only says what was asked for).
 */
let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp();
});

const MESSAGE = 'maintenance window';
const TITLES: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

async function faulted(status: number, path: string, headers: Record<string, string> = {}) {
  await request(t.app).delete('/__admin/faults').expect(204);
  await request(t.app).post('/__admin/faults').send({ status, message: MESSAGE }).expect(201);
  const r = request(t.app).get(path);
  for (const [k, v] of Object.entries(headers)) r.set(k, v);
  const res = await r;
  expect(res.status).toBe(status);
  return res;
}

describe.each([500, 502, 503, 504])('a %i fault with a message', (status) => {
  it('CloudMC (StackPath and Cox Edge): its envelope, the message in it', async () => {
    for (const service of ['stackpath', 'cox']) {
      const res = await faulted(status, `/api/v1/services/${service}/test-area/images`);
      expect(res.body).toEqual({ errors: [{ code: 1099, message: MESSAGE, context: {} }] });
    }
  });

  it('Sharedcloud: DRF’s {"detail": ...}, not Django’s 500 page', async () => {
    const res = await faulted(status, '/api/v1/images/');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toEqual({ detail: MESSAGE });
  });

  it('Alliance: its envelope with the status’s title', async () => {
    const res = await faulted(status, '/images', { 'X-Target-Ns': 'ccsr1', 'X-Environment-Id': 'e' });
    expect(res.body).toEqual({ error: { code: status, title: TITLES[status], message: MESSAGE } });
  });

  it('Glance: webob’s page for that status, JSON and plain text', async () => {
    const json = await faulted(status, '/v2/images', { Accept: 'application/json' });
    expect(json.body).toEqual({
      message: `${MESSAGE}<br /><br />\n\n\n`,
      code: `${status} ${TITLES[status]}`,
      title: TITLES[status],
    });
    const plain = await faulted(status, '/v2/images');
    expect(plain.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(plain.text).toBe(`${status} ${TITLES[status]}\n\n${MESSAGE}\n\n   `);
  });

  it('the Keystone shim under Glance: Keystone’s own JSON error, not webob’s page', async () => {
    for (const accept of ['application/json', 'text/plain']) {
      const res = await faulted(status, '/v3', { Accept: accept });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ error: { code: status, title: TITLES[status], message: MESSAGE } });
    }
  });
});

describe('a 5xx fault without a message', () => {
  it('gets each provider’s stock wording for the status', async () => {
    await request(t.app).delete('/__admin/faults').expect(204);
    await request(t.app).post('/__admin/faults').send({ status: 503 }).expect(201);
    expect((await request(t.app).get('/api/v1/images/')).body).toEqual({
      detail: 'Service temporarily unavailable, try again later.',
    });
    const glance = await request(t.app).get('/v2/images').set('Accept', 'application/json');
    expect(glance.body.title).toBe('Service Unavailable');
    expect(glance.body.message).toContain('The server is currently unavailable.');
  });
});
