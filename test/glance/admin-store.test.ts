import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { as, expectedDefaultList, glanceData, PRIVATE_OF_USER, type TestApp, testApp, USER } from './kit.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});

const listIds = async () => {
  const res = await as(t, 'user').get('/v2/images?limit=1000');
  return (res.body.images as { id: string }[]).map((i) => i.id);
};

describe('the list index follows changes made outside the Glance API', () => {
  it('an image inserted through the admin API lands in its place in the default order', async () => {
    await listIds(); // builds the index
    const id = '99999999-0000-4000-8000-000000000001';
    const res = await request(t.app).post('/__admin/store/glance/images').send({
      id,
      name: 'admin-inserted',
      owner: USER,
      visibility: 'private',
      created_at: '2023-06-15T12:00:00Z',
    });
    expect(res.status).toBe(201);
    expect(res.body.records[0]).toMatchObject({ id, status: 'queued', tags: [], properties: {} });
    const ids = await listIds();
    expect(ids).toContain(id);
    expect(ids).toEqual(expectedDefaultList(t, USER).map((i) => i.id));
  });

  it('an image deleted through the admin API leaves the list', async () => {
    await listIds();
    const res = await request(t.app).delete(`/__admin/store/glance/images/${PRIVATE_OF_USER}`);
    expect(res.status).toBeLessThan(300);
    expect(await listIds()).not.toContain(PRIVATE_OF_USER);
    expect((await as(t, 'user').get(`/v2/images/${PRIVATE_OF_USER}`)).status).toBe(404);
  });

  it('a reset brings back the fixtures and rebuilds the index', async () => {
    const before = await listIds();
    await as(t, 'user').delete(`/v2/images/${PRIVATE_OF_USER}`);
    expect(await listIds()).not.toContain(PRIVATE_OF_USER);
    const reset = await request(t.app).post('/__admin/reset');
    expect(reset.status).toBeLessThan(300);
    expect(glanceData(t).images.some((i) => i.id === PRIVATE_OF_USER)).toBe(true);
    expect(await listIds()).toEqual(before);
  });

  it('the seed is deterministic: the same seed gives byte-identical records', async () => {
    const again = await testApp();
    expect(JSON.stringify(glanceData(again))).toBe(JSON.stringify(glanceData(t)));
    const other = await testApp({ seed: 7 });
    expect(JSON.stringify(glanceData(other).images)).not.toBe(JSON.stringify(glanceData(t).images));
  });
});
