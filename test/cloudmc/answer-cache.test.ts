import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { CloudmcData, StoredImage } from '../../src/providers/cloudmc/model.js';
import { testApp } from '../helpers.js';

const LIST = '/api/v1/services/stackpath/production/images';
const KEY = { 'MC-Api-Key': 'mc-demo-key' };

/** Answers are kept per store version: every change that is committed must show in the next answer. */
describe('CloudMC answers kept between store changes', () => {
  it('a repeated list and get answer the same bytes', async () => {
    const { app } = await testApp();
    const first = await request(app).get(LIST).set(KEY);
    const again = await request(app).get(LIST).set(KEY);
    expect(again.text).toBe(first.text);
    const id = first.body.data[0].id as string;
    const one = await request(app).get(`${LIST}/${id}`).set(KEY);
    expect((await request(app).get(`${LIST}/${id}`).set(KEY)).text).toBe(one.text);
  });

  it('an admin insert shows in the next list and get', async () => {
    const { app } = await testApp();
    const before = await request(app).get(LIST).set(KEY);
    const missing = await request(app).get(`${LIST}/a8050b2b-39eb-4929-bce5-1af42055903e/fresh/v1`).set(KEY);
    expect(missing.status).toBe(404);
    const created = await request(app)
      .post('/__admin/store/cloudmc/images')
      .send({ serviceCode: 'stackpath', environment: null, family: 'fresh', tag: 'v1' });
    expect(created.status).toBe(201);
    const after = await request(app).get(LIST).set(KEY);
    expect(after.body.metadata.recordCount).toBe(before.body.metadata.recordCount + 1);
    const id = created.body.records[0].id as string;
    expect((after.body.data as { id: string }[]).map((i) => i.id)).toContain(id);
    const found = await request(app).get(`${LIST}/${id}`).set(KEY);
    expect(found.status).toBe(200);
    expect(found.body.data.family).toBe('fresh');
  });

  it('an admin delete shows in the next get and list', async () => {
    const { app, ctx } = await testApp();
    const image = ctx.store
      .data<CloudmcData>('cloudmc')
      .images.find((i) => i.serviceCode === 'stackpath' && i.environment === 'production' && !i.deprecated)!;
    expect((await request(app).get(`${LIST}/${image.id}`).set(KEY)).status).toBe(200);
    const gone = await request(app).delete(`/__admin/store/cloudmc/images/stackpath/${image.id}`);
    expect(gone.status).toBe(204);
    expect((await request(app).get(`${LIST}/${image.id}`).set(KEY)).status).toBe(404);
    const list = await request(app).get(LIST).set(KEY);
    expect((list.body.data as { id: string }[]).map((i) => i.id)).not.toContain(image.id);
  });

  it('a committed change that breaks the schema is caught on the next answer, not hidden by an earlier valid one', async () => {
    const { app, ctx } = await testApp();
    expect((await request(app).get(LIST).set(KEY)).status).toBe(200);
    const image = ctx.store
      .data<CloudmcData>('cloudmc')
      .images.find((i) => i.serviceCode === 'stackpath' && i.environment === 'production' && !i.deprecated)!;
    const images = ctx.store.collection<StoredImage>('cloudmc', 'images');
    await images.update(images.idOf(image), { status: 'BROKEN' as StoredImage['status'] });
    const list = await request(app).get(LIST).set(KEY);
    expect(list.status).toBe(500);
    expect(list.body.schema).toBe('cloudmc/image-list');
    const one = await request(app).get(`${LIST}/${image.id}`).set(KEY);
    expect(one.status).toBe(500);
    expect(one.body.schema).toBe('cloudmc/image-get');
  });

  it('a reset brings the seeded answers back', async () => {
    const { app, ctx } = await testApp();
    const seeded = await request(app).get(LIST).set(KEY);
    await ctx.store.collection('cloudmc', 'images').replaceAll([]);
    expect((await request(app).get(LIST).set(KEY)).body.metadata.recordCount).toBe(0);
    expect((await request(app).post('/__admin/reset').send({})).status).toBe(200);
    expect((await request(app).get(LIST).set(KEY)).text).toBe(seeded.text);
  });
});
