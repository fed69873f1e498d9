import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';

const DEMO_KEY = '6507c5b574a4142649e869c02c4eed085353fa75';
const RETIRED_KEY = 'dd7e0f73771918f26ab6f06f2c276d1e371c6293';
const IMAGE = '/api/v1/images/2413a0f8-c105-4928-914f-d5c93173f88a/';
const PATHS = ['/api/v1/images/', '/api/v1/images', IMAGE];

let app: Awaited<ReturnType<typeof testApp>>['app'];
beforeAll(async () => {
  ({ app } = await testApp());
});

function expect401(res: request.Response, detail: string) {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe('Token');
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
  expect(res.text).toBe(JSON.stringify({ detail }));
}

describe('token authentication, exactly as DRF words each case', () => {
  const cases: [string, string | undefined, string][] = [
    ['no Authorization header', undefined, 'Authentication credentials were not provided.'],
    ['an empty header', '', 'Authentication credentials were not provided.'],
    ['another scheme', `Bearer ${DEMO_KEY}`, 'Authentication credentials were not provided.'],
    ['Basic credentials', 'Basic ZGVtbzpkZW1vLXBhc3N3b3Jk', 'Authentication credentials were not provided.'],
    ['Token with no key', 'Token', 'Invalid token header. No credentials provided.'],
    ['Token and only blanks', 'Token    ', 'Invalid token header. No credentials provided.'],
    ['a key with spaces', 'Token a b', 'Invalid token header. Token string should not contain spaces.'],
    ['an unknown key', 'Token nope', 'Invalid token.'],
    ['an inactive user', `Token ${RETIRED_KEY}`, 'User inactive or deleted.'],
  ];
  for (const [what, header, detail] of cases) {
    it(`${what} → 401 "${detail}" on every image path`, async () => {
      for (const path of PATHS) {
        const req = request(app).get(path);
        expect401(await (header === undefined ? req : req.set('Authorization', header)), detail);
      }
    });
  }

  it('a key that is not UTF-8 → 401 "should not contain invalid characters"', async () => {
    // raw latin-1 bytes on the wire (0xE9 alone is not UTF-8)
    const res = await request(app).get('/api/v1/images/').set('Authorization', 'Token caf\u00e9');
    expect401(res, 'Invalid token header. Token string should not contain invalid characters.');
  });

  it('the scheme word is case-insensitive and extra whitespace is ignored', async () => {
    for (const header of [`token ${DEMO_KEY}`, `TOKEN ${DEMO_KEY}`, `Token   ${DEMO_KEY}  `]) {
      const res = await request(app).get('/api/v1/images/').set('Authorization', header);
      expect(res.status).toBe(200);
    }
  });

  it('authentication comes before the method check', async () => {
    expect401(await request(app).post('/api/v1/images/'), 'Authentication credentials were not provided.');
    expect401(await request(app).delete(IMAGE).set('Authorization', 'Token nope'), 'Invalid token.');
  });

  it('a fixture token keeps its identity in any mode; unknown keys get the default user there', async () => {
    const { app: anyApp } = await testApp({ auth: 'any' });
    const res = await request(anyApp).get('/api/v1/images/').set('Authorization', 'Token anything-at-all');
    expect(res.status).toBe(200);
    expect401(await request(anyApp).get('/api/v1/images/'), 'Authentication credentials were not provided.');
    expect401(
      await request(anyApp).get('/api/v1/images/').set('Authorization', 'Token'),
      'Invalid token header. No credentials provided.',
    );
    // the stand-in is the demo user: it sees demo's instance
    const mine = await request(anyApp)
      .get('/api/v1/images/?instance=26118515-35c9-4467-a57f-50d562829a94')
      .set('Authorization', 'Token anything-at-all');
    expect(mine.body).toHaveLength(1);
  });
});

