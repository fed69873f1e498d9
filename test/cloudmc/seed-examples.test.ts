import { readFileSync } from 'node:fs';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { codeBlockAfter, testApp } from '../helpers.js';

const SEEDS = [
  { service: 'stackpath', file: 'stackpath.txt' },
  { service: 'cox', file: 'cox.txt' },
] as const;

const UBUNTU = 'a8050b2b-39eb-4929-bce5-1af42055903e/ubuntu/v20201110';

describe.each(SEEDS)('$service seed document examples, byte for byte', ({ service, file }) => {
  const doc = readFileSync(new URL(`../seeds/${file}`, import.meta.url), 'utf8');
  let app: Awaited<ReturnType<typeof testApp>>['app'];
  beforeAll(async () => {
    ({ app } = await testApp());
  });

  it('list images', async () => {
    const expected = codeBlockAfter(doc, '### List images', 1);
    const res = await request(app)
      .get(`/api/v1/services/${service}/test-area/images`)
      .set('MC-Api-Key', 'mc-demo-key');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toBe(expected);
  });

  it('retrieve an image (with the list description, as the spec note resolves the seed conflict)', async () => {
    const seedBody = codeBlockAfter(doc, '### Retrieve an image', 1);
    expect(seedBody).toContain('"description": "test 2"');
    const expected = seedBody.replace('"description": "test 2"', '"description": "Image using ubuntu"');
    const res = await request(app)
      .get(`/api/v1/services/${service}/test-area/images/${UBUNTU}`)
      .set('MC-Api-Key', 'mc-demo-key');
    expect(res.status).toBe(200);
    expect(res.text).toBe(expected);
  });

  it('the get answer is exactly the record the list shows', async () => {
    const list = await request(app)
      .get(`/api/v1/services/${service}/test-area/images`)
      .set('MC-Api-Key', 'mc-demo-key');
    for (const image of list.body.data) {
      const one = await request(app)
        .get(`/api/v1/services/${service}/test-area/images/${image.id}`)
        .set('MC-Api-Key', 'mc-demo-key');
      expect(one.body).toEqual({ data: image });
    }
  });

  it('the curl commands of the seed work as written (no Accept header, /api/v1 prefix)', async () => {
    const urls = [...doc.matchAll(/"https:\/\/[^/]+(\/api\/v1\/[^"]+)"/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(2);
    for (const url of urls) {
      const res = await request(app).get(url).set('MC-Api-Key', 'mc-demo-key').unset('Accept');
      expect(res.status).toBe(200);
    }
  });
});
