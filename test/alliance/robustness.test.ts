import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';

const SEED = { 'X-Target-Ns': 'ccsr1', 'X-Environment-Id': '54915a05b0bb43dcbb218525c426b6a5' };
let app: Awaited<ReturnType<typeof testApp>>['app'];
beforeAll(async () => {
  ({ app } = await testApp({ maxBodyBytes: 200_000 }));
});

const isEnvelope = (res: request.Response) => {
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.body.error.code).toBe(res.status);
};

describe('Alliance never answers 500', () => {
  it('odd paths get the envelope', async () => {
    for (const path of [
      '/images/%00',
      '/images/%',
      '/images/..%2F..%2Fetc',
      `/images/${'a'.repeat(5000)}`,
      '/images/x/y/z',
      '/images//',
      '/images?name[$ne]=x',
    ]) {
      const res = await request(app).get(path).set(SEED);
      expect(res.status, path).toBeLessThan(500);
      if (res.status >= 400) isEnvelope(res);
    }
  });

  it('odd bodies get the envelope', async () => {
    for (const [type, body] of [
      ['application/json', '['.repeat(150_000)],
      ['application/json', '{"__proto__":{"admin":true}}'],
      ['application/json', '{"image":{"__proto__":{"name":"x"}}}'],
      ['application/json', '{"constructor":{"prototype":{}}}'],
      ['application/json', '\u0000'],
      ['application/json; charset=utf-16', '{}'],
      ['application/json', `{"tags":[${'"t",'.repeat(10_000)}"t"]}`],
      ['application/json', '{"min_ram":1e400}'],
      ['application/json', '{"min_ram":9007199254740993}'],
    ]) {
      const res = await request(app)
        .post('/images')
        .set(SEED)
        .set('Content-Type', type!)
        .serialize((b: unknown) => b as string)
        .send(body);
      expect(res.status, `${type} ${body!.slice(0, 40)}`).toBeLessThan(500);
      if (res.status >= 400) isEnvelope(res);
    }
    // nothing leaked into the prototype chain
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('odd headers', async () => {
    const res = await request(app)
      .get('/images')
      .set({ 'X-Target-Ns': 'ns'.repeat(2000), 'X-Environment-Id': '\u00ff' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ images: [] });
  });
});
