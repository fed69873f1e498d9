import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { CODES } from '../../src/providers/cloudmc/errors.js';
import { testApp } from '../helpers.js';

let app: Awaited<ReturnType<typeof testApp>>['app'];
beforeAll(async () => {
  ({ app } = await testApp());
});

const UBUNTU = 'a8050b2b-39eb-4929-bce5-1af42055903e/ubuntu/v20201110';
const LIST = '/api/v1/services/stackpath/test-area/images';

function expectError(res: request.Response, status: number, code: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/json');
  expect(Object.keys(res.body)).toEqual(['errors']);
  expect(res.body.errors).toHaveLength(1);
  expect(Object.keys(res.body.errors[0])).toEqual(['code', 'message', 'context']);
  expect(res.body.errors[0].code).toBe(code);
  expect(typeof res.body.errors[0].message).toBe('string');
  return res.body.errors[0] as { message: string; context: Record<string, unknown> };
}

describe('authentication', () => {
  it('401 without MC-Api-Key', async () => {
    const e = expectError(await request(app).get(LIST), 401, CODES.missingApiKey);
    expect(e.message).toMatch(/MC-Api-Key/);
    expect(e.context).toEqual({});
  });
  it('401 with an empty key', async () => {
    expectError(await request(app).get(LIST).set('MC-Api-Key', ''), 401, CODES.missingApiKey);
    expectError(await request(app).get(LIST).set('MC-Api-Key', '   '), 401, CODES.missingApiKey);
  });
  it('401 with an unknown key', async () => {
    expectError(await request(app).get(LIST).set('MC-Api-Key', 'nope'), 401, CODES.invalidApiKey);
  });
  it('401 comes before 404 and 405', async () => {
    expectError(await request(app).get('/api/v1/services/nope/x/images'), 401, CODES.missingApiKey);
    expectError(await request(app).post(LIST), 401, CODES.missingApiKey);
  });
  it('403 when the key is not bound to the environment', async () => {
    const e = expectError(
      await request(app)
        .get('/api/v1/services/stackpath/production/images')
        .set('MC-Api-Key', 'stackpath-test-area-key'),
      403,
      CODES.environmentForbidden,
    );
    expect(e.context).toEqual({ serviceCode: 'stackpath', environment: 'production' });
  });
  it('a key bound to one service cannot see another', async () => {
    expectError(
      await request(app)
        .get('/api/v1/services/cox/test-area/images')
        .set('MC-Api-Key', 'stackpath-test-area-key'),
      403,
      CODES.environmentForbidden,
    );
  });
  it('a bound key sees its environment', async () => {
    const res = await request(app).get(LIST).set('MC-Api-Key', 'stackpath-test-area-key');
    expect(res.status).toBe(200);
  });
});

describe('any-key mode', () => {
  it('accepts any non-empty key for every environment, still refuses a missing one', async () => {
    const { app: anyApp } = await testApp({ auth: 'any' });
    expect(
      (await request(anyApp).get('/api/v1/services/cox/staging/images').set('MC-Api-Key', 'whatever')).status,
    ).toBe(200);
    expectError(await request(anyApp).get(LIST), 401, CODES.missingApiKey);
    expectError(await request(anyApp).get(LIST).set('MC-Api-Key', ''), 401, CODES.missingApiKey);
  });
  it('a fixture key keeps its own bindings', async () => {
    const { app: anyApp } = await testApp({ auth: 'any' });
    const res = await request(anyApp)
      .get('/api/v1/services/stackpath/production/images')
      .set('MC-Api-Key', 'stackpath-test-area-key');
    expectError(res, 403, CODES.environmentForbidden);
  });
});

describe('lookups', () => {
  const key = (r: request.Test) => r.set('MC-Api-Key', 'mc-demo-key');
  it('404 for an unknown service code', async () => {
    const e = expectError(
      await key(request(app).get('/api/v1/services/nope/test-area/images')),
      404,
      CODES.unknownService,
    );
    expect(e.context).toEqual({ serviceCode: 'nope' });
  });
  it('404 for an unknown environment', async () => {
    expectError(
      await key(request(app).get('/api/v1/services/stackpath/nope/images')),
      404,
      CODES.unknownEnvironment,
    );
  });
  it('404 for an unknown image id, naming it', async () => {
    const e = expectError(await key(request(app).get(`${LIST}/a/b/c`)), 404, CODES.unknownImage);
    expect(e.context).toEqual({ id: 'a/b/c' });
  });
  it('404 for an unknown path under the service space', async () => {
    expectError(
      await key(request(app).get('/api/v1/services/stackpath/test-area/nope')),
      404,
      CODES.unknownRoute,
    );
    expectError(await key(request(app).get('/api/v1/services')), 404, CODES.unknownRoute);
    expectError(await key(request(app).get('/api/v1/services/stackpath')), 404, CODES.unknownRoute);
  });
  it('takes an id with raw slashes, %2F, or mixed', async () => {
    for (const id of [
      UBUNTU,
      encodeURIComponent(UBUNTU),
      UBUNTU.replace('/', '%2F'),
      UBUNTU.replace('/', '%2f'),
    ]) {
      const res = await key(request(app).get(`${LIST}/${id}`));
      expect(res.status, id).toBe(200);
      expect(res.body.data.id).toBe(UBUNTU);
    }
  });
  it('takes ids containing colons', async () => {
    const res = await key(request(app).get(`${LIST}/a8050b2b/fam:ily/tag:1`));
    expectError(res, 404, CODES.unknownImage);
    expect(res.body.errors[0].context.id).toBe('a8050b2b/fam:ily/tag:1');
  });
  it('a malformed percent escape is a 404, not a crash', async () => {
    expectError(await key(request(app).get(`${LIST}/%E0%A4%A`)), 404, CODES.unknownRoute);
    expectError(
      await key(request(app).get('/api/v1/services/%zz/test-area/images')),
      404,
      CODES.unknownRoute,
    );
  });
  it('a default image id is found from any environment of its service, not another service', async () => {
    expect(
      (await key(request(app).get(`/api/v1/services/stackpath/production/images/${UBUNTU}`))).status,
    ).toBe(200);
    const cox = await key(request(app).get(`/api/v1/services/cox/test-area/images/${UBUNTU}`));
    expect(cox.body.data.slug).toBe('cox-edge');
  });
});

describe('methods', () => {
  it.each(['post', 'put', 'patch', 'delete'] as const)('%s answers 405 with Allow', async (method) => {
    for (const path of [LIST, `${LIST}/${UBUNTU}`]) {
      const res = await request(app)[method](path).set('MC-Api-Key', 'mc-demo-key').send({ a: 1 });
      expectError(res, 405, CODES.methodNotAllowed);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
  });
  it('OPTIONS answers 405 too', async () => {
    const res = await request(app).options(LIST).set('MC-Api-Key', 'mc-demo-key');
    expectError(res, 405, CODES.methodNotAllowed);
  });
});

describe('headers', () => {
  it('sends neither X-Powered-By nor ETag, and never 304', async () => {
    const res = await request(app).get(LIST).set('MC-Api-Key', 'mc-demo-key').set('If-None-Match', '*');
    expect(res.status).toBe(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
  });
});
