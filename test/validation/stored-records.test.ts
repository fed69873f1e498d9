import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { MockContext } from '../../src/context.js';
import { providers } from '../../src/providers/index.js';
import { as, OTHER, QUEUED_OF_USER, testApp } from '../glance/kit.js';
import { testContext } from '../helpers.js';

/**
 * Every stored record satisfies its collection's stored-record schema (the
 * one admin inserts are checked against before a provider sees them): the
 * seeded fixtures, and what the providers' own writes make.
 */

/** Each record that fails its collection's schema, with the first problem. */
function invalidRecords(ctx: MockContext, only?: string): string[] {
  const out: string[] = [];
  for (const provider of providers.filter((p) => only === undefined || p.name === only)) {
    const data = ctx.store.data(provider.name);
    for (const [collection, rules] of Object.entries(provider.collections)) {
      for (const record of data[collection] ?? []) {
        const issues = ctx.validator.check(rules.schema, record);
        if (issues) {
          const where = `${provider.name}/${collection} ${JSON.stringify(record).slice(0, 80)}`;
          out.push(`${where}: ${issues[0]!.path} ${issues[0]!.message}`);
        }
      }
    }
  }
  return out;
}

describe('stored-record schemas', () => {
  it.each(providers.map((p) => p.name))('%s: every store collection has one', (name) => {
    const provider = providers.find((p) => p.name === name)!;
    expect(Object.keys(provider.collections).sort()).toEqual(Object.keys(provider.store.collections).sort());
  });

  it('the check finds a stored record that breaks its schema', async () => {
    const ctx = await testContext();
    const data = ctx.store.data('glance');
    const broken = { ...structuredClone(data.images![0]!), tags: 5 };
    await ctx.store.replace('glance', { ...data, images: [broken] });
    expect(invalidRecords(ctx)).toEqual([expect.stringMatching(/^glance\/images .*: \/tags must be array$/)]);
  });

  it.each([42, 7, 123456])('every seeded record of every collection passes (seed %i)', async (seed) => {
    const ctx = await testContext({ seed });
    const counts = providers.map((p) => Object.values(ctx.store.data(p.name)).flat().length);
    expect(counts.every((n) => n > 0)).toBe(true);
    expect(invalidRecords(ctx)).toEqual([]);
  });
});

describe('records the providers create pass them too', () => {
  it('Glance: an image created, patched, tagged, uploaded, shared, imported, cached; a namespace and object', async () => {
    const t = await testApp();
    const user = as(t, 'user');
    const admin = as(t, 'admin');
    const made = await user
      .post('/v2/images', {
        name: 'made',
        disk_format: 'qcow2',
        container_format: 'bare',
        visibility: 'shared',
      })
      .expect(201);
    const id = made.body.id as string;
    await user
      .patch(`/v2/images/${id}`, [{ op: 'add', path: '/purpose', value: 'schema check' }])
      .expect(200);
    await user.put(`/v2/images/${id}/tags/checked`).expect(204);
    await user
      .put(`/v2/images/${id}/file`)
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.from('bytes'))
      .expect(204);
    await user.post(`/v2/images/${id}/members`, { member: OTHER }).expect(200);
    await admin.put(`/v2/cache/${id}`).expect(202);
    await user
      .put(`/v2/images/${QUEUED_OF_USER}/stage`)
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.from('staged'))
      .expect(204);
    await user.post(`/v2/images/${QUEUED_OF_USER}/import`, { method: { name: 'glance-direct' } }).expect(202);
    await expect
      .poll(async () => (await user.get(`/v2/images/${QUEUED_OF_USER}`)).body.status)
      .toBe('active');
    await admin.post('/v2/metadefs/namespaces', { namespace: 'Schema::Check' }).expect(201);
    await admin
      .post('/v2/metadefs/namespaces/Schema::Check/objects', {
        name: 'thing',
        properties: { size: { type: 'integer', title: 'Size' } },
      })
      .expect(201);
    await admin.post('/v2/metadefs/namespaces/Schema::Check/tags/hello', undefined).expect(201);
    const data = t.ctx.store.data('glance');
    for (const c of ['images', 'members', 'cache', 'tasks', 'metadef_objects', 'metadef_tags'])
      expect(data[c]!.length, c).toBeGreaterThan(0);
    expect(invalidRecords(t.ctx, 'glance')).toEqual([]);
  });

  it('Alliance: an image created and updated', async () => {
    const { app, ctx } = await testApp();
    const headers = {
      'X-Target-Ns': 'ccsr1',
      'X-Environment-Id': '54915a05b0bb43dcbb218525c426b6a5',
      'Content-Type': 'application/json',
    };
    const created = await request(app)
      .post('/images')
      .set(headers)
      .send({ image: { name: 'made', disk_format: 'qcow2', container_format: 'bare', min_ram: 1 } })
      .expect(201);
    const id = (created.body.image ?? created.body).id as string;
    await request(app)
      .patch(`/images/${id}`)
      .set(headers)
      .send({ image: { name: 'renamed', min_disk: 3 } })
      .expect(200);
    expect(invalidRecords(ctx, 'alliance')).toEqual([]);
  });
});

describe('admin inserts are checked against them before any provider sees a record', () => {
  it("Glance: {'id':'zzz'} is a 400 naming the field, and the image list still answers", async () => {
    const t = await testApp();
    const res = await request(t.app).post('/__admin/store/glance/images').send({ id: 'zzz' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^id: must match pattern/);
    const cases: [Record<string, unknown>, string][] = [
      [{ tags: 5 }, 'tags: must be array'],
      [{ tags: null }, 'tags: must be array'],
      [{ properties: { a: 1 } }, 'properties/a: must be string'],
      [{ min_ram: -1 }, 'min_ram: must be >= 0'],
      [{ visibility: 'everyone' }, 'visibility: must be equal to one of the allowed values'],
      [{ color: 'red' }, 'color: unknown field'],
    ];
    for (const [body, error] of cases) {
      const refused = await request(t.app).post('/__admin/store/glance/images').send(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error).toBe(error);
    }
    expect((await as(t, 'user').get('/v2/images')).status).toBe(200);
    expect(invalidRecords(t.ctx)).toEqual([]);
  });
});
