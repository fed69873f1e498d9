import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { as, type TestApp, testApp, USER } from '../glance/kit.js';

// The admin insert keeps the collection's ids in step instead of collecting them per insert;
// these pin that it never goes stale, whoever changed the collection.
let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});

const insert = (id: string) =>
  request(t.app)
    .post('/__admin/store/glance/images')
    .send({ id, name: 'x', owner: USER, visibility: 'private', created_at: '2023-06-15T12:00:00Z' });

describe('admin insert: duplicate ids', () => {
  it('sees an id inserted before, and one freed by an admin delete', async () => {
    const id = '99999999-0000-4000-8000-000000000001';
    expect((await insert(id)).status).toBe(201);
    expect((await insert(id)).status).toBe(409);
    expect((await request(t.app).delete(`/__admin/store/glance/images/${id}`)).status).toBeLessThan(300);
    expect((await insert(id)).status).toBe(201);
  });

  it("sees ids the provider's own API created and deleted in between", async () => {
    expect((await insert('99999999-0000-4000-8000-000000000002')).status).toBe(201);
    const created = await as(t, 'user')
      .post('/v2/images')
      .send({ name: 'via-glance', disk_format: 'raw', container_format: 'bare' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await insert(id)).status).toBe(409);
    expect((await as(t, 'user').delete(`/v2/images/${id}`)).status).toBe(204);
    expect((await insert(id)).status).toBe(201);
  });

  it('starts afresh after a reset', async () => {
    const id = '99999999-0000-4000-8000-000000000003';
    expect((await insert(id)).status).toBe(201);
    expect((await request(t.app).post('/__admin/reset').send({})).status).toBeLessThan(300);
    expect((await insert(id)).status).toBe(201);
  });

  it('refuses a batch that repeats an id, storing none of it', async () => {
    const one = { id: '99999999-0000-4000-8000-000000000004', name: 'x', owner: USER, visibility: 'private' };
    const res = await request(t.app).post('/__admin/store/glance/images').send([one, one]);
    expect(res.status).toBe(409);
    expect((await insert(one.id)).status).toBe(201);
  });
});
