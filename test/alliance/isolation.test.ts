import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';

const ENV = '54915a05b0bb43dcbb218525c426b6a5';
const ENV2 = '3f1c0a8e9b7d4c2a8e6f5d4c3b2a1908';
const ENV3 = '0e7d6c5b4a39281706f5e4d3c2b1a098';
const pair = (ns: string, env: string) => ({ 'X-Target-Ns': ns, 'X-Environment-Id': env });
const SEED = pair('ccsr1', ENV);
const PUBLIC_RAMDISK = '9cd36ea3-f225-4383-ae0a-61a020112223';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let ctx: Awaited<ReturnType<typeof testApp>>['ctx'];
beforeEach(async () => {
  ({ app, ctx } = await testApp());
});

const names = async (headers: Record<string, string>) =>
  ((await request(app).get('/images').set(headers)).body as { images: { name: string }[] }).images.map(
    (i) => i.name,
  );

describe("each namespace/environment pair sees its own images plus its namespace's public ones", () => {
  it('lists per pair, newest first', async () => {
    expect(await names(SEED)).toEqual([
      'cirrosimage',
      'cirrosimage',
      'telstaimage',
      'cirros-0.3.2-x86_64-uec-ramdisk',
    ]);
    expect(await names(pair('ccsr1', ENV2))).toEqual([
      'centos-7-x86_64',
      'ubuntu-14.04-server',
      'cirros-0.3.2-x86_64-uec-ramdisk',
    ]);
    // the same environment id in another namespace is another set of images
    expect(await names(pair('ccsr2', ENV))).toEqual(['cirrosimage', 'fedora-22-cloud']);
    expect(await names(pair('ccsr2', ENV3))).toEqual(['fedora-22-cloud']);
    expect(await names(pair('ccsr1', 'fresh-project'))).toEqual(['cirros-0.3.2-x86_64-uec-ramdisk']);
    expect(await names(pair('unknown-ns', ENV))).toEqual([]);
  });

  it('a created image belongs to the creating environment and is invisible elsewhere', async () => {
    ctx.clock.freeze(new Date('2030-01-01T00:00:00Z'));
    const res = await request(app)
      .post('/images')
      .set(pair('ccsr1', ENV2))
      .set('Content-Type', 'application/json')
      .send({ image: { name: 'only-mine', disk_format: 'qcow2', container_format: 'bare' } });
    expect(res.body.owner).toBe(ENV2);
    expect((await names(pair('ccsr1', ENV2)))[0]).toBe('only-mine');
    for (const other of [SEED, pair('ccsr2', ENV2)]) {
      expect(await names(other)).not.toContain('only-mine');
      expect((await request(app).get(`/images/${res.body.id}`).set(other)).status).toBe(404);
      expect((await request(app).get('/images/only-mine').set(other)).status).toBe(404);
      expect((await request(app).delete(`/images/${res.body.id}`).set(other)).status).toBe(404);
    }
  });

  it('a public image is readable by the namespace but changeable only by its owner', async () => {
    const other = pair('ccsr1', ENV2);
    expect((await request(app).get(`/images/${PUBLIC_RAMDISK}`).set(other)).body.owner).toBe(ENV);
    const patch = await request(app)
      .patch(`/images/${PUBLIC_RAMDISK}`)
      .set(other)
      .set('Content-Type', 'application/json')
      .send({ name: 'hijacked' });
    expect(patch.status).toBe(403);
    expect(patch.body.error.message).toBe(
      `Image ${PUBLIC_RAMDISK} belongs to another environment and cannot be changed here.`,
    );
    expect((await request(app).delete(`/images/${PUBLIC_RAMDISK}`).set(other)).status).toBe(403);
    expect((await request(app).get(`/images/${PUBLIC_RAMDISK}`).set(pair('ccsr2', ENV))).status).toBe(404);
  });

  it('names resolve within the pair: ambiguous in one, unique in another', async () => {
    expect((await request(app).get('/images/cirrosimage').set(SEED)).status).toBe(409);
    const ccsr2 = await request(app).get('/images/cirrosimage').set(pair('ccsr2', ENV));
    expect(ccsr2.status).toBe(200);
    expect(ccsr2.body.id).toBe('d2e3f4a5-b6c7-4d8e-9f01-a2b3c4d5e6f7');
  });

  it('updates apply every supplied field and move updated_at forward only', async () => {
    ctx.clock.freeze(new Date('2020-05-05T10:00:00.900Z'));
    const res = await request(app)
      .patch('/images/telstaimage')
      .set(SEED)
      .set('Content-Type', 'application/json')
      .send({
        visibility: 'public',
        tags: ['a', 'b', 'a'],
        min_ram: 2048,
        protected: true,
        copy_from: 'https://x/y',
      });
    expect(res.body).toMatchObject({
      visibility: 'public',
      tags: ['a', 'b'],
      min_ram: 2048,
      min_disk: 500,
      protected: true,
      copy_from: 'https://x/y',
      updated_at: '2020-05-05T10:00:00Z',
      created_at: '2015-09-25T15:29:08Z',
    });
    // now public: the rest of the namespace sees it
    expect(await names(pair('ccsr1', ENV2))).toContain('telstaimage');
    ctx.clock.set(new Date('2019-01-01T00:00:00Z'));
    const back = await request(app)
      .put('/images/telstaimage')
      .set(SEED)
      .set('Content-Type', 'application/json')
      .send({});
    expect(back.body.updated_at).toBe('2020-05-05T10:00:00Z');
  });
});

describe('answers kept per store version', () => {
  it('a create, an update, a delete and an admin insert each show in the next list and get', async () => {
    const before = await request(app).get('/images').set(SEED);
    expect((await request(app).get('/images').set(SEED)).text).toBe(before.text);

    const created = await request(app).post('/images').set(SEED).send({ name: 'cache-check' });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect(await names(SEED)).toContain('cache-check');
    expect((await request(app).get(`/images/cache-check`).set(SEED)).body.id).toBe(id);

    const renamed = await request(app).patch(`/images/${id}`).set(SEED).send({ name: 'cache-renamed' });
    expect(renamed.status).toBe(200);
    expect(await names(SEED)).toContain('cache-renamed');
    expect(await names(SEED)).not.toContain('cache-check');
    expect((await request(app).get(`/images/${id}`).set(SEED)).body.name).toBe('cache-renamed');
    expect((await request(app).get('/images/cache-check').set(SEED)).status).toBe(404);

    expect((await request(app).delete(`/images/${id}`).set(SEED)).status).toBe(200);
    expect((await request(app).get(`/images/${id}`).set(SEED)).status).toBe(404);
    expect(await names(SEED)).not.toContain('cache-renamed');

    const inserted = await request(app)
      .post('/__admin/store/alliance/images')
      .send({ namespace: 'ccsr1', owner: ENV, name: 'admin-made' });
    expect(inserted.status).toBe(201);
    expect(await names(SEED)).toContain('admin-made');
  });
});
