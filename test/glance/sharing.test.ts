import { beforeEach, describe, expect, it } from 'vitest';
import {
  as,
  CIRROS,
  DEACTIVATED,
  jsonError,
  OTHER,
  PRIVATE_OF_USER,
  QUEUED_OF_USER,
  SHARED_OF_OTHER,
  stored,
  type TestApp,
  testApp,
  USER,
} from './kit.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  t.ctx.clock.freeze(new Date('2026-05-06T07:08:09Z'));
});

describe('tags', () => {
  it('PUT adds once (idempotent), DELETE removes; both 204 text/html', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await as(t, 'user').put(`/v2/images/${PRIVATE_OF_USER}/tags/new-tag`);
      expect(res.status).toBe(204);
      expect(res.headers['content-type']).toBe('text/html; charset=UTF-8');
    }
    expect(stored(t, PRIVATE_OF_USER)!.tags).toEqual(['snapshot', 'new-tag']);
    expect(stored(t, PRIVATE_OF_USER)!.updated_at).toBe('2026-05-06T07:08:09Z');
    expect((await as(t, 'user').delete(`/v2/images/${PRIVATE_OF_USER}/tags/new-tag`)).status).toBe(204);
    expect(stored(t, PRIVATE_OF_USER)!.tags).toEqual(['snapshot']);
  });

  it('errors: missing tag, missing image, not owner', async () => {
    const tag = await as(t, 'user').delete(`/v2/images/${PRIVATE_OF_USER}/tags/nosuch`);
    expect(tag.body).toEqual(jsonError('404 Not Found', 'The resource could not be found.'));
    const image = await as(t, 'user').put('/v2/images/00000000-0000-4000-8000-000000000000/tags/x');
    expect(image.body).toEqual(
      jsonError('404 Not Found', 'Image 00000000-0000-4000-8000-000000000000 not found.'),
    );
    const long = await as(t, 'user').put(`/v2/images/${PRIVATE_OF_USER}/tags/${'t'.repeat(256)}`);
    expect(long.status).toBe(400);
    expect(long.body.message).toContain(
      "Failed validating 'maxLength' in schema['properties']['tags']['items']:\n    {'maxLength': 255, 'type': 'string'}\n\nOn instance['tags'][0]:",
    );
    const owner = await as(t, 'user').put(`/v2/images/${CIRROS}/tags/x`);
    expect(owner.body).toEqual(jsonError('403 Forbidden', `Not allowed to update tags for image ${CIRROS}.`));
  });
});

