import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { isRegistered } from './kit/profiles.js';
import { type RawRequest, send, startTestServer } from './kit/raw-http.js';

/**
 * Isolation matrix, per provider, in strict auth mode: each credential sees
 * and changes only what it should, and what only an admin may do is refused
 * to everyone else.
 */
let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ auth: 'strict' });
});
afterAll(() => server.close());

const ask = (req: RawRequest) => send(server.url, req);
const body = <T>(text: string) => JSON.parse(text) as T;
const JSON_TYPE = { 'Content-Type': 'application/json' };

describe('CloudMC: API keys and the environments they are bound to', () => {
  const environments = [
    'stackpath/test-area',
    'stackpath/production',
    'cox/test-area',
    'cox/staging',
    'edge-services/test-area',
    'edge-services/production',
  ];
  // The bindings in fixtures/cloudmc/api-keys.json, spelled out: which environments each key may read.
  const matrix: Record<string, string[]> = {
    'mc-demo-key': environments,
    'stackpath-test-area-key': ['stackpath/test-area'],
    'cox-test-area-key': ['cox/test-area', 'edge-services/test-area'],
    'cox-all-key': ['cox/test-area', 'cox/staging', 'edge-services/test-area', 'edge-services/production'],
  };
  const cases = Object.entries(matrix).flatMap(([key, allowed]) =>
    environments.map((env) => [key, env, allowed.includes(env)] as const),
  );

  it.each(cases)('%s on %s: allowed %s', async (key, env, allowed) => {
    const [service, environment] = env.split('/');
    const prefix = service === 'edge-services' ? '/api/v2' : '/api/v1';
    const res = await ask({
      method: 'GET',
      path: `${prefix}/services/${env}/images`,
      headers: { 'MC-Api-Key': key },
    });
    if (allowed) {
      expect(res.status).toBe(200);
      return;
    }
    expect(res.status).toBe(403);
    expect(body<{ errors: unknown[] }>(res.text).errors[0]).toEqual({
      code: 1003,
      message: `Access denied to environment '${environment}' of service '${service}'.`,
      context: { serviceCode: service, environment },
    });
  });

  it('a custom image of one environment is invisible from another, even to a key bound to both', async () => {
    const insert = await ask({
      method: 'POST',
      path: '/__admin/store/cloudmc/images',
      headers: JSON_TYPE,
      body: JSON.stringify({ serviceCode: 'cox', environment: 'staging', family: 'staging-only', tag: 'v1' }),
    });
    expect(insert.status).toBe(201);
    const key = { 'MC-Api-Key': 'cox-all-key' };
    const families = async (env: string) =>
      body<{ data: { family: string }[] }>(
        (await ask({ method: 'GET', path: `/api/v1/services/cox/${env}/images`, headers: key })).text,
      ).data.map((i) => i.family);
    expect(await families('staging')).toContain('staging-only');
    expect(await families('test-area')).not.toContain('staging-only');
    const id = '115fe2bd-f116-4f1f-8286-8650da9c13ec/staging-only/v1';
    expect(
      (await ask({ method: 'GET', path: `/api/v1/services/cox/staging/images/${id}`, headers: key })).status,
    ).toBe(200);
    expect(
      (await ask({ method: 'GET', path: `/api/v1/services/cox/test-area/images/${id}`, headers: key }))
        .status,
    ).toBe(404);
  });

  it('no key can change anything through the API: writes are 405 even for the all-environments key', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await ask({
        method,
        path: '/api/v1/services/stackpath/test-area/images',
        headers: { 'MC-Api-Key': 'mc-demo-key', ...JSON_TYPE },
        body: '{}',
      });
      expect(res.status).toBe(405);
      expect(body<{ errors: { code: number }[] }>(res.text).errors[0]!.code).toBe(1008);
    }
  });
});

