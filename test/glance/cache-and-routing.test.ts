import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';
import { as, CIRROS, jsonError, QUEUED_OF_USER, type TestApp } from './kit.js';

/** Expected answers are what a real Glance 25 gave to the same requests (tools/real-glance, 2026-12-03). */
let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});

/** An active image with bytes (the seeded ones have none to download). */
async function uploaded(): Promise<string> {
  const { id } = (await as(t, 'user').post('/v2/images', { disk_format: 'raw', container_format: 'bare' }))
    .body as { id: string };
  await as(t, 'user')
    .put(`/v2/images/${id}/file`)
    .set('Content-Type', 'application/octet-stream')
    .send(Buffer.from('data'));
  return id;
}

describe('the image cache API', () => {
  it('is admin only, caches a queued-for-caching active image, counts download hits, and clears', async () => {
    expect((await as(t, 'user').get('/v2/cache')).body).toEqual(
      jsonError('403 Forbidden', 'You are not authorized to complete cache_list action.'),
    );
    expect((await as(t, 'admin').get('/v2/cache')).body).toEqual({ cached_images: [], queued_images: [] });
    expect((await as(t, 'admin').put('/v2/cache/non-existing-image-id')).body).toEqual(
      jsonError('404 Not Found', 'Image non-existing-image-id not found.'),
    );
    expect((await as(t, 'admin').put(`/v2/cache/${QUEUED_OF_USER}`)).body).toEqual(
      jsonError('400 Bad Request', 'Only images with status active can be targeted for queueing'),
    );
    const image = await uploaded();
    const queued = await as(t, 'admin').put(`/v2/cache/${image}`);
    expect(queued.status).toBe(202);
    expect(queued.text).toBe('');
    // queued first (as Tempest checks), then cached by the prefetcher
    expect((await as(t, 'admin').get('/v2/cache')).body).toEqual({
      cached_images: [],
      queued_images: [image],
    });
    await expect
      .poll(async () => (await as(t, 'admin').get('/v2/cache')).body.queued_images, { timeout: 10_000 })
      .toEqual([]);
    const listed = (await as(t, 'admin').get('/v2/cache')).body;
    expect(listed.cached_images).toHaveLength(1);
    expect(Object.keys(listed.cached_images[0])).toEqual([
      'image_id',
      'hits',
      'last_accessed',
      'last_modified',
      'size',
    ]);
    expect(listed.cached_images[0]).toMatchObject({ image_id: image, hits: 0, size: 4 });

    // the cache middleware: each download of a cached image is a hit
    // each hit is counted before the bytes go out, so a client that has read its download sees it
    for (let i = 1; i <= 20; i++) {
      await as(t, 'user').get(`/v2/images/${image}/file`);
      expect((await as(t, 'admin').get('/v2/cache')).body.cached_images[0].hits).toBe(i);
    }

    const bad = await as(t, 'admin').delete('/v2/cache').set('x-image-cache-clear-target', 'bad');
    expect(bad.body).toEqual(
      jsonError(
        '400 Bad Request',
        "If provided 'x-image-cache-clear-target' must be 'cache', 'queue' or empty string.",
      ),
    );
    expect((await as(t, 'admin').delete('/v2/cache')).status).toBe(204);
    expect((await as(t, 'admin').get('/v2/cache')).body.cached_images).toEqual([]);
  });

  it('a first download caches the image; DELETE /v2/cache/{id} removes it', async () => {
    const image = await uploaded();
    await as(t, 'user').get(`/v2/images/${image}/file`);
    expect(
      (await as(t, 'admin').get('/v2/cache')).body.cached_images.map((c: { image_id: string }) => c.image_id),
    ).toEqual([image]);
    expect((await as(t, 'admin').delete(`/v2/cache/${image}`)).status).toBe(204);
    expect((await as(t, 'admin').get('/v2/cache')).body.cached_images).toEqual([]);
  });
});

describe('routing as Glance routes', () => {
  it('every announced minor version routes like /v2; an unknown one answers the version document', async () => {
    for (const prefix of ['/v2.0', '/v2.1', '/v2.9', '/v2.16']) {
      expect((await as(t, 'user').get(`${prefix}/images?limit=1`)).status, prefix).toBe(200);
    }
    for (const prefix of ['/v2.8', '/v2.17', '/v2.00', '/v3.0']) {
      expect((await as(t, 'user').get(`${prefix}/images`)).status, prefix).toBe(300);
    }
    const root = await as(t, 'user').get('/v2.0');
    expect(root.status).toBe(302);
    expect(root.headers.location).toMatch(/\/v2\/$/);
  });

  it('a trailing slash is another path: GET, POST and DELETE /v2/images/ answer 404', async () => {
    expect((await as(t, 'user').get('/v2/images/')).status).toBe(404);
    expect((await as(t, 'user').delete('/v2/images/')).status).toBe(404);
    expect((await as(t, 'user').post('/v2/images/', {})).status).toBe(404);
    expect((await as(t, 'user').get(`/v2/images/${CIRROS}/`)).status).toBe(404);
  });

  it('HEAD answers 405 with the path’s methods', async () => {
    const head = (path: string) => request(t.app).head(path).set('X-Auth-Token', 'user-token');
    const images = await head('/v2/images');
    expect(images.status).toBe(405);
    expect(images.headers.allow).toBe('GET, POST');
    expect((await head(`/v2/images/${CIRROS}`)).headers.allow).toBe('GET, PATCH, DELETE');
    expect((await head(`/v2/images/${CIRROS}/members`)).headers.allow).toBe('GET, POST');
    expect((await head('/v2/schemas/image')).headers.allow).toBe('GET');
    // outside /v2 the version document still answers HEAD
    expect((await request(t.app).head('/versions')).status).toBe(200);
  });

  it('/v2/info/usage and /v2/info/stores as a single-store Glance without limits answers them', async () => {
    const usage = await as(t, 'user').get('/v2/info/usage');
    expect(usage.text).toBe('{"usage": {}}');
    expect((await as(t, 'user').get('/v2/info/stores')).body).toEqual(
      jsonError('404 Not Found', 'Multi backend is not supported at this site.'),
    );
  });
});

describe('bytes as Glance writes them', () => {
  it('text outside ASCII is UTF-8 in the body, in names, properties and error messages', async () => {
    const res = await as(t, 'user').post('/v2/images', {
      name: 'zéro ☃',
      disk_format: 'raw',
      container_format: 'bare',
      prop: 'ü',
    });
    // real Glance: {"prop": "\xc3\xbc", "name": "z\xc3\xa9ro \xe2\x98\x83", ...
    expect(res.text.startsWith('{"prop": "ü", "name": "zéro ☃", ')).toBe(true);
    expect(Buffer.from(res.text).subarray(0, 30).toString('hex')).toContain('c3bc');
    const bad = await as(t, 'user').get('/v2/images?sort_key=nämé');
    expect(bad.status).toBe(400);
    expect(bad.text).not.toContain('\\u');
  });

  it('an image uploaded with no bytes keeps virtual_size null', async () => {
    const { id } = (await as(t, 'user').post('/v2/images', { disk_format: 'raw', container_format: 'bare' }))
      .body as { id: string };
    await as(t, 'user')
      .put(`/v2/images/${id}/file`)
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.alloc(0));
    const image = (await as(t, 'user').get(`/v2/images/${id}`)).body;
    expect(image).toMatchObject({ status: 'active', size: 0, virtual_size: null });
  });
});
