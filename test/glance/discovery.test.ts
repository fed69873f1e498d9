import { readFileSync } from 'node:fs';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { pythonJsonDumps } from '../../src/providers/glance/model/python-text.js';
import { as, type TestApp, testApp, USER } from './kit.js';

let t: TestApp;
beforeAll(async () => {
  // the hosts these tests send are allowed in links (--allowed-hosts); test/admin/guard.test.ts covers the refusal
  t = await testApp({ allowedHosts: ['glance.example', 'mock.test'] });
});

const VERSION_IDS = [
  'v2.16',
  'v2.15',
  'v2.14',
  'v2.9',
  'v2.7',
  'v2.6',
  'v2.5',
  'v2.4',
  'v2.3',
  'v2.2',
  'v2.1',
  'v2.0',
];

describe('versions', () => {
  it.each([
    ['/', 300],
    ['/versions', 200],
    ['/v3/images', 300],
    ['/v1/images', 300],
    ['/anything/else', 300],
  ])(
    'GET %s → %i with the version document, links from the request host, no token needed',
    async (path, status) => {
      const res = await request(t.app).get(path).set('Host', 'glance.example:9292');
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.body.versions.map((v: { id: string }) => v.id)).toEqual(VERSION_IDS);
      expect(res.body.versions[0]).toEqual({
        id: 'v2.16',
        status: 'CURRENT',
        links: [{ rel: 'self', href: 'http://glance.example:9292/v2/' }],
      });
      expect(res.body.versions.slice(1).every((v: { status: string }) => v.status === 'SUPPORTED')).toBe(
        true,
      );
      expect(
        res.text.startsWith(
          '{"versions": [{"id": "v2.16", "status": "CURRENT", "links": [{"rel": "self", "href": ',
        ),
      ).toBe(true);
    },
  );

  it('GET /v2 redirects to /v2/ (with a token)', async () => {
    const res = await as(t, 'user').get('/v2');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/\/v2\/$/);
  });
});

describe('schemas', () => {
  it.each(['image', 'images', 'member', 'members', 'metadefs/namespace', 'metadefs/resource_type'])(
    'GET /v2/schemas/%s serves schemas/glance/%s.json in Python spacing',
    async (name) => {
      const res = await as(t, 'user').get(`/v2/schemas/${name}`);
      expect(res.status).toBe(200);
      const file = JSON.parse(readFileSync(`schemas/glance/${name}.json`, 'utf8')) as unknown;
      expect(res.text).toBe(pythonJsonDumps(file));
    },
  );

  it('the image schema has no stores property and keeps custom properties as strings', async () => {
    const res = await as(t, 'user').get('/v2/schemas/image');
    expect(res.body.properties.stores).toBeUndefined();
    expect(res.body.additionalProperties).toEqual({ type: 'string' });
    const list = await as(t, 'user').get('/v2/schemas/images');
    expect(list.body.properties.images.items.properties.stores).toBeUndefined();
  });

  it('GET /v2/info/import lists the import methods', async () => {
    const res = await as(t, 'user').get('/v2/info/import');
    expect(res.text).toBe(
      '{"import-methods": {"description": "Import methods available.", "type": "array", "value": ["glance-direct", "web-download", "copy-image"]}}',
    );
  });
});

describe('Keystone v3 shim', () => {
  const login = (auth: unknown) =>
    request(t.app)
      .post('/v3/auth/tokens')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ auth }));
  const password = (name: string, pw: string, project?: unknown) => ({
    identity: {
      methods: ['password'],
      password: { user: { name, domain: { name: 'Default' }, password: pw } },
    },
    ...(project ? { scope: { project } } : {}),
  });

  it('a password login: 201, X-Subject-Token, a catalog pointing image at this server; the token works', async () => {
    const res = await login(
      password('demo', 'demo-secret', { name: 'demo', domain: { name: 'Default' } }),
    ).set('Host', 'mock.test:8080');
    expect(res.status).toBe(201);
    const token = res.headers['x-subject-token'] as string;
    expect(token).toMatch(/^gAAAAA/);
    expect(res.body.token.project).toEqual({
      domain: { id: 'default', name: 'Default' },
      id: USER,
      name: 'demo',
    });
    expect(res.body.token.roles.map((r: { name: string }) => r.name)).toEqual(['member', 'reader']);
    const image = res.body.token.catalog.find((s: { type: string }) => s.type === 'image');
    expect(image.endpoints.map((e: { interface: string; url: string }) => [e.interface, e.url])).toEqual([
      ['public', 'http://mock.test:8080'],
      ['internal', 'http://mock.test:8080'],
      ['admin', 'http://mock.test:8080'],
    ]);
    const list = await request(t.app).get('/v2/images?visibility=private').set('X-Auth-Token', token);
    expect(list.status).toBe(200);
    expect(list.body.images.every((i: { owner: string }) => i.owner === USER)).toBe(true);
  });

  it('a token login rescopes a known token', async () => {
    const res = await login({ identity: { methods: ['token'], token: { id: 'admin-token' } } });
    expect(res.status).toBe(201);
    expect(res.body.token.roles.map((r: { name: string }) => r.name)).toContain('admin');
  });

  it('wrong password, unknown user, foreign project → 401 in Keystone form', async () => {
    for (const auth of [
      password('demo', 'wrong'),
      password('nobody', 'x'),
      password('demo', 'demo-secret', { name: 'admin', domain: { name: 'Default' } }),
      { identity: { methods: ['token'], token: { id: 'no-such-token' } } },
    ]) {
      const res = await login(auth);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        error: {
          code: 401,
          title: 'Unauthorized',
          message: 'The request you have made requires authentication.',
        },
      });
    }
  });

  it('malformed bodies → 400, never 500', async () => {
    const notJson = await request(t.app).post('/v3/auth/tokens').send('{');
    expect(notJson.status).toBe(400);
    const noMethods = await login({ identity: {} });
    expect(noMethods.status).toBe(400);
    const nullAuth = await request(t.app)
      .post('/v3/auth/tokens')
      .set('Content-Type', 'application/json')
      .send('null');
    expect(nullAuth.status).toBe(400);
  });

  it('GET /v3 is Keystone version discovery', async () => {
    const res = await request(t.app).get('/v3');
    expect(res.status).toBe(200);
    expect(res.body.version.id).toBe('v3.14');
    expect(res.body.version.links[0].href).toMatch(/\/v3\/$/);
  });
});