describe.runIf(isRegistered('sharedcloud'))('Sharedcloud: users, tokens and instances', () => {
  const token = {
    demo: 'Token 6507c5b574a4142649e869c02c4eed085353fa75',
    alice: 'Token 7cbf636b38c1122e2f98dfb50360bbc81ae1f8a7',
    bob: 'Token 353b335762922cfff9fa3f2b62789107500abf44',
  };
  const demoLaptop = '26118515-35c9-4467-a57f-50d562829a94';
  const alicesWorkstation = '08776df1-277a-4d80-a075-2dda548c80ec';
  const list = async (who: keyof typeof token, query = '') => {
    const res = await ask({
      method: 'GET',
      path: `/api/v1/images/${query}`,
      headers: { Authorization: token[who] },
    });
    expect(res.status).toBe(200);
    return body<{ uuid: string }[]>(res.text).map((i) => i.uuid);
  };

  it('the catalogue is the same for every user', async () => {
    const demo = await list('demo');
    expect(demo.length).toBeGreaterThan(0);
    expect(await list('alice')).toEqual(demo);
    expect(await list('bob')).toEqual(demo);
  });

  it('an instance filter shows only the caller’s own instance; anyone else’s is empty', async () => {
    expect(await list('demo', `?instance=${demoLaptop}`)).toEqual(['24b310f8-1405-4928-914f-d5c91272f88a']);
    expect(await list('alice', `?instance=${demoLaptop}`)).toEqual([]);
    expect(await list('bob', `?instance=${demoLaptop}`)).toEqual([]);
    expect((await list('alice', `?instance=${alicesWorkstation}`)).length).toBe(2);
    expect(await list('demo', `?instance=${alicesWorkstation}`)).toEqual([]);
  });

  it('an inactive user’s token and a login as that user are refused', async () => {
    const res = await ask({
      method: 'GET',
      path: '/api/v1/images/',
      headers: { Authorization: 'Token dd7e0f73771918f26ab6f06f2c276d1e371c6293' },
    });
    expect(res.status).toBe(401);
    expect(res.text).toBe('{"detail":"User inactive or deleted."}');
    const login = await ask({
      method: 'POST',
      path: '/api/v1/api-token-auth/',
      headers: JSON_TYPE,
      body: '{"username":"retired","password":"retired-password"}',
    });
    expect(login.status).toBe(400);
    expect(login.text).toBe('{"non_field_errors":["Unable to log in with provided credentials."]}');
  });

  it('login hands each user their own token only', async () => {
    for (const [user, header] of Object.entries(token)) {
      const res = await ask({
        method: 'POST',
        path: '/api/v1/api-token-auth/',
        headers: JSON_TYPE,
        body: JSON.stringify({ username: user, password: `${user}-password` }),
      });
      expect(res.text).toBe(`{"token":"${header.split(' ')[1]}"}`);
    }
  });

  it('nobody can change the catalogue: anonymous writes are 401, authenticated ones 405', async () => {
    const path = '/api/v1/images/24b310f8-1405-4928-914f-d5c91272f88a/';
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const anonymous = await ask({ method, path });
      expect(anonymous.status).toBe(401);
      const demo = await ask({ method, path, headers: { Authorization: token.demo } });
      expect(demo.status).toBe(405);
      expect(demo.text).toBe(`{"detail":"Method \\"${method}\\" not allowed."}`);
    }
  });
});