describe('methods', () => {
  const auth = { Authorization: `Token ${DEMO_KEY}` };

  it('other methods → 405 naming the method, with Allow', async () => {
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      for (const path of PATHS) {
        const res = await request(app)[method](path).set(auth);
        expect(res.status).toBe(405);
        expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
        expect(res.text).toBe(`{"detail":"Method \\"${method.toUpperCase()}\\" not allowed."}`);
      }
    }
  });

  it('an Accept header no renderer satisfies → 406, before authentication', async () => {
    for (const accept of ['application/xml', 'image/png']) {
      const res = await request(app).get('/api/v1/images/').set('Accept', accept);
      expect(res.status).toBe(406);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.text).toBe('{"detail":"Could not satisfy the request Accept header."}');
    }
    // the login view renders JSON only
    const login = await request(app).post('/api/v1/api-token-auth/').set('Accept', 'text/html');
    expect(login.status).toBe(406);
    for (const accept of [
      'application/json',
      '*/*',
      'application/*',
      'text/html',
      'application/xml, */*;q=0.1',
    ]) {
      expect((await request(app).get('/api/v1/images/').set(auth).set('Accept', accept)).status).toBe(200);
    }
  });

  it('?format= overrides Accept: json (or api) passes, an unknown format is 404', async () => {
    const json = await request(app)
      .get('/api/v1/images/?format=json')
      .set(auth)
      .set('Accept', 'application/xml');
    expect(json.status).toBe(200);
    const xml = await request(app).get('/api/v1/images/?format=xml');
    expect(xml.status).toBe(404);
    expect(xml.text).toBe('{"detail":"Not found."}');
    expect((await request(app).post('/api/v1/api-token-auth/?format=api')).status).toBe(404);
  });

  it('HEAD answers like GET without a body', async () => {
    const get = await request(app).get('/api/v1/images/').set(auth);
    const head = await request(app).head('/api/v1/images/').set(auth);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.text ?? '').toBe('');
  });

  it('OPTIONS answers DRF metadata once authenticated, 401 before', async () => {
    const res = await request(app).options('/api/v1/images/').set(auth);
    expect(res.status).toBe(200);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(res.headers.vary).toBe('Accept');
    expect(res.body).toEqual({
      name: 'Image List',
      description: '',
      renders: ['application/json', 'text/html'],
      parses: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'],
    });
    expect((await request(app).options(IMAGE).set(auth)).body.name).toBe('Image Instance');
    expect401(await request(app).options(IMAGE), 'Authentication credentials were not provided.');
  });

  it('every answer of the image views carries Allow and Vary: Accept', async () => {
    for (const res of [
      await request(app).get('/api/v1/images/').set(auth),
      await request(app).get('/api/v1/images/nope/').set(auth),
      await request(app).get('/api/v1/images/'),
    ]) {
      expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
      expect(res.headers.vary).toBe('Accept');
    }
  });
});

describe('lookups and unknown paths', () => {
  const auth = { Authorization: `Token ${DEMO_KEY}` };

  it('unknown and malformed uuids → 404 {"detail":"Not found."}', async () => {
    for (const id of [
      '00000000-0000-4000-8000-000000000000',
      'nope',
      '2413a0f8',
      '%E2%82%AC',
      "1' OR '1'='1",
    ]) {
      const res = await request(app)
        .get(`/api/v1/images/${encodeURIComponent(id)}/`)
        .set(auth);
      expect(res.status).toBe(404);
      expect(res.text).toBe('{"detail":"Not found."}');
    }
  });

  it("a uuid in Django's other spellings (upper case, no hyphens) finds the image", async () => {
    for (const id of ['2413A0F8-C105-4928-914F-D5C93173F88A', '2413a0f8c1054928914fd5c93173f88a']) {
      const res = await request(app).get(`/api/v1/images/${id}/`).set(auth);
      expect(res.status).toBe(200);
      expect(res.body.uuid).toBe('2413a0f8-c105-4928-914f-d5c93173f88a');
    }
  });

  it('paths Django does not route → its HTML 404, before authentication', async () => {
    for (const path of ['/api/v1/nope', '/api/v1/images/a/b/', '/api/v1/', '/api/v1/images/%ZZ/']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('text/html');
      expect(res.text).toBe('<h1>Not Found</h1><p>The requested resource was not found on this server.</p>');
    }
  });

  it('CloudMC still owns /api/v1/services', async () => {
    const res = await request(app).get('/api/v1/services/stackpath/test-area/images');
    expect(res.status).toBe(401);
    expect(Object.keys(res.body)).toEqual(['errors']);
  });
});
