import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CloudmcData } from '../../src/providers/cloudmc/model.js';
import { testApp } from '../helpers.js';

type App = Awaited<ReturnType<typeof testApp>>;
let t: App;
beforeAll(async () => {
  t = await testApp();
});

const get = (path: string, key = 'mc-demo-key') => request(t.app).get(path).set('MC-Api-Key', key);
const ids = (res: request.Response) => (res.body.data as { id: string }[]).map((i) => i.id);

/** What the store says an environment should list, computed independently of the router. */
function expected(service: string, env: string, kind: 'default' | 'custom' | 'all') {
  const { images } = t.ctx.store.data<CloudmcData>('cloudmc');
  return images
    .filter((i) => i.serviceCode === service && !i.deprecated)
    .filter((i) => i.environment === null || i.environment === env)
    .filter((i) => kind === 'all' || (kind === 'default' ? i.environment === null : i.environment !== null))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    .map((i) => i.id);
}

describe('StackPath imageType filter', () => {
  const base = '/api/v1/services/stackpath/production/images';
  it('has both kinds in production, so the filter is meaningful', () => {
    expect(expected('stackpath', 'production', 'custom').length).toBeGreaterThan(0);
    expect(expected('stackpath', 'production', 'default').length).toBeGreaterThan(0);
  });
  it.each([
    ['imageType=default', 'default'],
    ['imageType=custom', 'custom'],
    ['', 'all'],
    ['imageType=', 'all'],
    ['imageType=DEFAULT', 'all'],
    ['imageType=bogus', 'all'],
    ['imageType=default&imageType=custom', 'all'],
    ['imageType[]=default', 'all'],
    ['includeOnlySystemImages=true', 'all'],
  ] as const)('?%s lists %s images', async (query, kind) => {
    const res = await get(`${base}?${query}`);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(expected('stackpath', 'production', kind));
    expect(res.body.metadata.recordCount).toBe(res.body.data.length);
  });
});

describe('Cox includeOnlySystemImages filter', () => {
  it.each([
    ['cox', 'staging', 'includeOnlySystemImages=true', 'default'],
    ['cox', 'staging', 'includeOnlySystemImages=false', 'all'],
    ['cox', 'staging', 'includeOnlySystemImages=TRUE', 'all'],
    ['cox', 'staging', 'includeOnlySystemImages=1', 'all'],
    ['cox', 'staging', 'includeOnlySystemImages=', 'all'],
    ['cox', 'staging', 'imageType=custom', 'all'],
    ['edge-services', 'production', 'includeOnlySystemImages=true', 'default'],
    ['edge-services', 'production', '', 'all'],
  ] as const)('%s/%s ?%s lists %s images', async (service, env, query, kind) => {
    const res = await get(`/api/v1/services/${service}/${env}/images?${query}`);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(expected(service, env, kind));
  });
  it('cox staging has custom images, so the filter changes the answer', () => {
    expect(expected('cox', 'staging', 'all').length).toBeGreaterThan(
      expected('cox', 'staging', 'default').length,
    );
  });
});

describe('list rules', () => {
  it('hides deprecated images from lists but finds them by id', async () => {
    const { images } = t.ctx.store.data<CloudmcData>('cloudmc');
    const deprecated = images.find(
      (i) => i.deprecated && i.serviceCode === 'stackpath' && i.environment === null,
    )!;
    expect(deprecated).toBeDefined();
    const list = await get('/api/v1/services/stackpath/test-area/images');
    expect(ids(list)).not.toContain(deprecated.id);
    const one = await get(`/api/v1/services/stackpath/test-area/images/${deprecated.id}`);
    expect(one.status).toBe(200);
    expect(one.body.data.id).toBe(deprecated.id);
    expect(Object.keys(one.body.data)).not.toContain('deprecated');
  });

  it('orders by createdAt, then id', async () => {
    const res = await get('/api/v1/services/edge-services/production/images');
    const rows = res.body.data as { createdAt: string; id: string }[];
    expect(rows.length).toBeGreaterThan(5);
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1]!;
      const b = rows[i]!;
      expect(a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id)).toBe(true);
    }
  });

  it('writes fields in the documented order', async () => {
    const res = await get('/api/v1/services/edge-services/production/images');
    for (const image of res.body.data) {
      expect(Object.keys(image)).toEqual([
        'stackId',
        'id',
        'slug',
        'family',
        'tag',
        'createdAt',
        'description',
        'reference',
        'status',
      ]);
      expect(image.id).toBe(`${image.stackId}/${image.family}/${image.tag}`);
      expect(image.reference).toBe(`${image.slug}/${image.family}:${image.tag}`);
      expect(image.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    }
  });

  it('custom images of one environment are not listed in another', async () => {
    const prod = await get('/api/v1/services/stackpath/production/images?imageType=custom');
    const test = await get('/api/v1/services/stackpath/test-area/images?imageType=custom');
    expect(prod.body.data.length).toBeGreaterThan(0);
    expect(test.body).toEqual({ data: [], metadata: { recordCount: 0 } });
    const id = prod.body.data[0].id;
    expect((await get(`/api/v1/services/stackpath/test-area/images/${id}`)).status).toBe(404);
  });

  it('serves the same data under /api/v2 (the Cox terraform provider prefix)', async () => {
    const v1 = await get('/api/v1/services/edge-services/test-area/images');
    const v2 = await get('/api/v2/services/edge-services/test-area/images');
    expect(v2.status).toBe(200);
    expect(v2.text).toBe(v1.text);
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await request(t.app)
      .head('/api/v1/services/stackpath/test-area/images')
      .set('MC-Api-Key', 'mc-demo-key');
    expect(res.status).toBe(200);
    expect(res.text ?? '').toBe('');
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
  });
});