describe.runIf(isRegistered('alliance'))('Alliance: namespace and environment pairs', () => {
  const as = (ns: string, env: string) => ({ 'X-Target-Ns': ns, 'X-Environment-Id': env, ...JSON_TYPE });
  const A = as('ccsr1', 'iso-env-a');
  const B = as('ccsr1', 'iso-env-b');
  const OTHER_NS = as('ccsr2', 'iso-env-a');
  let privateId: string;
  let publicId: string;
  const ids = async (headers: Record<string, string>) =>
    body<{ images: { id: string }[] }>(
      (await ask({ method: 'GET', path: '/images', headers })).text,
    ).images.map((i) => i.id);

  beforeAll(async () => {
    const create = async (image: Record<string, unknown>) => {
      const res = await ask({ method: 'POST', path: '/images', headers: A, body: JSON.stringify({ image }) });
      expect(res.status).toBe(201);
      return body<{ id: string }>(res.text).id;
    };
    privateId = await create({ name: 'iso-private', disk_format: 'raw', container_format: 'bare' });
    publicId = await create({
      name: 'iso-public',
      disk_format: 'raw',
      container_format: 'bare',
      visibility: 'public',
    });
  });

  it('a private image is seen only by its own pair', async () => {
    expect(await ids(A)).toContain(privateId);
    expect(await ids(B)).not.toContain(privateId);
    expect(await ids(OTHER_NS)).not.toContain(privateId);
    for (const headers of [B, OTHER_NS]) {
      expect((await ask({ method: 'GET', path: `/images/${privateId}`, headers })).status).toBe(404);
    }
  });

  it('another pair cannot change or delete a private image: 404, and it is unchanged', async () => {
    for (const headers of [B, OTHER_NS]) {
      const patch = await ask({
        method: 'PATCH',
        path: `/images/${privateId}`,
        headers,
        body: '{"image":{"name":"taken"}}',
      });
      expect(patch.status).toBe(404);
      expect((await ask({ method: 'DELETE', path: `/images/${privateId}`, headers })).status).toBe(404);
    }
    const mine = await ask({ method: 'GET', path: `/images/${privateId}`, headers: A });
    expect(body<{ name: string }>(mine.text).name).toBe('iso-private');
  });

  it('a public image is seen across the namespace, not outside it, and changed only by its owner', async () => {
    expect(await ids(B)).toContain(publicId);
    expect(await ids(OTHER_NS)).not.toContain(publicId);
    const patch = await ask({
      method: 'PATCH',
      path: `/images/${publicId}`,
      headers: B,
      body: '{"image":{"name":"taken"}}',
    });
    expect(patch.status).toBe(403);
    expect((await ask({ method: 'DELETE', path: `/images/${publicId}`, headers: B })).status).toBe(403);
    const mine = await ask({
      method: 'PATCH',
      path: `/images/${publicId}`,
      headers: A,
      body: '{"image":{"min_ram":64}}',
    });
    expect(mine.status).toBe(200);
  });

  it('without both routing headers nothing is served', async () => {
    const partial: Record<string, string>[] = [
      { 'X-Target-Ns': 'ccsr1' },
      { 'X-Environment-Id': 'iso-env-a' },
      {},
    ];
    for (const headers of partial) {
      expect((await ask({ method: 'GET', path: '/images', headers })).status).toBe(400);
    }
  });
});

describe.runIf(isRegistered('glance'))('Glance: projects, members and admin-only actions', () => {
  const ADMIN = { 'X-Auth-Token': 'admin-token' };
  const DEMO = { 'X-Auth-Token': 'user-token' };
  const OTHER = { 'X-Auth-Token': 'other-token' };
  const OTHER_PROJECT = 'c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2';
  const create = async (headers: Record<string, string>, image: Record<string, unknown>) =>
    ask({
      method: 'POST',
      path: '/v2/images',
      headers: { ...headers, ...JSON_TYPE },
      body: JSON.stringify(image),
    });
  const listIds = async (headers: Record<string, string>, query = '') =>
    body<{ images: { id: string }[] }>(
      (await ask({ method: 'GET', path: `/v2/images?limit=1000${query}`, headers })).text,
    ).images.map((i) => i.id);
  let privateId: string;
  beforeAll(async () => {
    const res = await create(DEMO, { name: 'iso-private', visibility: 'private' });
    expect(res.status).toBe(201);
    privateId = body<{ id: string }>(res.text).id;
  });

  it('a private image is invisible to another project (404, never 403) and visible to admins', async () => {
    expect(await listIds(DEMO)).toContain(privateId);
    expect(await listIds(OTHER)).not.toContain(privateId);
    expect((await ask({ method: 'GET', path: `/v2/images/${privateId}`, headers: OTHER })).status).toBe(404);
    expect((await ask({ method: 'GET', path: `/v2/images/${privateId}`, headers: ADMIN })).status).toBe(200);
  });

  it('another project can neither patch nor delete it', async () => {
    const patch = await ask({
      method: 'PATCH',
      path: `/v2/images/${privateId}`,
      headers: { ...OTHER, 'Content-Type': 'application/openstack-images-v2.1-json-patch' },
      body: '[{"op":"replace","path":"/name","value":"taken"}]',
    });
    expect(patch.status).toBe(404);
    expect((await ask({ method: 'DELETE', path: `/v2/images/${privateId}`, headers: OTHER })).status).toBe(
      404,
    );
    const still = await ask({ method: 'GET', path: `/v2/images/${privateId}`, headers: DEMO });
    expect(body<{ name: string }>(still.text).name).toBe('iso-private');
  });

  it('only an admin may publish an image', async () => {
    const res = await create(DEMO, { name: 'iso-public', visibility: 'public' });
    expect(res.status).toBe(403);
    expect((await create(ADMIN, { name: 'iso-public', visibility: 'public' })).status).toBe(201);
  });

  it('a shared image reaches a member project only once the member accepts', async () => {
    const res = await create(DEMO, { name: 'iso-shared', visibility: 'shared' });
    const id = body<{ id: string }>(res.text).id;
    const add = await ask({
      method: 'POST',
      path: `/v2/images/${id}/members`,
      headers: { ...DEMO, ...JSON_TYPE },
      body: JSON.stringify({ member: OTHER_PROJECT }),
    });
    expect(add.status).toBe(200);
    expect(await listIds(OTHER)).not.toContain(id);
    const accept = await ask({
      method: 'PUT',
      path: `/v2/images/${id}/members/${OTHER_PROJECT}`,
      headers: { ...OTHER, ...JSON_TYPE },
      body: '{"status":"accepted"}',
    });
    expect(accept.status).toBe(200);
    expect(await listIds(OTHER)).toContain(id);
  });

  it('deactivate and reactivate are refused to non-admins, even the owner', async () => {
    for (const action of ['deactivate', 'reactivate']) {
      const res = await ask({
        method: 'POST',
        path: `/v2/images/${privateId}/actions/${action}`,
        headers: { ...DEMO, Accept: 'application/json' },
      });
      expect(res.status).toBe(403);
      expect(body<{ message: string }>(res.text).message).toContain(
        `You are not authorized to complete ${action} action.`,
      );
    }
  });
});