describe('members', () => {
  const members = (id: string) => `/v2/images/${id}/members`;

  it('share, list, accept, and the image enters the member list', async () => {
    const before = await as(t, 'other').get(`/v2/images?limit=1000`);
    expect(before.body.images.map((i: { id: string }) => i.id)).not.toContain(QUEUED_OF_USER);

    const add = await as(t, 'user').post(members(QUEUED_OF_USER), { member: OTHER });
    expect(add.status).toBe(200);
    expect(add.text).toBe(
      `{"member_id": "${OTHER}", "image_id": "${QUEUED_OF_USER}", "status": "pending", "created_at": "2026-05-06T07:08:09Z", "updated_at": "2026-05-06T07:08:09Z", "schema": "/v2/schemas/member"}`,
    );
    const list = await as(t, 'user').get(members(QUEUED_OF_USER));
    expect(list.body).toEqual({ members: [add.body], schema: '/v2/schemas/members' });

    // pending: visible by id and with member_status=pending, not in the default list
    expect((await as(t, 'other').get(`/v2/images/${QUEUED_OF_USER}`)).status).toBe(200);
    const pending = await as(t, 'other').get('/v2/images?limit=1000&member_status=pending');
    expect(pending.body.images.map((i: { id: string }) => i.id)).toContain(QUEUED_OF_USER);

    const accept = await as(t, 'other')
      .put(`${members(QUEUED_OF_USER)}/${OTHER}`)
      .send({ status: 'accepted' });
    expect(accept.status).toBe(200);
    expect(accept.body.status).toBe('accepted');
    const after = await as(t, 'other').get('/v2/images?limit=1000');
    expect(after.body.images.map((i: { id: string }) => i.id)).toContain(QUEUED_OF_USER);

    const one = await as(t, 'other').get(`${members(QUEUED_OF_USER)}/${OTHER}`);
    expect(one.body.status).toBe('accepted');
  });

  it('errors of the member API', async () => {
    const dup = await as(t, 'other').post(members(SHARED_OF_OTHER), { member: USER });
    expect(dup.body).toEqual(
      jsonError('409 Conflict', `Member ${USER} is duplicated for image ${SHARED_OF_OTHER}`),
    );
    const priv = await as(t, 'user').post(members(PRIVATE_OF_USER), { member: OTHER });
    expect(priv.body).toEqual(
      jsonError('403 Forbidden', `Not allowed to create members for image ${PRIVATE_OF_USER}.`),
    );
    const notOwner = await as(t, 'user').post(members(SHARED_OF_OTHER), { member: 'x' });
    expect(notOwner.status).toBe(403);
    const notObject = await as(t, 'user').post(members(QUEUED_OF_USER), []);
    expect(notObject.body).toEqual(
      jsonError('400 Bad Request', 'Expected a member in the form: {"member": "image_id"}'),
    );
    const statusNotObject = await as(t, 'user')
      .put(`${members(SHARED_OF_OTHER)}/${USER}`)
      .send([]);
    expect(statusNotObject.body).toEqual(
      jsonError('400 Bad Request', 'Expected a status in the form: {"status": "status"}'),
    );
    const noMember = await as(t, 'user').post(members(QUEUED_OF_USER), {});
    expect(noMember.body).toEqual(jsonError('400 Bad Request', 'Member to be added not specified'));
    const listPublic = await as(t, 'user').get(members(CIRROS));
    expect(listPublic.body).toEqual(
      jsonError(
        '403 Forbidden',
        `Not allowed to list members for image ${CIRROS}: Only shared images have members.`,
      ),
    );
    const unknown = await as(t, 'other').get(`${members(SHARED_OF_OTHER)}/nobody`);
    expect(unknown.body).toEqual(
      jsonError('404 Not Found', `nobody not found in the member list of the image ${SHARED_OF_OTHER}.`),
    );
    const ownerSets = await as(t, 'other')
      .put(`${members(SHARED_OF_OTHER)}/${USER}`)
      .send({ status: 'rejected' });
    expect(ownerSets.body).toEqual(
      jsonError('403 Forbidden', `Not allowed to update members for image ${SHARED_OF_OTHER}.`),
    );
    const noStatus = await as(t, 'user')
      .put(`${members(SHARED_OF_OTHER)}/${USER}`)
      .send({});
    expect(noStatus.body).toEqual(jsonError('400 Bad Request', 'Status not specified'));
    const badStatus = await as(t, 'user')
      .put(`${members(SHARED_OF_OTHER)}/${USER}`)
      .send({ status: 'bogus' });
    expect(badStatus.body).toEqual(
      jsonError('400 Bad Request', 'Incorrect request: Status must be "pending", "accepted" or "rejected".'),
    );
    const memberDeletes = await as(t, 'user').delete(`${members(SHARED_OF_OTHER)}/${USER}`);
    expect(memberDeletes.body).toEqual(
      jsonError('403 Forbidden', `Not allowed to delete members for image ${SHARED_OF_OTHER}.`),
    );
    const missingImage = await as(t, 'user').get(members('00000000-0000-4000-8000-000000000000'));
    expect(missingImage.status).toBe(404);
  });

  it('a member sees only its own membership; the owner removes it (204, no Content-Type)', async () => {
    await as(t, 'other').post(members(SHARED_OF_OTHER), { member: 'd3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3' });
    const mine = await as(t, 'user').get(members(SHARED_OF_OTHER));
    expect(mine.body.members.map((m: { member_id: string }) => m.member_id)).toEqual([USER]);
    const all = await as(t, 'other').get(members(SHARED_OF_OTHER));
    expect(all.body.members).toHaveLength(2);
    const del = await as(t, 'other').delete(`${members(SHARED_OF_OTHER)}/${USER}`);
    expect(del.status).toBe(204);
    expect(del.headers['content-type']).toBeUndefined();
    expect((await as(t, 'user').get(`/v2/images/${SHARED_OF_OTHER}`)).status).toBe(404);
  });
});

describe('deactivate and reactivate', () => {
  const action = (id: string, what: string, who: 'admin' | 'user' = 'admin') =>
    as(t, who).post(`/v2/images/${id}/actions/${what}`);

  it('admin: active → deactivated → active, each idempotent, 204', async () => {
    for (const [what, status] of [
      ['deactivate', 'deactivated'],
      ['deactivate', 'deactivated'],
      ['reactivate', 'active'],
      ['reactivate', 'active'],
    ] as const) {
      const res = await action(CIRROS, what);
      expect(res.status).toBe(204);
      expect(res.headers['content-type']).toBe('text/html; charset=UTF-8');
      expect(stored(t, CIRROS)!.status).toBe(status);
    }
  });

  it('others: 403; wrong status: 403; unknown: 404', async () => {
    const user = await action(PRIVATE_OF_USER, 'deactivate', 'user');
    expect(user.body).toEqual(
      jsonError('403 Forbidden', 'You are not authorized to complete deactivate action.'),
    );
    const userRe = await action(DEACTIVATED, 'reactivate', 'user');
    expect(userRe.body).toEqual(
      jsonError('403 Forbidden', 'You are not authorized to complete reactivate action.'),
    );
    const queued = await action(QUEUED_OF_USER, 'deactivate');
    expect(queued.body).toEqual(
      jsonError('403 Forbidden', "Not allowed to deactivate image in status 'queued'"),
    );
    const queuedRe = await action(QUEUED_OF_USER, 'reactivate');
    expect(queuedRe.body).toEqual(
      jsonError('403 Forbidden', "Not allowed to reactivate image in status 'queued'"),
    );
    const unknown = await action('00000000-0000-4000-8000-000000000000', 'deactivate');
    expect(unknown.status).toBe(404);
    const wrongMethod = await as(t, 'admin').get(`/v2/images/${CIRROS}/actions/deactivate`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
  });
});
