import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, type TestApp, testApp } from '../glance/kit.js';

/** What the drift check against a real Glance 25 found, pinned here so it cannot come back unnoticed. */
let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  t.ctx.clock.freeze(new Date('2026-07-08T09:10:11Z'));
});
afterEach(() => t.ctx.store.close());

const create = async (body: Record<string, unknown>) => {
  const res = await as(t, 'user').post('/v2/images', body);
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const upload = (id: string, bytes = Buffer.from('drift check data')) =>
  as(t, 'user').put(`/v2/images/${id}/file`).set('Content-Type', 'application/octet-stream').send(bytes);

describe('Glance as the drift check against a real Glance found it', () => {
  it('lists images made in the same second newest first, whatever their ids', async () => {
    const ids = [];
    for (const id of ['d', 'c', 'b', 'a'].map((c) => `0000000${c}-0000-4000-8000-000000000000`)) {
      ids.push(await create({ id, name: `same-second-${id}`, tags: ['same-second'] }));
    }
    const res = await as(t, 'user').get('/v2/images?tag=same-second');
    expect(res.body.images.map((i: { id: string }) => i.id)).toEqual([...ids].reverse());
    // paging walks the same order
    const first = await as(t, 'user').get('/v2/images?tag=same-second&limit=2');
    const rest = await as(t, 'user').get(
      `/v2/images?tag=same-second&limit=2&marker=${first.body.images[1].id}`,
    );
    expect([...first.body.images, ...rest.body.images].map((i: { id: string }) => i.id)).toEqual(
      [...ids].reverse(),
    );
    const asc = await as(t, 'user').get('/v2/images?tag=same-second&sort_key=created_at&sort_dir=asc');
    expect(asc.body.images.map((i: { id: string }) => i.id)).toEqual(ids);
  });

  it('refuses data before both formats are set, naming the missing ones', async () => {
    const none = await create({ name: 'no-formats' });
    const one = await create({ name: 'disk-only', disk_format: 'raw' });
    const a = await upload(none);
    expect(a.status).toBe(400);
    expect(a.body.message).toBe(
      'Properties disk_format, container_format must be set prior to saving data.<br /><br />\n\n\n',
    );
    const b = await upload(one);
    expect(b.body.message).toBe(
      'Property container_format must be set prior to saving data.<br /><br />\n\n\n',
    );
    expect((await as(t, 'user').get(`/v2/images/${none}`)).body.status).toBe('queued');
  });

  it('gives raw data in a bare container its size as virtual size, and other formats none', async () => {
    const raw = await create({ name: 'raw', disk_format: 'raw', container_format: 'bare' });
    const qcow = await create({ name: 'qcow', disk_format: 'qcow2', container_format: 'bare' });
    expect((await upload(raw)).status).toBe(204);
    expect((await upload(qcow)).status).toBe(204);
    expect((await as(t, 'user').get(`/v2/images/${raw}`)).body).toMatchObject({ size: 16, virtual_size: 16 });
    expect((await as(t, 'user').get(`/v2/images/${qcow}`)).body).toMatchObject({
      size: 16,
      virtual_size: null,
    });
  });

  it('answers the version documents without a request id, as version negotiation does', async () => {
    for (const path of ['/', '/versions', '/v3/images']) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(path === '/versions' ? 200 : 300);
      expect(res.headers['x-openstack-request-id']).toBeUndefined();
    }
    const images = await as(t, 'user').get('/v2/images');
    expect(images.headers['x-openstack-request-id']).toMatch(/^req-/);
  });
});