describe('test sandboxes: each one a separate world', () => {
  const MC = { 'MC-Api-Key': 'mc-demo-key' };
  const families = async (prefix: string) =>
    body<{ data: { family: string }[] }>(
      (await ask({ method: 'GET', path: `${prefix}/api/v1/services/cox/test-area/images`, headers: MC }))
        .text,
    ).data.map((i) => i.family);
  const insert = (prefix: string, family: string) =>
    ask({
      method: 'POST',
      path: `${prefix}/__admin/store/cloudmc/images`,
      headers: JSON_TYPE,
      body: JSON.stringify({ serviceCode: 'cox', environment: 'test-area', family, tag: 'v1' }),
    });
  let sandbox: { id: string; basePath: string };

  beforeAll(async () => {
    const res = await ask({ method: 'POST', path: '/__admin/sandboxes', headers: JSON_TYPE, body: '{}' });
    expect(res.status).toBe(201);
    sandbox = body<{ id: string; basePath: string }>(res.text);
  });

  it('what is arranged inside a sandbox stays there, and the main instance’s records stay out of it', async () => {
    expect((await insert(sandbox.basePath, 'sandbox-only')).status).toBe(201);
    expect((await insert('', 'main-only')).status).toBe(201);
    expect(await families(sandbox.basePath)).toContain('sandbox-only');
    expect(await families(sandbox.basePath)).not.toContain('main-only');
    expect(await families('')).toContain('main-only');
    expect(await families('')).not.toContain('sandbox-only');
  });

  it.runIf(isRegistered('alliance'))(
    'provider writes inside a sandbox are invisible outside it',
    async () => {
      const headers = { 'X-Target-Ns': 'ccsr1', 'X-Environment-Id': 'sandboxed', ...JSON_TYPE };
      const created = await ask({
        method: 'POST',
        path: `${sandbox.basePath}/images`,
        headers,
        body: '{"image":{"name":"in-the-sandbox"}}',
      });
      expect(created.status).toBe(201);
      const { id } = body<{ id: string }>(created.text);
      expect((await ask({ method: 'GET', path: `${sandbox.basePath}/images/${id}`, headers })).status).toBe(
        200,
      );
      expect((await ask({ method: 'GET', path: `/images/${id}`, headers })).status).toBe(404);
    },
  );

  it('a sandbox cannot make sandboxes, and once deleted its paths are gone', async () => {
    const nested = await ask({
      method: 'POST',
      path: `${sandbox.basePath}/__admin/sandboxes`,
      headers: JSON_TYPE,
      body: '{}',
    });
    expect(nested.status).toBe(404);
    expect((await ask({ method: 'DELETE', path: `/__admin/sandboxes/${sandbox.id}` })).status).toBe(204);
    const after = await ask({
      method: 'GET',
      path: `${sandbox.basePath}/api/v1/services/cox/test-area/images`,
      headers: MC,
    });
    expect(after.status).toBe(404);
  });
});
