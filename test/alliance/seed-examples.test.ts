import { readFileSync } from 'node:fs';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { codeBlockAfter, testApp } from '../helpers.js';

const doc = readFileSync(new URL('../seeds/alliance.txt', import.meta.url), 'utf8');
const block = (heading: string) => codeBlockAfter(doc, heading, 0);
const parsed = (heading: string) => JSON.parse(block(heading)) as Record<string, unknown>;

const SEED = { 'X-Target-Ns': 'ccsr1', 'X-Environment-Id': '54915a05b0bb43dcbb218525c426b6a5' };
/** The seed's header table for writes. */
const WRITE = { ...SEED, 'Content-Type': 'application/json' };
const CREATE_EXAMPLE_ID = '1abcd75b-3385-43e6-94fb-948d1b241774';
const GET_EXAMPLE_ID = '9cd36ea3-f225-4383-ae0a-61a020112223';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let ctx: Awaited<ReturnType<typeof testApp>>['ctx'];
beforeEach(async () => {
  ({ app, ctx } = await testApp());
});

/** The seed's list example is not JSON: its two objects, as the spec note reads them. */
function seedListImages(): unknown[] {
  const text = block('Example 1. List images');
  const objects = [...text.matchAll(/\{\s*"status"[\s\S]*?"size": null\s*\}/g)].map((m) => JSON.parse(m[0]));
  expect(objects).toHaveLength(2);
  return objects;
}

describe('Alliance seed examples, byte for byte where the seed is valid JSON', () => {
  it('Example 1 (list), resolved to {"images":[...]} newest first, once the list holds what the seed shows', async () => {
    // the seed's own get and create examples live in the same environment: take them out of the list
    for (const id of [CREATE_EXAMPLE_ID, GET_EXAMPLE_ID]) {
      expect((await request(app).delete(`/images/${id}`).set(SEED)).status).toBe(200);
    }
    for (const path of ['/images', '/images/']) {
      const res = await request(app).get(path).set(SEED);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.text).toBe(JSON.stringify({ images: seedListImages() }));
    }
  });

  it('Example 2 (get a specific image)', async () => {
    for (const path of [`/images/${GET_EXAMPLE_ID}`, `/images/${GET_EXAMPLE_ID}/`]) {
      const res = await request(app).get(path).set(SEED).set('Content-Type', 'application/json');
      expect(res.status).toBe(200);
      expect(res.text).toBe(JSON.stringify(parsed('Example 2. Get specific image')));
    }
  });

  it('Examples 3 and 4 (create): 201 with the seed response, min_ram/min_disk and name as sent', async () => {
    ctx.clock.freeze(new Date('2015-09-28T18:57:46.512Z'));
    const res = await request(app).post('/images/').set(WRITE).send(block('Example 3. Create image'));
    expect(res.status).toBe(201);
    const expected = {
      ...parsed('Example 4. Create image'),
      // the seed's response contradicts its request on these; the mock stores what was sent
      name: 'remote_image',
      min_ram: 1,
      min_disk: 500,
      file: `/v2/images/${res.body.id}/file`,
      id: res.body.id as string,
    };
    expect(res.text).toBe(JSON.stringify(expected));
    expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('Examples 5 and 6 (update by name with PUT, and by id with PATCH): every field as sent', async () => {
    ctx.clock.freeze(new Date('2015-09-28T18:57:46Z'));
    const created = await request(app).post('/images').set(WRITE).send(block('Example 3. Create image'));
    const id = created.body.id as string;
    const res = await request(app)
      .put('/images/remote_image')
      .set(WRITE)
      .send(block('Example 5. Update image'));
    expect(res.status).toBe(200);
    const expected = {
      ...parsed('Example 6. Update image'),
      disk_format: 'ari',
      min_ram: 1,
      min_disk: 500,
      file: `/v2/images/${id}/file`,
      id,
    };
    expect(res.text).toBe(JSON.stringify(expected));
    ctx.clock.advance(5000);
    const patched = await request(app)
      .patch(`/images/${id}`)
      .set(SEED)
      .send({ image: { name: 'renamed' } });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('renamed');
    expect(patched.body.updated_at).toBe('2015-09-28T18:57:51Z');
    expect(patched.body.created_at).toBe('2015-09-28T18:57:46Z');
  });

  it('Delete: 200 with an empty body; the image is gone', async () => {
    const res = await request(app).delete(`/images/${CREATE_EXAMPLE_ID}`).set(SEED);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers['content-length']).toBe('0');
    expect(res.headers['content-type']).toBeUndefined();
    expect((await request(app).get(`/images/${CREATE_EXAMPLE_ID}`).set(SEED)).status).toBe(404);
  });
});
