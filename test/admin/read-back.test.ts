import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../src/providers/index.js';
import { testApp } from '../helpers.js';

/**
 * Every collection the admin API arranges, through the provider's own read:
 * an admin insert shows in the next request, an admin delete is gone from
 * it. Each case names the collection, a record to insert, its admin id, and
 * the provider request that reads it (its status with and without the record).
 */
let t: Awaited<ReturnType<typeof testApp>>;
beforeEach(async () => {
  t = await testApp();
});

const UUID = 'dddddddd-0000-4000-8000-00000000000d';
const SC_TOKEN = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const DEMO_TOKEN = '6507c5b574a4142649e869c02c4eed085353fa75';

interface Case {
  provider: string;
  collection: string;
  record: Record<string, unknown>;
  id: string;
  /** The provider's read, and what it answers while the record is there (`present`) and once it is not. */
  read: () => request.Test;
  present: number;
  absent: number;
  /** For reads whose status stays 200: what the body shows while the record is there. */
  shows?: (body: unknown) => boolean;
}

const CASES: Case[] = [
  {
    provider: 'cloudmc',
    collection: 'images',
    record: { serviceCode: 'stackpath', environment: 'test-area', family: 'readback', tag: 'v1' },
    id: 'stackpath/4a5cc57c-3e7f-4800-bb0b-cfcadef4797e/readback/v1',
    read: () =>
      request(t.app)
        .get('/api/v1/services/stackpath/test-area/images/4a5cc57c-3e7f-4800-bb0b-cfcadef4797e/readback/v1')
        .set('MC-Api-Key', 'mc-demo-key'),
    present: 200,
    absent: 404,
  },
  {
    provider: 'cloudmc',
    collection: 'apiKeys',
    record: { key: 'readback-key', name: 'read back', bindings: [{ serviceCode: '*', environment: '*' }] },
    id: 'readback-key',
    read: () =>
      request(t.app).get('/api/v1/services/stackpath/test-area/images').set('MC-Api-Key', 'readback-key'),
    present: 200,
    absent: 401,
  },
  {
    provider: 'cloudmc',
    collection: 'connections',
    record: {
      serviceCode: 'readback',
      flavour: 'cox',
      name: 'Read back',
      slug: 'read-back',
      systemStackId: 'a8050b2b-39eb-4929-bce5-1af42055903e',
      environments: [{ name: 'test-area', stackId: 'eeeeeeee-0000-4000-8000-00000000000e' }],
    },
    id: 'readback',
    read: () =>
      request(t.app).get('/api/v1/services/readback/test-area/images').set('MC-Api-Key', 'mc-demo-key'),
    present: 200,
    absent: 404,
  },
  {
    provider: 'sharedcloud',
    collection: 'images',
    record: { uuid: UUID, name: 'readback', runtime: 'node8' },
    id: UUID,
    read: () => request(t.app).get(`/api/v1/images/${UUID}/`).set('Authorization', `Token ${DEMO_TOKEN}`),
    present: 200,
    absent: 404,
  },
  {
    provider: 'sharedcloud',
    collection: 'users',
    record: { username: 'readback', password: 'pw', token: SC_TOKEN },
    id: 'readback',
    read: () => request(t.app).get('/api/v1/images/').set('Authorization', `Token ${SC_TOKEN}`),
    present: 200,
    absent: 401,
  },
  {
    provider: 'sharedcloud',
    collection: 'instances',
    record: { uuid: UUID, owner: 'demo', name: 'readback', images: ['2413a0f8-c105-4928-914f-d5c93173f88a'] },
    id: UUID,
    read: () =>
      request(t.app).get(`/api/v1/images/?instance=${UUID}`).set('Authorization', `Token ${DEMO_TOKEN}`),
    present: 200,
    absent: 200,
    shows: (body) => Array.isArray(body) && body.length === 1,
  },
  {
    provider: 'alliance',
    collection: 'images',
    record: { id: UUID, namespace: 'ccsr1', owner: '54915a05b0bb43dcbb218525c426b6a5', name: 'readback' },
    id: UUID,
    read: () =>
      request(t.app)
        .get(`/images/${UUID}`)
        .set('X-Target-Ns', 'ccsr1')
        .set('X-Environment-Id', '54915a05b0bb43dcbb218525c426b6a5'),
    present: 200,
    absent: 404,
  },
  {
    provider: 'glance',
    collection: 'images',
    record: { id: UUID, name: 'readback', visibility: 'public' },
    id: UUID,
    read: () => request(t.app).get(`/v2/images/${UUID}`).set('X-Auth-Token', 'user-token'),
    present: 200,
    absent: 404,
  },
  {
    provider: 'glance',
    collection: 'tokens',
    record: {
      token: 'readback-token',
      project_id: 'b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1',
      project_name: 'demo',
      user_id: 'u',
      user_name: 'u',
      roles: ['member'],
      expires_at: '2099-01-01T00:00:00.000000Z',
    },
    id: 'readback-token',
    read: () => request(t.app).get('/v2/images').set('X-Auth-Token', 'readback-token'),
    present: 200,
    absent: 401,
  },
  {
    provider: 'glance',
    collection: 'users',
    record: {
      id: 'readback-user',
      name: 'readback',
      password: 'pw',
      domain: 'default',
      project_id: 'b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1',
      project_name: 'demo',
      roles: ['member'],
    },
    id: 'readback',
    read: () =>
      request(t.app)
        .post('/v3/auth/tokens')
        .send({
          auth: {
            identity: {
              methods: ['password'],
              password: { user: { name: 'readback', domain: { id: 'default' }, password: 'pw' } },
            },
          },
        }),
    present: 201,
    absent: 401,
  },
  {
    provider: 'glance',
    collection: 'tasks',
    record: {
      id: UUID,
      type: 'api_image_import',
      status: 'success',
      owner: 'b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1',
      created_at: '2026-01-01T00:00:00.000000',
      updated_at: '2026-01-01T00:00:00.000000',
      expires_at: null,
      image_id: null,
      request_id: null,
      user_id: null,
      input: {},
      result: null,
      message: '',
    },
    id: UUID,
    read: () => request(t.app).get(`/v2/tasks/${UUID}`).set('X-Auth-Token', 'admin-token'),
    present: 200,
    absent: 404,
  },
  {
    provider: 'glance',
    collection: 'cache',
    record: { image_id: UUID, state: 'cached', hits: 3, last_accessed: 1, last_modified: 1, size: 5 },
    id: UUID,
    read: () => request(t.app).get('/v2/cache').set('X-Auth-Token', 'admin-token'),
    present: 200,
    absent: 200,
    shows: (body) =>
      (body as { cached_images: { image_id: string }[] }).cached_images.some((c) => c.image_id === UUID),
  },
  ...metadefCases(),
];

