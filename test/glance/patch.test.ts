import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ACCEPT_PATCH_VALUE,
  as,
  CIRROS,
  jsonError,
  OTHER,
  PATCH_20,
  PATCH_21,
  PRIVATE_OF_USER,
  QUEUED_OF_USER,
  SHARED_OF_OTHER,
  stored,
  type TestApp,
  testApp,
} from './kit.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  t.ctx.clock.freeze(new Date('2026-03-04T05:06:07Z'));
});

const patch = (
  body: unknown,
  id = PRIVATE_OF_USER,
  who: 'user' | 'admin' | 'other' = 'user',
  type?: string,
) => as(t, who).patch(`/v2/images/${id}`, body, type);

describe('PATCH /v2/images/{id}', () => {
  it('add, replace and remove; updated_at moves; answer is the image', async () => {
    const before = stored(t, PRIVATE_OF_USER)!;
    expect(before.updated_at).not.toBe('2026-03-04T05:06:07Z');
    const res = await patch([
      { op: 'replace', path: '/name', value: 'renamed' },
      { op: 'add', path: '/color', value: 'blue' },
      { op: 'replace', path: '/image_type', value: 'image' },
      { op: 'remove', path: '/instance_uuid' },
      { op: 'add', path: '/tags', value: ['x', 'y', 'x'] },
      { op: 'replace', path: '/min_ram', value: 1024 },
      { op: 'replace', path: '/protected', value: true },
      { op: 'replace', path: '/os_hidden', value: true },
      { op: 'replace', path: '/visibility', value: 'community' },
    ]);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toMatchObject({
      name: 'renamed',
      color: 'blue',
      image_type: 'image',
      tags: ['x', 'y'],
      min_ram: 1024,
      protected: true,
      os_hidden: true,
      visibility: 'community',
      updated_at: '2026-03-04T05:06:07Z',
    });
    expect(res.body.instance_uuid).toBeUndefined();
    expect(Object.keys(res.body).slice(0, 2)).toEqual(['image_type', 'color']);
    expect(stored(t, PRIVATE_OF_USER)!.name).toBe('renamed');
  });

  it('an empty patch answers the image unchanged (updated_at too), even to a non-owner', async () => {
    const before = stored(t, CIRROS)!.updated_at;
    const res = await patch([], CIRROS);
    expect(res.status).toBe(200);
    expect(res.body.updated_at).toBe(before);
  });

  it('v2.1 add on an existing property replaces it; v2.0 says already present', async () => {
    const v21 = await patch([{ op: 'add', path: '/image_type', value: 'x' }]);
    expect(v21.body.image_type).toBe('x');
    const v20 = await patch([{ add: '/image_type', value: 'y' }], PRIVATE_OF_USER, 'user', PATCH_20);
    expect(v20.status).toBe(409);
    expect(v20.body).toEqual(
      jsonError(
        '409 Conflict',
        'There was a conflict when trying to complete your request.',
        'Property image_type already present.',
      ),
    );
    const v20new = await patch(
      [
        { add: '/fresh', value: 'y' },
        { replace: '/name', value: 'n' },
      ],
      PRIVATE_OF_USER,
      'user',
      PATCH_20,
    );
    expect(v20new.status).toBe(200);
    expect(v20new.body).toMatchObject({ fresh: 'y', name: 'n' });
  });

  it('all changes or none: a failing change leaves the image as it was', async () => {
    const res = await patch([
      { op: 'replace', path: '/name', value: 'changed' },
      { op: 'remove', path: '/nosuch' },
    ]);
    expect(res.status).toBe(409);
    expect(stored(t, PRIVATE_OF_USER)!.name).toBe('demo-private-snapshot');
  });

  it.each([
    ['application/json', 415],
    ['application/json-patch+json', 415],
  ])('Content-Type %s → 415 with Accept-Patch', async (type, status) => {
    const res = await patch([], PRIVATE_OF_USER, 'user', type);
    expect(res.status).toBe(status);
    expect(res.headers['accept-patch']).toBe(ACCEPT_PATCH_VALUE);
    expect(res.text).toBe(
      `{"message": "The request media type ${type} is not supported by this server.\\n<br /><br />\\n", "code": "415 Unsupported Media Type", "title": "Unsupported Media Type"}`,
    );
  });

  it.each([
    [
      { op: 'move', from: '/a', path: '/b' },
      400,
      'Invalid operation: `move`. It must be one of the following: add, remove, replace.',
    ],
    [
      { path: '/name', value: 'x' },
      400,
      'Unable to find `op` in JSON Schema change. It must be one of the following: add, remove, replace.',
    ],
    [{ op: 'add', value: 'x' }, 400, "Unable to find 'path' in JSON Schema change"],
    [{ op: 'replace', path: '/name' }, 400, 'Operation "replace" requires a member named "value".'],
    [{ op: 'add', path: 'name', value: 'x' }, 400, 'Pointer `name` does not start with "/".'],
    [{ op: 'add', path: '/tags/0', value: 'x' }, 400, "Invalid JSON pointer for this resource: '/tags/0'"],
    [{ op: 'add', path: '/tags/-', value: 'x' }, 400, "Invalid JSON pointer for this resource: '/tags/-'"],
    [{ op: 'add', path: '/a//b', value: 'x' }, 400, 'Pointer `/a//b` contains adjacent "/".'],
    [{ op: 'add', path: '/a/', value: 'x' }, 400, 'Pointer `/a/` end with "/".'],
    [
      { op: 'add', path: '/a~2', value: 'x' },
      400,
      'Pointer `/a~2` contains "~" not part of a recognized escape sequence.',
    ],
    [{ op: 'replace', path: '/id', value: 'x' }, 403, "Attribute 'id' is read-only."],
    [{ op: 'replace', path: '/status', value: 'active' }, 403, "Attribute 'status' is read-only."],
    [{ op: 'remove', path: '/checksum' }, 403, "Attribute 'checksum' is read-only."],
    [{ op: 'replace', path: '/location', value: 'x' }, 403, "Attribute 'location' is reserved."],
    [{ op: 'add', path: '/os_glance_x', value: 'x' }, 403, "Attribute 'os_glance_x' is reserved."],
    [
      { op: 'replace', path: '/min_ram', value: -1 },
      400,
      "Invalid value '-1' for parameter 'min_ram': Cannot be a negative value",
    ],
    [
      { op: 'replace', path: '/visibility', value: 'public' },
      403,
      'You are not authorized to complete publicize_image action.',
    ],
    [
      { op: 'replace', path: '/disk_format', value: 'raw' },
      403,
      'Attribute disk_format can be only replaced for a queued image.',
    ],
    [
      { op: 'add', path: '/locations/-', value: {} },
      403,
      "It's not allowed to add locations if locations are invisible.",
    ],
  ])('%j → %i', async (change, status, message) => {
    const res = await patch([change]);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(jsonError(status === 400 ? '400 Bad Request' : '403 Forbidden', message));
  });

  it.each([
    [{ op: 'replace', path: '/locations', value: [] }, 403, 'Cannot set locations to empty list.'],
    [{ op: 'remove', path: '/name' }, 403, 'Property name may not be removed.'],
    [{ op: 'remove', path: '/tags' }, 403, 'Property tags may not be removed.'],
    [{ op: 'replace', path: '/owner', value: OTHER }, 403, "Owner can't be updated by non admin."],
    [{ op: 'remove', path: '/nosuch' }, 409, 'Property nosuch does not exist.'],
    [{ op: 'replace', path: '/nosuch', value: 'x' }, 409, 'Property nosuch does not exist.'],
  ])('%j → %i with a detail', async (change, status, detail) => {
    const res = await patch([change]);
    expect(res.status).toBe(status);
    const stock =
      status === 403
        ? 'Access was denied to this resource.'
        : 'There was a conflict when trying to complete your request.';
    expect(res.body).toEqual(jsonError(status === 403 ? '403 Forbidden' : '409 Conflict', stock, detail));
  });

  it.each([
    ['{"op": "add"}', 'Request body must be a JSON array of operation objects.'],
    ['[1, 2]', 'Operations must be JSON objects.'],
    ['[{]', 'Malformed JSON in request body.'],
  ])('body %s → 400', async (body, message) => {
    const res = await request(t.app)
      .patch(`/v2/images/${PRIVATE_OF_USER}`)
      .set({ 'X-Auth-Token': 'user-token', Accept: 'application/json', 'Content-Type': PATCH_21 })
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(jsonError('400 Bad Request', message));
  });

  it('values are checked against the image schema', async () => {
    const res = await patch([{ op: 'add', path: '/foo', value: 5 }]);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      "Provided object does not match schema 'image': 5 is not of type 'string'\n\nFailed validating 'type' in " +
        "schema['additionalProperties']:\n    {'type': 'string'}\n\nOn instance['foo']:\n    5<br /><br />\n\n\n",
    );
    const tags = await patch([{ op: 'replace', path: '/tags', value: 'a' }]);
    expect(tags.body.message).toContain("'a' is not of type 'array'");
  });

  it('formats may change while queued; an admin may change the owner', async () => {
    const res = await patch([{ op: 'replace', path: '/disk_format', value: 'raw' }], QUEUED_OF_USER);
    expect(res.body.disk_format).toBe('raw');
    const owner = await patch([{ op: 'replace', path: '/owner', value: OTHER }], PRIVATE_OF_USER, 'admin');
    expect(owner.body.owner).toBe(OTHER);
  });

  it('only the owner may patch: visible → 403, invisible → 404, checks before the image is fetched', async () => {
    const visible = await patch([{ op: 'replace', path: '/name', value: 'x' }], CIRROS);
    expect(visible.body).toEqual(jsonError('403 Forbidden', 'You do not own this image'));
    const member = await patch([{ op: 'replace', path: '/name', value: 'x' }], SHARED_OF_OTHER);
    expect(member.status).toBe(403);
    const invisible = await patch([{ op: 'replace', path: '/name', value: 'x' }], PRIVATE_OF_USER, 'other');
    expect(invisible.body).toEqual(jsonError('404 Not Found', `No image found with ID ${PRIVATE_OF_USER}`));
    const readOnlyFirst = await patch(
      [{ op: 'replace', path: '/status', value: 'x' }],
      '00000000-0000-4000-8000-000000000000',
    );
    expect(readOnlyFirst.status).toBe(403);
  });

  it('paths such as /__proto__ and /constructor/prototype never touch a prototype', async () => {
    const res = await patch([{ op: 'add', path: '/__proto__', value: 'polluted' }]);
    expect(res.status).toBe(200);
    expect(res.text).toContain('"__proto__": "polluted"');
    expect(Object.getPrototypeOf(stored(t, PRIVATE_OF_USER)!.properties)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const nested = await patch([{ op: 'add', path: '/constructor/prototype', value: 'x' }]);
    expect(nested.body).toEqual(
      jsonError('400 Bad Request', "Invalid JSON pointer for this resource: '/constructor/prototype'"),
    );
    const ctor = await patch([{ op: 'add', path: '/constructor', value: 'c' }]);
    expect(ctor.body.constructor).toBe('c');
    expect(typeof ({} as { constructor: unknown }).constructor).toBe('function');
    const removed = await patch([{ op: 'remove', path: '/toString' }]);
    expect(removed.status).toBe(409);
  });
});
