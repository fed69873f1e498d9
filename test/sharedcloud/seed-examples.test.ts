import { readFileSync } from 'node:fs';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { codeBlockAfter, testApp } from '../helpers.js';

const doc = readFileSync(new URL('../seeds/sharedcloud.txt', import.meta.url), 'utf8');
/** The seed pretty-prints; the service writes compact JSON with the same keys in the same order. */
const compact = (block: string) => JSON.stringify(JSON.parse(block));
const example = (heading: string, n: number) => compact(codeBlockAfter(doc, heading, n));

const DEMO = 'Token 6507c5b574a4142649e869c02c4eed085353fa75';
const LIST_SEED_UUID = '24b310f8-1405-4928-914f-d5c91272f88a';
const GET_SEED_UUID = '2413a0f8-c105-4928-914f-d5c93173f88a';
/** demo's laptop has exactly the list example's image downloaded. */
const DEMO_LAPTOP = '26118515-35c9-4467-a57f-50d562829a94';
const SEED_SERVER_TIME = new Date('2018-10-05T16:45:36Z');

let app: Awaited<ReturnType<typeof testApp>>['app'];
let ctx: Awaited<ReturnType<typeof testApp>>['ctx'];
beforeEach(async () => {
  ({ app, ctx } = await testApp());
  ctx.clock.freeze(SEED_SERVER_TIME);
});

describe('Sharedcloud seed examples, byte for byte (compact JSON)', () => {
  it('Get List of Images: the catalogue as the seed shows it', async () => {
    // the seed's list shows one image: reduce the catalogue to it through the admin API
    const all = await request(app).get('/__admin/store/sharedcloud/images');
    for (const r of all.body.records as { uuid: string }[]) {
      if (r.uuid !== LIST_SEED_UUID) {
        expect((await request(app).delete(`/__admin/store/sharedcloud/images/${r.uuid}`)).status).toBe(204);
      }
    }
    const res = await request(app).get('/api/v1/images').set('Authorization', DEMO);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toBe(example('Get List of Images', 0));
  });

  it('Get List of Images: the default catalogue filtered to an instance holding the seed image', async () => {
    const res = await request(app).get(`/api/v1/images/?instance=${DEMO_LAPTOP}`).set('Authorization', DEMO);
    expect(res.status).toBe(200);
    expect(res.text).toBe(example('Get List of Images', 0));
  });

  it('Get List of Images: the full default list holds the seed object exactly', async () => {
    const res = await request(app).get('/api/v1/images/').set('Authorization', DEMO);
    const item = JSON.parse(example('Get List of Images', 0))[0];
    expect(res.body).toContainEqual(item);
    expect(res.body.find((i: { uuid: string }) => i.uuid === GET_SEED_UUID)).toEqual(
      JSON.parse(example('Get Image', 0)),
    );
  });

  it('Get Image, with and without the trailing slash', async () => {
    for (const path of [`/api/v1/images/${GET_SEED_UUID}`, `/api/v1/images/${GET_SEED_UUID}/`]) {
      const res = await request(app).get(path).set('Authorization', DEMO);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.text).toBe(example('Get Image', 0));
    }
  });

  it('401 Invalid credentials on both endpoints', async () => {
    for (const path of ['/api/v1/images', `/api/v1/images/${GET_SEED_UUID}`]) {
      const res = await request(app)
        .get(path)
        .set('Authorization', 'Token 0000000000000000000000000000000000000000');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Token');
      expect(res.text).toBe(example(path === '/api/v1/images' ? 'Get List of Images' : 'Get Image', 1));
    }
  });

  it('404 Image not found', async () => {
    const res = await request(app)
      .get('/api/v1/images/00000000-0000-4000-8000-000000000000/')
      .set('Authorization', DEMO);
    expect(res.status).toBe(404);
    expect(res.text).toBe(example('Get Image', 2));
  });
});
