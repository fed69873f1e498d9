import { beforeEach, describe, expect, it } from 'vitest';
import {
  as,
  CIRROS,
  jsonError,
  OTHER,
  PRIVATE_OF_USER,
  SHARED_OF_OTHER,
  stored,
  type TestApp,
  testApp,
  USER,
} from './kit.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  t.ctx.clock.freeze(new Date('2026-01-02T03:04:05.678Z'));
});

const KEY_ORDER = [
  'name',
  'disk_format',
  'container_format',
  'visibility',
  'size',
  'virtual_size',
  'status',
  'checksum',
  'protected',
  'min_ram',
  'min_disk',
  'owner',
  'os_hidden',
  'os_hash_algo',
  'os_hash_value',
  'id',
  'created_at',
  'updated_at',
  'tags',
  'self',
  'file',
  'schema',
];

describe('POST /v2/images', () => {
  it('creates a queued image: 201, Location, import methods, Glance key order and bytes', async () => {
    const id = '11111111-2222-3333-4444-555555555555';
    const res = await as(t, 'user').post('/v2/images', {
      name: 'cirros',
      disk_format: 'qcow2',
      container_format: 'bare',
      id,
      tags: ['b', 'a', 'b'],
      foo: 'bar',
      zeta: '1',
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/v2/images/${id}$`));
    expect(res.headers['openstack-image-import-methods']).toBe('glance-direct,web-download,copy-image');
    expect(res.headers['x-openstack-request-id']).toMatch(/^req-/);
    expect(res.text).toBe(
      `{"foo": "bar", "zeta": "1", "name": "cirros", "disk_format": "qcow2", "container_format": "bare", ` +
        `"visibility": "shared", "size": null, "virtual_size": null, "status": "queued", "checksum": null, ` +
        `"protected": false, "min_ram": 0, "min_disk": 0, "owner": "${USER}", "os_hidden": false, ` +
        `"os_hash_algo": null, "os_hash_value": null, "id": "${id}", "created_at": "2026-01-02T03:04:05Z", ` +
        `"updated_at": "2026-01-02T03:04:05Z", "tags": ["b", "a"], "self": "/v2/images/${id}", ` +
        `"file": "/v2/images/${id}/file", "schema": "/v2/schemas/image"}`,
    );
    expect(stored(t, id)?.properties).toEqual({ foo: 'bar', zeta: '1' });
  });

  it('generates a UUID and accepts a body without a JSON content type', async () => {
    const res = await as(t, 'user')
      .post('/v2/images')
      .set('Content-Type', 'text/plain')
      .send('{"name": "x"}');
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Object.keys(res.body)).toEqual(KEY_ORDER);
  });

  it('lets an admin create public images for another owner', async () => {
    const res = await as(t, 'admin').post('/v2/images', { visibility: 'public', owner: OTHER });
    expect(res.status).toBe(201);
    expect(res.body.owner).toBe(OTHER);
  });

  it('409 on a duplicate id', async () => {
    const res = await as(t, 'user').post('/v2/images', { id: CIRROS });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(jsonError('409 Conflict', `Image ID ${CIRROS} already exists!`));
  });

  it.each([
    [{ status: 'active' }, 403, "Attribute 'status' is read-only."],
    [{ checksum: 'x' }, 403, "Attribute 'checksum' is read-only."],
    [{ created_at: 'x' }, 403, "Attribute 'created_at' is read-only."],
    [{ size: 5 }, 403, "Attribute 'size' is read-only."],
    [{ self: 'x' }, 403, "Attribute 'self' is read-only."],
    [{ visibility: 'public' }, 403, 'You are not authorized to complete publicize_image action.'],
    [{ owner: OTHER }, 403, `You are not permitted to create images owned by '${OTHER}'.`],
    [{ min_ram: -1 }, 400, "Invalid value '-1' for parameter 'min_ram': Cannot be a negative value"],
    [{ min_disk: -5 }, 400, "Invalid value '-5' for parameter 'min_disk': Cannot be a negative value"],
  ])('%j → %i', async (body, status, message) => {
    const res = await as(t, 'user').post('/v2/images', body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(jsonError(status === 403 ? '403 Forbidden' : '400 Bad Request', message));
  });

  it.each(['location', 'deleted', 'deleted_at', 'os_glance_foo'])(
    'reserved %s → 403 with the detail form',
    async (name) => {
      const res = await as(t, 'user').post('/v2/images', { [name]: 'x' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual(
        jsonError('403 Forbidden', 'Access was denied to this resource.', `Attribute '${name}' is reserved.`),
      );
    },
  );

  it('locations is refused by the image factory, in the explanation form', async () => {
    const res = await as(t, 'user').post('/v2/images', { locations: [] });
    expect(res.body).toEqual(jsonError('403 Forbidden', "Attribute 'locations' is reserved."));
  });

  it('schema errors are jsonschema text, byte for byte (seed: disk_format bogus)', async () => {
    const res = await as(t, 'user').post('/v2/images', { name: 'x', disk_format: 'bogus' });
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      `{"message": "Provided object does not match schema 'image': 'bogus' is not one of [None, 'ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop']\\n\\nFailed validating 'enum' in schema['properties']['disk_format']:\\n    {'description': 'Format of the disk',\\n     'enum': [None,\\n              'ami',\\n              'ari',\\n              'aki',\\n              'vhd',\\n              'vhdx',\\n              'vmdk',\\n              'raw',\\n              'qcow2',\\n              'vdi',\\n              'iso',\\n              'ploop'],\\n     'type': ['null', 'string']}\\n\\nOn instance['disk_format']:\\n    'bogus'<br /><br />\\n\\n\\n", "code": "400 Bad Request", "title": "Bad Request"}`,
    );
  });

  it.each([
    [{ tags: 'a' }, "'a' is not of type 'array'"],
    [{ foo: 5 }, "5 is not of type 'string'"],
    [{ protected: 'yes' }, "'yes' is not of type 'boolean'"],
    [{ min_ram: '5' }, "'5' is not of type 'integer'"],
    [{ name: 'n'.repeat(256) }, `'${'n'.repeat(256)}' is too long`],
    [
      { id: 'abc' },
      "'abc' does not match '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$'",
    ],
    [{ visibility: 'everyone' }, "'everyone' is not one of ['community', 'public', 'private', 'shared']"],
    [{ tags: ['ok', 7] }, "7 is not of type 'string'"],
  ])('%j → 400 %s', async (body, message) => {
    const res = await as(t, 'user').post('/v2/images', body);
    expect(res.status).toBe(400);
    expect(
      res.body.message.startsWith(
        `Provided object does not match schema 'image': ${message}\n\nFailed validating`,
      ),
    ).toBe(true);
  });

  it('prints the custom-property and tag-item schemas the way jsonschema does', async () => {
    const prop = await as(t, 'user').post('/v2/images', { foo: 5 });
    expect(prop.body.message).toBe(
      "Provided object does not match schema 'image': 5 is not of type 'string'\n\nFailed validating 'type' in " +
        "schema['additionalProperties']:\n    {'type': 'string'}\n\nOn instance['foo']:\n    5<br /><br />\n\n\n",
    );
    const tag = await as(t, 'user').post('/v2/images', { tags: ['ok', 7] });
    expect(tag.body.message).toBe(
      "Provided object does not match schema 'image': 7 is not of type 'string'\n\nFailed validating 'type' in " +
        "schema['properties']['tags']['items']:\n    {'maxLength': 255, 'type': 'string'}\n\nOn instance['tags'][1]:\n    7<br /><br />\n\n\n",
    );
  });

  it.each([
    ['', 'Body expected in request.'],
    ['{"name": ', 'Malformed JSON in request body.'],
    ['[]', "Provided object does not match schema 'image': [] is not of type 'object'"],
    ['null', "Provided object does not match schema 'image': None is not of type 'object'"],
  ])('body %j → 400', async (body, message) => {
    const res = await as(t, 'user').post('/v2/images').set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(jsonError('400 Bad Request', message));
  });

  it('a body over the size cap is 413, never a 500', async () => {
    const small = await testApp({ maxBodyBytes: 64 });
    const res = await as(small, 'user').post('/v2/images', { name: 'x'.repeat(200) });
    expect(res.status).toBe(413);
  });

  it('a custom property named __proto__ is just a property', async () => {
    const res = await as(t, 'user')
      .post('/v2/images')
      .set('Content-Type', 'application/json')
      .send('{"__proto__": "x", "constructor": "y"}');
    expect(res.status).toBe(201);
    expect(res.text).toContain('{"__proto__": "x", "constructor": "y", "name": null');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('GET /v2/images/{id}', () => {
  it('shows a visible image', async () => {
    const res = await as(t, 'user').get(`/v2/images/${CIRROS}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(CIRROS);
    expect(Object.keys(res.body)).toEqual(['os_distro', 'os_version', 'hw_disk_bus', ...KEY_ORDER]);
  });

  it('404 for images the caller cannot see, missing ids and malformed ids', async () => {
    for (const id of [PRIVATE_OF_USER, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await as(t, 'other').get(`/v2/images/${id}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(jsonError('404 Not Found', `No image found with ID ${id}`));
    }
  });

  it('a member sees a shared image by id whatever its membership status', async () => {
    expect((await as(t, 'user').get(`/v2/images/${SHARED_OF_OTHER}`)).status).toBe(200);
    expect((await as(t, 'admin').get(`/v2/images/${PRIVATE_OF_USER}`)).status).toBe(200);
  });
});

describe('DELETE /v2/images/{id}', () => {
  it('204, labelled text/html with zero length; the image is gone', async () => {
    const res = await as(t, 'user').delete(`/v2/images/${PRIVATE_OF_USER}`);
    expect(res.status).toBe(204);
    expect(res.headers['content-type']).toBe('text/html; charset=UTF-8');
    expect(res.headers['content-length']).toBe('0');
    expect(stored(t, PRIVATE_OF_USER)).toBeUndefined();
    expect((await as(t, 'user').get(`/v2/images/${PRIVATE_OF_USER}`)).status).toBe(404);
  });

  it('protected → 403; not owner → 403; invisible → 404', async () => {
    const prot = await as(t, 'admin').delete(`/v2/images/${CIRROS}`);
    expect(prot.body).toEqual(
      jsonError('403 Forbidden', `Image ${CIRROS} is protected and cannot be deleted.`),
    );
    const notMine = await as(t, 'user').delete(`/v2/images/${SHARED_OF_OTHER}`);
    expect(notMine.body).toEqual(jsonError('403 Forbidden', 'You do not own this image'));
    const hidden = await as(t, 'other').delete(`/v2/images/${PRIVATE_OF_USER}`);
    expect(hidden.body).toEqual(
      jsonError('404 Not Found', `Failed to find image ${PRIVATE_OF_USER} to delete`),
    );
  });
});
