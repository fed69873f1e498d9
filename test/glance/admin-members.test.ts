import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { as, SHARED_OF_OTHER, testApp, USER } from './kit.js';

const NEW_MEMBER = 'd3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3';

describe('memberships arranged through the admin API', () => {
  // Reported as a bug: one member deleted and another added kept the collection's length, so the
  // catalog's change guess missed it and the deleted member still listed and read the image.
  it('a member deleted and another added in its place: the members list and access follow both', async () => {
    const t = await testApp();
    const members = async () =>
      (
        (await as(t, 'other').get(`/v2/images/${SHARED_OF_OTHER}/members`)).body.members as {
          member_id: string;
        }[]
      )
        .map((m) => m.member_id)
        .sort();
    const before = await members();
    expect(before).toContain(USER);
    expect((await as(t, 'user').get(`/v2/images/${SHARED_OF_OTHER}`)).status).toBe(200);

    const removed = await request(t.app).delete(`/__admin/store/glance/members/${SHARED_OF_OTHER}/${USER}`);
    expect(removed.status).toBe(204);
    const added = await request(t.app).post('/__admin/store/glance/members').send({
      image_id: SHARED_OF_OTHER,
      member_id: NEW_MEMBER,
      status: 'accepted',
      created_at: '2024-06-01T00:00:00Z',
      updated_at: '2024-06-01T00:00:00Z',
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);

    expect(await members()).toEqual([...before.filter((m) => m !== USER), NEW_MEMBER].sort());
    expect((await as(t, 'user').get(`/v2/images/${SHARED_OF_OTHER}`)).status).toBe(404);
    expect((await as(t, 'user').get(`/v2/images/${SHARED_OF_OTHER}/members/${USER}`)).status).toBe(404);
    const listed = (await as(t, 'user').get('/v2/images?limit=1000')).body.images as { id: string }[];
    expect(listed.map((i) => i.id)).not.toContain(SHARED_OF_OTHER);
  });
});
