import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';

const LOGIN = '/api/v1/api-token-auth/';
const DEMO_KEY = '6507c5b574a4142649e869c02c4eed085353fa75';

let app: Awaited<ReturnType<typeof testApp>>['app'];
beforeAll(async () => {
  ({ app } = await testApp({ maxBodyBytes: 4096 }));
});

// serialize: send strings and raw bytes exactly as given
const json = (body: string | Buffer, type = 'application/json') =>
  request(app)
    .post(LOGIN)
    .set('Content-Type', type)
    .serialize((b: unknown) => b as string)
    .send(body as string);

function expect400(res: request.Response, body: unknown) {
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers.allow).toBe('POST, OPTIONS');
  expect(res.text).toBe(JSON.stringify(body));
}

describe('POST /api/v1/api-token-auth/', () => {
  it("form-encoded credentials (what the CLI sends) → the user's token, the same every time", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await request(app)
        .post(LOGIN)
        .type('form')
        .send({ username: 'demo', password: 'demo-password' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.headers.allow).toBe('POST, OPTIONS');
      expect(res.headers.vary).toBeUndefined();
      expect(res.text).toBe(`{"token":"${DEMO_KEY}"}`);
    }
  });

  it('JSON and multipart credentials, with or without the trailing slash', async () => {
    const a = await json('{"username": "alice", "password": "alice-password"}');
    expect(a.body).toEqual({ token: '7cbf636b38c1122e2f98dfb50360bbc81ae1f8a7' });
    const b = await request(app)
      .post('/api/v1/api-token-auth')
      .field('username', 'demo')
      .field('password', 'demo-password');
    expect(b.status).toBe(200);
    expect(b.body.token).toBe(DEMO_KEY);
    const c = await json('{"username":"demo","password":"demo-password"}', 'application/json; charset=utf-8');
    expect(c.body.token).toBe(DEMO_KEY);
  });

  it('the token it returns opens the images API', async () => {
    const { token } = (
      await request(app).post(LOGIN).type('form').send({ username: 'bob', password: 'bob-password' })
    ).body as { token: string };
    expect((await request(app).get('/api/v1/images/').set('Authorization', `Token ${token}`)).status).toBe(
      200,
    );
  });

  it('wrong credentials, an inactive user or a username of another case → non_field_errors', async () => {
    const refused = { non_field_errors: ['Unable to log in with provided credentials.'] };
    for (const body of [
      { username: 'demo', password: 'wrong' },
      { username: 'nobody', password: 'demo-password' },
      { username: 'retired', password: 'retired-password' },
      { username: 'DEMO', password: 'demo-password' },
      { username: 'demo', password: ' demo-password' },
    ]) {
      expect400(await request(app).post(LOGIN).type('form').send(body), refused);
    }
  });

  it('field errors, one entry per field, username before password', async () => {
    const required = ['This field is required.'];
    const blank = ['This field may not be blank.'];
    const cases: [string, unknown][] = [
      ['{}', { username: required, password: required }],
      ['{"password":"x"}', { username: required }],
      ['{"username":"demo"}', { password: required }],
      ['{"username":"","password":""}', { username: blank, password: blank }],
      ['{"username":"   ","password":"x"}', { username: blank }],
      ['{"username":null,"password":"x"}', { username: ['This field may not be null.'] }],
      [
        '{"username":true,"password":["x"]}',
        { username: ['Not a valid string.'], password: ['Not a valid string.'] },
      ],
      ['{"username":{"a":1},"password":"x"}', { username: ['Not a valid string.'] }],
    ];
    for (const [body, errors] of cases) expect400(await json(body), errors);
    expect400(await request(app).post(LOGIN).type('form').send('password=x'), { username: required });
    expect400(await request(app).post(LOGIN).type('form').send('username=&password=x'), { username: blank });
  });

  it('a number is taken as its text (DRF CharField)', async () => {
    expect400(await json('{"username":12,"password":3}'), {
      non_field_errors: ['Unable to log in with provided credentials.'],
    });
  });

  it('an empty body, with or without a content type, is empty data', async () => {
    const both = { username: ['This field is required.'], password: ['This field is required.'] };
    expect400(await request(app).post(LOGIN), both);
    expect400(await request(app).post(LOGIN).set('Content-Type', 'application/json'), both);
  });

  it('JSON that is not an object', async () => {
    const got = (t: string) => ({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${t}.`] });
    expect400(await json('[1,2]'), got('list'));
    expect400(await json('"demo"'), got('str'));
    expect400(await json('7'), got('int'));
    expect400(await json('7.5'), got('float'));
    expect400(await json('false'), got('bool'));
    expect400(await json('null'), { non_field_errors: ['No data provided'] });
  });

  it("malformed JSON → DRF's parse error with the CPython message", async () => {
    const cases: [string | Buffer, string][] = [
      ['{', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
      [
        '{"username": "demo",}',
        'Expecting property name enclosed in double quotes: line 1 column 21 (char 20)',
      ],
      ["{'username': 'demo'}", 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
      ['{"username" "demo"}', "Expecting ':' delimiter: line 1 column 13 (char 12)"],
      ['{\n  "a": 1\n  "b": 2\n}', "Expecting ',' delimiter: line 3 column 3 (char 13)"],
      ['username=demo', 'Expecting value: line 1 column 1 (char 0)'],
      ['{"a": 1} {}', 'Extra data: line 1 column 10 (char 9)'],
      ['{"a": NaN}', "Out of range float values are not JSON compliant: 'NaN'"],
      [
        Buffer.from([0x7b, 0xff, 0x7d]),
        "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte",
      ],
    ];
    for (const [body, message] of cases) {
      expect400(await json(body), { detail: `JSON parse error - ${message}` });
    }
  });

  it('an unsupported content type → 415 naming it exactly as sent', async () => {
    for (const type of ['text/plain', 'application/xml; charset=utf-8', 'application/jsonx']) {
      const res = await json('{"username":"demo","password":"demo-password"}', type);
      expect(res.status).toBe(415);
      expect(res.text).toBe(JSON.stringify({ detail: `Unsupported media type "${type}" in request.` }));
    }
  });

  it("multipart without a boundary → DRF's multipart parse error", async () => {
    expect400(await json('x', 'multipart/form-data'), {
      detail: 'Multipart form parse error - Invalid boundary in multipart: None',
    });
  });

  it("a body over the cap → Django's 400 page", async () => {
    const res = await request(app)
      .post(LOGIN)
      .type('form')
      .send(`username=demo&password=${'x'.repeat(5000)}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('text/html');
    expect(res.text).toBe('<h1>Bad Request (400)</h1>');
  });

  it('a bad token on the login view is still a 401 (DRF authenticates every view)', async () => {
    const res = await request(app)
      .post(LOGIN)
      .set('Authorization', 'Token nope')
      .type('form')
      .send({ username: 'demo', password: 'demo-password' });
    expect(res.status).toBe(401);
    expect(res.text).toBe('{"detail":"Invalid token."}');
    const good = await request(app)
      .post(LOGIN)
      .set('Authorization', `Token ${DEMO_KEY}`)
      .type('form')
      .send({ username: 'demo', password: 'demo-password' });
    expect(good.status).toBe(200);
  });

  it('GET and HEAD → 405 with Allow: POST, OPTIONS; OPTIONS → metadata', async () => {
    const get = await request(app).get(LOGIN);
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST, OPTIONS');
    expect(get.text).toBe('{"detail":"Method \\"GET\\" not allowed."}');
    expect((await request(app).head(LOGIN)).status).toBe(405);
    const options = await request(app).options(LOGIN);
    expect(options.status).toBe(200);
    expect(options.body).toEqual({
      name: 'Obtain Auth Token',
      description: '',
      renders: ['application/json'],
      parses: ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'],
    });
  });

  it('any mode: any username and password get a stable token that works', async () => {
    const { app: anyApp } = await testApp({ auth: 'any' });
    const a = await request(anyApp).post(LOGIN).type('form').send({ username: 'zoe', password: 'whatever' });
    const b = await request(anyApp).post(LOGIN).type('form').send({ username: 'zoe', password: 'other' });
    expect(a.status).toBe(200);
    expect(a.body.token).toMatch(/^[0-9a-f]{40}$/);
    expect(b.body.token).toBe(a.body.token);
    const demo = await request(anyApp)
      .post(LOGIN)
      .type('form')
      .send({ username: 'demo', password: 'demo-password' });
    expect(demo.body.token).toBe(DEMO_KEY);
    expect400(await request(anyApp).post(LOGIN).type('form').send({ username: 'zoe' }), {
      password: ['This field is required.'],
    });
    const list = await request(anyApp).get('/api/v1/images/').set('Authorization', `Token ${a.body.token}`);
    expect(list.status).toBe(200);
  });
});
