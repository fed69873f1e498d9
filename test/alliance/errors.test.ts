import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';

const SEED = { 'X-Target-Ns': 'ccsr1', 'X-Environment-Id': '54915a05b0bb43dcbb218525c426b6a5' };
const PROTECTED_ENV = { 'X-Target-Ns': 'ccsr1', 'X-Environment-Id': '3f1c0a8e9b7d4c2a8e6f5d4c3b2a1908' };
const PROTECTED_ID = '5b2e8f0c-7d4a-4e1b-9c3f-2a6d8e0b4f17';
const TELSTA = '1e29aea2-cd8b-4a76-b829-3ae8be5bc1ad';

let app: Awaited<ReturnType<typeof testApp>>['app'];
beforeEach(async () => {
  ({ app } = await testApp({ maxBodyBytes: 2048 }));
});

function expectEnvelope(res: request.Response, code: number, title: string, message?: string | RegExp) {
  expect(res.status).toBe(code);
  expect(res.headers['content-type']).toBe('application/json');
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(Object.keys(res.body.error)).toEqual(['code', 'title', 'message']);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.title).toBe(title);
  if (typeof message === 'string') expect(res.body.error.message).toBe(message);
  else if (message) expect(res.body.error.message).toMatch(message);
  expect(res.text).toBe(JSON.stringify(res.body));
}

const create = (body: unknown, headers: Record<string, string> = SEED) =>
  request(app)
    .post('/images')
    .set(headers)
    .set('Content-Type', 'application/json')
    .send(typeof body === 'string' ? body : JSON.stringify(body));

describe('required headers: X-Target-Ns first, then X-Environment-Id', () => {
  it('400 on every route and method when one is missing or empty', async () => {
    const routes = [
      request(app).get('/images'),
      request(app).post('/images'),
      request(app).get(`/images/${TELSTA}`),
      request(app).delete(`/images/${TELSTA}`),
      request(app).get('/images/a/b'),
      request(app).options('/images'),
    ];
    for (const req of routes) {
      expectEnvelope(await req, 400, 'Bad Request', 'Missing required header X-Target-Ns.');
    }
    expectEnvelope(
      await request(app).get('/images').set('X-Environment-Id', SEED['X-Environment-Id']),
      400,
      'Bad Request',
      'Missing required header X-Target-Ns.',
    );
    expectEnvelope(
      await request(app).get('/images').set('X-Target-Ns', 'ccsr1'),
      400,
      'Bad Request',
      'Missing required header X-Environment-Id.',
    );
    expectEnvelope(
      await request(app).get('/images').set({ 'X-Target-Ns': '  ', 'X-Environment-Id': '' }),
      400,
      'Bad Request',
      'Missing required header X-Target-Ns.',
    );
    expectEnvelope(
      await request(app).get('/images').set({ 'X-Target-Ns': 'ccsr1', 'X-Environment-Id': ' ' }),
      400,
      'Bad Request',
      'Missing required header X-Environment-Id.',
    );
  });

  it('Content-Type is not needed on GET and DELETE', async () => {
    expect((await request(app).get('/images').set(SEED)).status).toBe(200);
    expect((await request(app).delete(`/images/${TELSTA}`).set(SEED)).status).toBe(200);
  });
});