/** The metadata definitions, each read through the metadefs API of the namespace OS::Software::WebServers (id 1). */
function metadefCases(): Case[] {
  const ns = '/v2/metadefs/namespaces/OS::Software::WebServers';
  const admin = (path: string) => () => request(t.app).get(path).set('X-Auth-Token', 'admin-token');
  const stamp = { created_at: '2026-01-01T00:00:00Z', updated_at: null };
  const names = (key: string) => (body: unknown) =>
    JSON.stringify((body as Record<string, unknown>)[key] ?? {}).includes('readback');
  return [
    {
      provider: 'glance',
      collection: 'metadef_namespaces',
      record: {
        id: 990,
        namespace: 'Readback::NS',
        display_name: null,
        description: null,
        visibility: 'public',
        protected: false,
        owner: null,
        ...stamp,
      },
      id: '990',
      read: admin('/v2/metadefs/namespaces/Readback::NS'),
      present: 200,
      absent: 404,
    },
    {
      provider: 'glance',
      collection: 'metadef_objects',
      record: {
        id: 990,
        namespace_id: 1,
        name: 'readback',
        description: null,
        required: null,
        properties: null,
        ...stamp,
      },
      id: '990',
      read: admin(`${ns}/objects/readback`),
      present: 200,
      absent: 404,
    },
    {
      provider: 'glance',
      collection: 'metadef_properties',
      record: {
        id: 990,
        namespace_id: 1,
        name: 'readback',
        schema: { type: 'string', title: 'r' },
        ...stamp,
      },
      id: '990',
      read: admin(`${ns}/properties/readback`),
      present: 200,
      absent: 404,
    },
    {
      provider: 'glance',
      collection: 'metadef_tags',
      record: { id: 990, namespace_id: 1, name: 'readback', ...stamp },
      id: '990',
      read: admin(`${ns}/tags/readback`),
      present: 200,
      absent: 404,
    },
    {
      provider: 'glance',
      collection: 'metadef_resource_types',
      record: { name: 'Readback::Type', protected: false, ...stamp },
      id: 'Readback::Type',
      read: admin('/v2/metadefs/resource_types'),
      present: 200,
      absent: 200,
      shows: (body) => JSON.stringify(body).includes('Readback::Type'),
    },
    {
      provider: 'glance',
      collection: 'metadef_associations',
      record: {
        namespace_id: 1,
        name: 'OS::Trove::Instance',
        prefix: 'readback_',
        properties_target: null,
        ...stamp,
      },
      id: '1/OS::Trove::Instance',
      read: admin(`${ns}/resource_types`),
      present: 200,
      absent: 200,
      shows: names('resource_type_associations'),
    },
  ];
}

describe('an admin insert or delete shows in the provider’s next read, for every collection', () => {
  it('every collection of every provider has a case here (members: test/glance/admin-store.test.ts)', () => {
    const all = providers.flatMap((p) => Object.keys(p.collections).map((c) => `${p.name}/${c}`));
    const covered = [...CASES.map((c) => `${c.provider}/${c.collection}`), 'glance/members'];
    expect(all.filter((name) => !covered.includes(name))).toEqual([]);
  });

  it.each(CASES)('$provider/$collection', async (c) => {
    const check = async (status: number, present: boolean) => {
      const res = await c.read();
      expect(res.status).toBe(status);
      if (c.shows) expect(c.shows(res.body)).toBe(present);
    };
    await check(c.absent, false);
    const inserted = await request(t.app).post(`/__admin/store/${c.provider}/${c.collection}`).send(c.record);
    expect(inserted.status, JSON.stringify(inserted.body)).toBe(201);
    await check(c.present, true);
    const removed = await request(t.app).delete(`/__admin/store/${c.provider}/${c.collection}/${c.id}`);
    expect(removed.status).toBe(204);
    await check(c.absent, false);
  });
});

describe('DELETE on a collection empties it', () => {
  it('the provider then reads none of its records, and the admin list is empty', async () => {
    expect(
      (await request(t.app).get('/v2/images').set('X-Auth-Token', 'admin-token')).body.images.length,
    ).toBeGreaterThan(0);
    expect((await request(t.app).delete('/__admin/store/glance/images')).status).toBe(204);
    expect((await request(t.app).get('/v2/images').set('X-Auth-Token', 'admin-token')).body.images).toEqual(
      [],
    );
    expect((await request(t.app).get('/__admin/store/glance/images')).body.records).toEqual([]);
    expect((await request(t.app).delete('/__admin/store/glance/nothing')).status).toBe(404);
  });
});
