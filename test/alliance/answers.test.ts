import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { listComposesFromItems } from '../../src/http/list-pieces.js';
import { listFor, type StoredImage, toWire } from '../../src/providers/alliance/model/index.js';
import { testApp } from '../helpers.js';

const SEED = { 'X-Target-Ns': 'ccsr1', 'X-Environment-Id': '54915a05b0bb43dcbb218525c426b6a5' };
const scope = { namespace: SEED['X-Target-Ns'], environment: SEED['X-Environment-Id'] };

let t: Awaited<ReturnType<typeof testApp>>;
const images = () => t.ctx.store.collection<StoredImage>('alliance', 'images');
beforeEach(async () => {
  t = await testApp({ validate: 'fail' });
});

/** The list as serialising it whole, uncached, gives it. */
const uncachedList = () => JSON.stringify({ images: listFor(images().all(), scope).map(toWire) });

// Lists are joined from per-image pieces kept between requests (src/http/list-pieces.ts).
describe('Alliance answers kept between requests follow every change', () => {
  it('a list is the bytes a whole serialisation gives, after creates, updates and deletes', async () => {
    const list = () => request(t.app).get('/images').set(SEED).expect(200);
    expect((await list()).text).toBe(uncachedList());
    const created = await request(t.app)
      .post('/images')
      .set(SEED)
      .send({ image: { name: 'joined', disk_format: 'raw' } })
      .expect(201);
    expect((await list()).text).toBe(uncachedList());
    await request(t.app).patch(`/images/${created.body.id}`).set(SEED).send({ min_disk: 7 }).expect(200);
    const after = (await list()).text;
    expect(after).toBe(uncachedList());
    expect(after).toContain('"min_disk":7');
    await request(t.app).delete(`/images/${created.body.id}`).set(SEED).expect(200);
    expect((await list()).text).toBe(uncachedList());
    expect((await request(t.app).get(`/images/${created.body.id}`).set(SEED)).status).toBe(404);
  });

  it('an image broken behind the API fails its schema on the next get and list, not hidden by a kept answer', async () => {
    const [first] = listFor(images().all(), scope);
    await request(t.app).get('/images').set(SEED).expect(200);
    await request(t.app).get(`/images/${first!.id}`).set(SEED).expect(200);
    await images().update(first!.id, { status: 'BROKEN' as StoredImage['status'] });
    const get = await request(t.app).get(`/images/${first!.id}`).set(SEED);
    expect(get.status).toBe(500);
    expect(get.body).toMatchObject({ error: 'response-schema-mismatch', schema: 'alliance/image' });
    const list = await request(t.app).get('/images').set(SEED);
    expect(list.status).toBe(500);
    expect(list.body.schema).toBe('alliance/image-list');
    expect(list.body.issues).toEqual([expect.objectContaining({ path: '/images/0/status' })]);
  });
});

describe('the list schema is checked on the envelope alone only when that is the same as checking the list', () => {
  const composes = () =>
    listComposesFromItems(t.ctx.validator, 'alliance/image-list', 'images', 'alliance/image');

  it('holds for the schemas as shipped', () => {
    expect(composes()).toBe(true);
  });

  it('does not hold when the list schema could look into its items', () => {
    const list = t.ctx.validator.schema('alliance/image-list') as Record<string, unknown> & {
      properties: { images: Record<string, unknown> };
    };
    list.properties.images.maxItems = 3;
    try {
      expect(composes()).toBe(false);
    } finally {
      delete list.properties.images.maxItems;
    }
    list.additionalProperties = { type: 'string' };
    try {
      expect(composes()).toBe(false);
    } finally {
      list.additionalProperties = false;
    }
    const items = list.properties.images.items;
    list.properties.images.items = { $ref: 'other' };
    try {
      expect(composes()).toBe(false);
    } finally {
      list.properties.images.items = items;
    }
    expect(composes()).toBe(true);
  });
});