describe('request bodies', () => {
  it('wrapped and bare bodies create the same image; defaults as the spec lists', async () => {
    const wrapped = await create({ image: { name: 'a', disk_format: 'raw', container_format: 'bare' } });
    const bare = await create({ name: 'b', disk_format: 'raw', container_format: 'bare' });
    for (const res of [wrapped, bare]) {
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'queued',
        tags: [],
        min_ram: 0,
        min_disk: 0,
        visibility: 'private',
        owner: SEED['X-Environment-Id'],
        protected: false,
        checksum: null,
        size: null,
        virtual_size: null,
        schema: '/v2/schemas/image',
      });
      expect(res.body).not.toHaveProperty('copy_from');
      expect(res.body).not.toHaveProperty('self');
    }
    const empty = await create({});
    expect(empty.status).toBe(201);
    expect(empty.body).toMatchObject({ name: null, disk_format: null, container_format: null });
  });

  it('every Glance disk and container format is accepted', async () => {
    for (const f of ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop']) {
      expect((await create({ disk_format: f })).status).toBe(201);
    }
    for (const f of ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed']) {
      expect((await create({ container_format: f })).status).toBe(201);
    }
  });

  it('400 for values outside the Glance sets and for wrong types, naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ disk_format: 'qcow3' }, /^Invalid disk_format "qcow3": must be one of ami, ari/],
      [{ container_format: 'zip' }, /^Invalid container_format "zip"/],
      [{ visibility: 'everyone' }, /^Invalid visibility "everyone"/],
      [{ visibility: null }, /^Invalid visibility null/],
      [{ min_ram: -1 }, /^Invalid min_ram -1: must be a non-negative integer/],
      [{ min_disk: '500' }, /^Invalid min_disk "500"/],
      [{ min_disk: 1.5 }, /^Invalid min_disk 1.5/],
      [{ name: 7 }, /^Invalid name 7/],
      [{ name: 'x'.repeat(256) }, /^Invalid name "x+": must be a string of at most 255/],
      [{ protected: 'yes' }, /^Invalid protected "yes"/],
      [{ tags: 'a,b' }, /^Invalid tags "a,b"/],
      [{ tags: [1] }, /^Invalid tag 1/],
      [{ copy_from: 'ftp://x/y.img' }, /^Invalid copy_from "ftp:\/\/x\/y.img"/],
      [{ id: 'not-a-uuid' }, /^Invalid id "not-a-uuid": must be a UUID/],
      [{ colour: 'blue' }, /^Unknown attribute 'colour'\.$/],
      // beside the {"image": ...} wrapper, the other top-level key is what is unknown
      [{ image: { name: 'a' }, extra: 1 }, /^Unknown attribute 'extra'\.$/],
      [{ extra: 1, image: { name: 'a' } }, /^Unknown attribute 'extra'\.$/],
      [{ image: { name: 'a', colour: 'blue' }, extra: 1 }, /^Unknown attribute 'extra'\.$/],
      [{ image: 'a' }, /^The request body must be a JSON object/],
      [[{ name: 'a' }], /^The request body must be a JSON object/],
      ['"a"', /^The request body must be a JSON object/],
      ['null', /^The request body must be a JSON object/],
    ];
    for (const [body, message] of cases) expectEnvelope(await create(body), 400, 'Bad Request', message);
  });

  it('403 for read-only attributes', async () => {
    for (const field of ['status', 'owner', 'checksum', 'size', 'created_at', 'file', 'schema']) {
      expectEnvelope(await create({ [field]: 'x' }), 403, 'Forbidden', `Attribute '${field}' is read-only.`);
    }
    const res = await request(app)
      .patch(`/images/${TELSTA}`)
      .set(SEED)
      .set('Content-Type', 'application/json')
      .send({ id: '00000000-0000-4000-8000-000000000000' });
    expectEnvelope(res, 403, 'Forbidden', "Attribute 'id' is read-only.");
  });

  it('a client-chosen id is kept; a taken one is 409', async () => {
    const id = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    expect((await create({ id })).body.id).toBe(id);
    expectEnvelope(await create({ id }), 409, 'Conflict', `An image with ID ${id} already exists.`);
  });

  it('malformed JSON → 400; oversize → 413; wrong or missing content type → 415', async () => {
    expectEnvelope(await create('{"name": '), 400, 'Bad Request', 'Malformed JSON in request body.');
    expectEnvelope(await create(''), 400, 'Bad Request', /^The request body is empty/);
    expectEnvelope(await create({ name: 'x'.repeat(3000) }), 413, 'Payload Too Large');
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await request(app).post('/images').set(SEED).set('Content-Type', type).send('name=x');
      expectEnvelope(res, 415, 'Unsupported Media Type', new RegExp(`^Unsupported Content-Type '${type}'`));
    }
    const none = await request(app).put(`/images/${TELSTA}`).set(SEED).send(Buffer.from('{}'));
    expectEnvelope(none, 415, 'Unsupported Media Type', /^Missing Content-Type/);
    const charset = await request(app)
      .post('/images')
      .set(SEED)
      .set('Content-Type', 'application/json; charset=utf-8')
      .send('{"name":"ok"}');
    expect(charset.status).toBe(201);
    const latin = await request(app)
      .post('/images')
      .set(SEED)
      .set('Content-Type', 'application/json; charset=koi8-r')
      .send('{"name":"ok"}');
    expectEnvelope(latin, 415, 'Unsupported Media Type');
  });
});

