import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';

const AUTH = 'Token 6507c5b574a4142649e869c02c4eed085353fa75';
let app: Awaited<ReturnType<typeof testApp>>['app'];
beforeAll(async () => {
  ({ app } = await testApp({ maxBodyBytes: 200_000 }));
});

/** Odd requests a careless or hostile client sends; each must get a deliberate 4xx, never a 500. */
const ODD_PATHS = [
  '/api/v1/images/%00',
  '/api/v1/images/%',
  '/api/v1/images/..%2F..%2Fetc%2Fpasswd',
  `/api/v1/images/${'a'.repeat(5000)}`,
  '/api/v1/images/?instance[]=x',
  '/api/v1/images/?instance=%FF',
  '/api/v1/images//',
  '/api/v1/api-token-auth/extra',
  '/api/v1/IMAGES/',
];

const ODD_LOGIN_BODIES: [string, string][] = [
  ['application/json', '['.repeat(150_000)],
  ['application/json', `{"username":"${'x'.repeat(100_000)}","password":"y"}`],
  ['application/json', '{"username":"\\ud800","password":"\\u0000"}'],
  ['application/json', '\u0000'],
  ['application/x-www-form-urlencoded', '%%%&&&==='],
  ['application/x-www-form-urlencoded', 'username=%FF%FE&password=%00'],
  ['multipart/form-data; boundary=xyz', '--xyz\r\nbroken'],
  ['application/json; charset=bogus', '{}'],
];

describe('Sharedcloud never answers 500', () => {
  it('odd paths', async () => {
    for (const path of ODD_PATHS) {
      const res = await request(app).get(path).set('Authorization', AUTH);
      expect(res.status, path).toBeLessThan(500);
      expect(res.text).not.toMatch(/\n\s+at /);
    }
  });

  it('odd login bodies', async () => {
    for (const [type, body] of ODD_LOGIN_BODIES) {
      const res = await request(app)
        .post('/api/v1/api-token-auth/')
        .set('Content-Type', type)
        .serialize((b: unknown) => b as string)
        .send(body);
      expect(res.status, `${type} ${body.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('odd Authorization headers', async () => {
    for (const header of [
      'Token \t',
      'Token\tabc',
      `Token ${'k'.repeat(10_000)}`,
      'token=abc',
      '\u00ff\u00fe',
    ]) {
      const res = await request(app).get('/api/v1/images/').set('Authorization', header);
      expect(res.status).toBe(401);
    }
  });
});