describe('lookups, ownership and methods', () => {
  it('unknown ids and names → 404 with the spec wording', async () => {
    for (const ref of ['00000000-0000-4000-8000-000000000000', 'no-such-name', '%E2%82%AC']) {
      const res = await request(app).get(`/images/${ref}`).set(SEED);
      expectEnvelope(res, 404, 'Not Found', `No image found with ID ${decodeURIComponent(ref)}`);
    }
    for (const method of ['patch', 'put'] as const) {
      const agent = request(app);
      const res = await agent[method]('/images/nope')
        .set(SEED)
        .set('Content-Type', 'application/json')
        .send('{}');
      expectEnvelope(res, 404, 'Not Found', 'No image found with ID nope');
    }
    expectEnvelope(await request(app).delete('/images/nope').set(SEED), 404, 'Not Found');
  });

  it('a name shared by several images → 409; an id always wins', async () => {
    for (const method of ['get', 'delete'] as const) {
      expectEnvelope(
        await request(app)[method]('/images/cirrosimage').set(SEED),
        409,
        'Conflict',
        '2 images are named cirrosimage; use the image ID instead.',
      );
    }
    const byName = await request(app).get('/images/telstaimage').set(SEED);
    expect(byName.body.id).toBe(TELSTA);
  });

  it('a protected image cannot be deleted (403), and can be once unprotected', async () => {
    expectEnvelope(
      await request(app).delete(`/images/${PROTECTED_ID}`).set(PROTECTED_ENV),
      403,
      'Forbidden',
      `Image ${PROTECTED_ID} is protected and cannot be deleted.`,
    );
    const unprotect = await request(app)
      .patch(`/images/${PROTECTED_ID}`)
      .set(PROTECTED_ENV)
      .set('Content-Type', 'application/json')
      .send({ image: { protected: false } });
    expect(unprotect.status).toBe(200);
    expect((await request(app).delete(`/images/${PROTECTED_ID}`).set(PROTECTED_ENV)).status).toBe(200);
  });

  it('other methods → 405 with Allow', async () => {
    const list = await request(app).delete('/images').set(SEED);
    expectEnvelope(list, 405, 'Method Not Allowed', /^Method DELETE is not allowed on \/images/);
    expect(list.headers.allow).toBe('GET, POST, HEAD');
    for (const method of ['post', 'options'] as const) {
      const one = await request(app)[method](`/images/${TELSTA}`).set(SEED);
      expectEnvelope(one, 405, 'Method Not Allowed');
      expect(one.headers.allow).toBe('GET, PATCH, PUT, DELETE, HEAD');
    }
  });

  it('HEAD answers like GET without a body', async () => {
    const head = await request(app).head(`/images/${TELSTA}`).set(SEED);
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(100);
  });

  it('paths below an image → 404 in the envelope', async () => {
    expectEnvelope(await request(app).get(`/images/${TELSTA}/file`).set(SEED), 404, 'Not Found');
  });
});
