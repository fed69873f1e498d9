import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { as, jsonError, type TestApp, testApp } from './kit.js';

/**
 * Expected bodies are what a real Glance 25 (Debian's, metadefs loaded,
 * ../shared/tools/real-glance) answered to the same requests, with its
 * timestamps replaced by the fixtures' (the namespaces Debian loads carry
 * no updated_at; Mock::Labels was created there through the API with the
 * fixture's content).
 */
let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  t.ctx.clock.freeze(new Date('2026-05-06T07:08:09Z'));
});

const NS = '/v2/metadefs/namespaces';
const STAMP = '2026-05-06T07:08:09Z';

describe('namespaces', () => {
  it('GET one: the namespace with associations and properties, byte for byte', async () => {
    const res = await as(t, 'user').get(`${NS}/OS::Compute::Watchdog`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toBe(
      '{"namespace": "OS::Compute::Watchdog", "display_name": "Watchdog Behavior", "description": "Compute drivers may enable watchdog behavior over instances.  See: http://docs.openstack.org/admin-guide/compute-flavors.html", "visibility": "public", "protected": true, "owner": "admin", "created_at": "2024-05-01T09:00:00Z", "resource_type_associations": [{"name": "OS::Glance::Image", "prefix": "hw_", "created_at": "2024-05-01T09:00:00Z"}, {"name": "OS::Cinder::Volume", "prefix": "hw_", "properties_target": "image", "created_at": "2024-05-01T09:00:00Z"}, {"name": "OS::Nova::Flavor", "prefix": "hw:", "created_at": "2024-05-01T09:00:00Z"}], "properties": {"watchdog_action": {"type": "string", "title": "Watchdog Action", "description": "For the libvirt driver, you can enable and set the behavior of a virtual hardware watchdog device for each flavor. Watchdog devices keep an eye on the guest server, and carry out the configured action, if the server hangs. The watchdog uses the i6300esb device (emulating a PCI Intel 6300ESB). If hw_watchdog_action is not specified, the watchdog is disabled. Watchdog behavior set using a specific image\'s properties will override behavior set using flavors.", "enum": ["disabled", "reset", "poweroff", "pause", "none"]}}, "self": "/v2/metadefs/namespaces/OS::Compute::Watchdog", "schema": "/v2/schemas/metadefs/namespace"}',
    );
  });

  it('GET one with resource_type: property names carry that type’s prefix', async () => {
    const res = await as(t, 'user').get(`${NS}/OS::Compute::Watchdog?resource_type=OS::Nova::Flavor`);
    expect(res.text).toBe(
      '{"namespace": "OS::Compute::Watchdog", "display_name": "Watchdog Behavior", "description": "Compute drivers may enable watchdog behavior over instances.  See: http://docs.openstack.org/admin-guide/compute-flavors.html", "visibility": "public", "protected": true, "owner": "admin", "created_at": "2024-05-01T09:00:00Z", "resource_type_associations": [{"name": "OS::Glance::Image", "prefix": "hw_", "created_at": "2024-05-01T09:00:00Z"}, {"name": "OS::Cinder::Volume", "prefix": "hw_", "properties_target": "image", "created_at": "2024-05-01T09:00:00Z"}, {"name": "OS::Nova::Flavor", "prefix": "hw:", "created_at": "2024-05-01T09:00:00Z"}], "properties": {"hw:watchdog_action": {"type": "string", "title": "Watchdog Action", "description": "For the libvirt driver, you can enable and set the behavior of a virtual hardware watchdog device for each flavor. Watchdog devices keep an eye on the guest server, and carry out the configured action, if the server hangs. The watchdog uses the i6300esb device (emulating a PCI Intel 6300ESB). If hw_watchdog_action is not specified, the watchdog is disabled. Watchdog behavior set using a specific image\'s properties will override behavior set using flavors.", "enum": ["disabled", "reset", "poweroff", "pause", "none"]}}, "self": "/v2/metadefs/namespaces/OS::Compute::Watchdog", "schema": "/v2/schemas/metadefs/namespace"}',
    );
  });

  it('GET one with objects and tags (the user project’s private namespace)', async () => {
    const res = await as(t, 'user').get(`${NS}/Mock::Labels`);
    expect(res.text).toBe(
      '{"namespace": "Mock::Labels", "display_name": "Project labels", "description": "Labels a project puts on its images.", "visibility": "private", "protected": false, "owner": "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1", "created_at": "2024-05-02T10:00:00Z", "updated_at": "2024-05-02T10:00:00Z", "resource_type_associations": [{"name": "OS::Glance::Image", "prefix": "label_", "created_at": "2024-05-02T10:00:00Z", "updated_at": "2024-05-02T10:00:00Z"}], "properties": {"tier": {"type": "string", "title": "Tier", "description": "Service tier.", "default": "bronze", "enum": ["gold", "silver", "bronze"]}}, "objects": [{"name": "Retention", "required": ["days"], "description": "How long to keep an image.", "properties": {"days": {"type": "integer", "title": "Days", "default": "30", "minimum": 1, "maximum": 3650}}, "created_at": "2024-05-02T10:00:00Z", "updated_at": "2024-05-02T10:00:00Z", "self": "/v2/metadefs/namespaces/Mock::Labels/objects/Retention", "schema": "/v2/schemas/metadefs/object"}], "tags": [{"name": "bronze"}, {"name": "silver"}, {"name": "gold"}], "self": "/v2/metadefs/namespaces/Mock::Labels", "schema": "/v2/schemas/metadefs/namespace"}',
    );
  });

  it('GET one: missing, and private to another project', async () => {
    const missing = await as(t, 'user').get(`${NS}/nosuch`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(
      jsonError('404 Not Found', 'Metadata definition namespace=nosuch was not found.'),
    );
    const hidden = await as(t, 'other').get(`${NS}/Mock::Labels`);
    expect(hidden.body).toEqual(jsonError('404 Not Found', 'The resource could not be found.'));
    const osPrivate = await as(t, 'user').get(`${NS}/OS::OperatingSystem`);
    expect(osPrivate.status).toBe(404);
    expect((await as(t, 'admin').get(`${NS}/OS::OperatingSystem`)).body.visibility).toBe('private');
  });

  it('list: newest first, id descending among equals, paged by name with first/next links', async () => {
    const res = await as(t, 'user').get(`${NS}?limit=2`);
    expect(res.status).toBe(200);
    expect(res.body.namespaces.map((n: { namespace: string }) => n.namespace)).toEqual([
      'Mock::Labels',
      'OS::Compute::Watchdog',
    ]);
    expect(res.body.next).toBe('/v2/metadefs/namespaces?limit=2&marker=OS%3A%3ACompute%3A%3AWatchdog');
    expect(res.body.first).toBe('/v2/metadefs/namespaces?limit=2');
    expect(Object.keys(res.body)).toEqual(['namespaces', 'next', 'schema', 'first']);
    const next = await as(t, 'user').get(res.body.next as string);
    expect(next.body.namespaces.map((n: { namespace: string }) => n.namespace)).toEqual([
      'OS::Compute::CPUMode',
      'OS::Glance::Signatures',
    ]);
    // the admin project's private namespace (loaded without visibility) is not the user's
    const all = await as(t, 'user').get(NS);
    expect(all.body.namespaces).toHaveLength(5);
    expect(Object.keys(all.body)).toEqual(['namespaces', 'schema', 'first']);
    expect((await as(t, 'admin').get(NS)).body.namespaces).toHaveLength(6);
  });

  it('list filters: visibility, resource_types; errors as Glance words them', async () => {
    const empty = await as(t, 'admin').get(`${NS}?visibility=private&limit=0`);
    expect(empty.text).toBe(
      '{"namespaces": [], "schema": "/v2/schemas/metadefs/namespaces", "first": "/v2/metadefs/namespaces?visibility=private&limit=0"}',
    );
    const none = await as(t, 'user').get(`${NS}?resource_types=nosuch`);
    expect(none.text).toBe(
      '{"namespaces": [], "schema": "/v2/schemas/metadefs/namespaces", "first": "/v2/metadefs/namespaces?resource_types=nosuch"}',
    );
    const servers = await as(t, 'user').get(`${NS}?resource_types=OS::Nova::Server`);
    expect(servers.body.namespaces.map((n: { namespace: string }) => n.namespace)).toEqual([
      'OS::Software::WebServers',
    ]);
    expect((await as(t, 'user').get(`${NS}?visibility=bogus`)).body).toEqual(
      jsonError('400 Bad Request', 'Invalid visibility value: bogus'),
    );
    expect((await as(t, 'user').get(`${NS}?sort_dir=bogus`)).body).toEqual(
      jsonError('400 Bad Request', 'Invalid sort direction: bogus'),
    );
    expect((await as(t, 'user').get(`${NS}?limit=-1`)).body).toEqual(
      jsonError('400 Bad Request', 'limit param must be positive'),
    );
    expect((await as(t, 'user').get(`${NS}?marker=nosuch`)).body).toEqual(
      jsonError('404 Not Found', 'Metadata definition namespace=nosuch was not found.'),
    );
  });

  it('POST: admin creates (201, Location), a duplicate is 409, a member is refused', async () => {
    const res = await as(t, 'admin').post(NS, { namespace: 'T1' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toMatch(/\/v2\/metadefs\/namespaces\/T1$/);
    expect(res.text).toBe(
      `{"namespace": "T1", "visibility": "private", "protected": false, "owner": "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0", "created_at": "${STAMP}", "updated_at": "${STAMP}", "self": "/v2/metadefs/namespaces/T1", "schema": "/v2/schemas/metadefs/namespace"}`,
    );
    expect((await as(t, 'admin').post(NS, { namespace: 'T1' })).body).toEqual(
      jsonError('409 Conflict', 'The metadata definition namespace=T1 already exists.'),
    );
    expect((await as(t, 'user').post(NS, { namespace: 'T2' })).body).toEqual(
      jsonError('403 Forbidden', 'You are not authorized to complete add_metadef_namespace action.'),
    );
    expect((await as(t, 'admin').post(NS, { namespace: 'T2', created_at: 'x' })).body).toEqual(
      jsonError('403 Forbidden', "Attribute 'created_at' is read-only."),
    );
    expect((await as(t, 'admin').post(NS, { namespace: 'T2', visibility: 'bogus' })).body.message).toBe(
      "Provided object does not match schema 'namespace': 'bogus' is not one of ['public', 'private']\n\nFailed validating 'enum' in schema['properties']['visibility']:\n    {'description': 'Scope of namespace accessibility.',\n     'enum': ['public', 'private'],\n     'type': 'string'}\n\nOn instance['visibility']:\n    'bogus'<br /><br />\n\n\n",
    );
  });

  it('POST with everything in it: the answer echoes the request, UTF-8 kept, defaults as text', async () => {
    const body = {
      namespace: 'T3',
      display_name: 'Tést é',
      description: 'd',
      visibility: 'public',
      protected: true,
      owner: 'b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1',
      resource_type_associations: [
        { name: 'OS::Glance::Image', prefix: 't3_' },
        { name: 'OS::New::Thing', properties_target: 'image' },
      ],
      properties: {
        p1: { type: 'integer', title: 'P1', default: 5, minimum: 1, maximum: 9 },
        p2: { type: 'boolean', title: 'P2', default: true },
      },
      objects: [
        {
          name: 'O1',
          description: 'obj',
          properties: { op: { type: 'string', title: 'OP', enum: ['a', 'b'] } },
          required: ['op'],
        },
      ],
      tags: [{ name: 'tag1' }, { name: 'tag2' }],
    };
    const res = await as(t, 'admin').post(NS, body);
    expect(res.status).toBe(201);
    expect(res.text).toBe(
      `{"namespace": "T3", "display_name": "Tést é", "description": "d", "visibility": "public", "protected": true, "owner": "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1", "created_at": "${STAMP}", "updated_at": "${STAMP}", "resource_type_associations": [{"name": "OS::Glance::Image", "prefix": "t3_"}, {"name": "OS::New::Thing", "properties_target": "image"}], "properties": {"p1": {"type": "integer", "title": "P1", "default": "5", "minimum": 1, "maximum": 9}, "p2": {"type": "boolean", "title": "P2", "default": "True"}}, "objects": [{"name": "O1", "required": ["op"], "description": "obj", "properties": {"op": {"type": "string", "title": "OP", "enum": ["a", "b"]}}}], "tags": [{"name": "tag1"}, {"name": "tag2"}], "self": "/v2/metadefs/namespaces/T3", "schema": "/v2/schemas/metadefs/namespace"}`,
    );
    const shown = await as(t, 'admin').get(`${NS}/T3?resource_type=OS::Glance::Image`);
    expect(shown.text).toBe(
      `{"namespace": "T3", "display_name": "Tést é", "description": "d", "visibility": "public", "protected": true, "owner": "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1", "created_at": "${STAMP}", "updated_at": "${STAMP}", "resource_type_associations": [{"name": "OS::Glance::Image", "prefix": "t3_", "created_at": "${STAMP}", "updated_at": "${STAMP}"}, {"name": "OS::New::Thing", "properties_target": "image", "created_at": "${STAMP}", "updated_at": "${STAMP}"}], "properties": {"t3_p1": {"type": "integer", "title": "P1", "default": "5", "minimum": 1, "maximum": 9}, "t3_p2": {"type": "boolean", "title": "P2", "default": "True"}}, "objects": [{"name": "O1", "required": ["t3_op"], "description": "obj", "properties": {"t3_op": {"type": "string", "title": "OP", "enum": ["a", "b"]}}, "created_at": "${STAMP}", "updated_at": "${STAMP}", "self": "/v2/metadefs/namespaces/T3/objects/O1", "schema": "/v2/schemas/metadefs/object"}], "tags": [{"name": "tag2"}, {"name": "tag1"}], "self": "/v2/metadefs/namespaces/T3", "schema": "/v2/schemas/metadefs/namespace"}`,
    );
    const types = await as(t, 'admin').get('/v2/metadefs/resource_types');
    expect(types.body.resource_types.at(-1)).toEqual({
      name: 'OS::New::Thing',
      created_at: STAMP,
      updated_at: STAMP,
    });
  });

  it('PUT replaces the fields (left out: null / defaults), rename conflicts 409, others 404', async () => {
    await as(t, 'admin').post(NS, { namespace: 'T1' });
    const res = await as(t, 'admin')
      .put(`${NS}/T1`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ namespace: 'T1b', description: 'new' }));
    expect(res.text).toBe(
      `{"namespace": "T1b", "description": "new", "visibility": "private", "protected": false, "owner": "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0", "created_at": "${STAMP}", "updated_at": "${STAMP}", "self": "/v2/metadefs/namespaces/T1b", "schema": "/v2/schemas/metadefs/namespace"}`,
    );
    const dup = await as(t, 'admin')
      .put(`${NS}/T1b`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ namespace: 'Mock::Labels' }));
    expect(dup.body).toEqual(
      jsonError(
        '409 Conflict',
        'Invalid update. It would result in a duplicate metadata definition namespace with the same name of Mock::Labels',
      ),
    );
    const other = await as(t, 'other')
      .put(`${NS}/T1b`)
      .set('Content-Type', 'application/json')
      .send('{"namespace": "x"}');
    expect(other.body).toEqual(jsonError('404 Not Found', 'Namespace T1b not found'));
    const user = await as(t, 'user')
      .put(`${NS}/Mock::Labels`)
      .set('Content-Type', 'application/json')
      .send('{"namespace": "x"}');
    expect(user.body).toEqual(
      jsonError('403 Forbidden', 'You are not authorized to complete modify_metadef_namespace action.'),
    );
  });

  it('DELETE: 204 for an unprotected one and all its content; protected 403; missing 404', async () => {
    const del = await as(t, 'admin').delete(`${NS}/Mock::Labels`);
    expect(del.status).toBe(204);
    expect(del.headers['content-type']).toBe('text/html; charset=UTF-8');
    expect((await as(t, 'admin').get(`${NS}/Mock::Labels`)).status).toBe(404);
    expect((await as(t, 'admin').delete(`${NS}/OS::Compute::Watchdog`)).body).toEqual(
      jsonError(
        '403 Forbidden',
        'Metadata definition namespace OS::Compute::Watchdog is protected and cannot be deleted.',
      ),
    );
    expect((await as(t, 'admin').delete(`${NS}/nosuch`)).body).toEqual(
      jsonError('404 Not Found', 'Namespace nosuch not found'),
    );
    expect((await as(t, 'user').delete(`${NS}/OS::Glance::Signatures`)).body).toEqual(
      jsonError('403 Forbidden', 'You are not authorized to complete delete_metadef_namespace action.'),
    );
    expect((await as(t, 'admin').delete(`${NS}/OS::Compute::Watchdog/properties`)).status).toBe(403);
  });
});

describe('objects', () => {
  const objects = `${NS}/Mock::Labels/objects`;
  it('list, show, create, rename, delete', async () => {
    const list = await as(t, 'user').get(objects);
    expect(list.text).toBe(
      '{"objects": [{"name": "Retention", "required": ["days"], "description": "How long to keep an image.", "properties": {"days": {"type": "integer", "title": "Days", "default": "30", "minimum": 1, "maximum": 3650}}, "created_at": "2024-05-02T10:00:00Z", "updated_at": "2024-05-02T10:00:00Z", "self": "/v2/metadefs/namespaces/Mock::Labels/objects/Retention", "schema": "/v2/schemas/metadefs/object"}], "schema": "v2/schemas/metadefs/objects"}',
    );
    const made = await as(t, 'admin').post(objects, {
      name: 'O2',
      description: 'two',
      required: [],
      properties: { x: { type: 'integer', title: 'X', minimum: 0 } },
    });
    expect(made.status).toBe(201);
    expect(made.text).toBe(
      `{"name": "O2", "required": [], "description": "two", "properties": {"x": {"type": "integer", "title": "X", "minimum": 0}}, "created_at": "${STAMP}", "updated_at": "${STAMP}", "self": "/v2/metadefs/namespaces/Mock::Labels/objects/O2", "schema": "/v2/schemas/metadefs/object"}`,
    );
    expect((await as(t, 'admin').post(objects, { name: 'O2' })).body).toEqual(
      jsonError(
        '409 Conflict',
        'A metadata definition object with name=O2 already exists in namespace=Mock::Labels.',
      ),
    );
    const renamed = await as(t, 'admin')
      .put(`${objects}/O2`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'O2b', description: 'renamed' }));
    expect(renamed.text).toBe(
      `{"name": "O2b", "description": "renamed", "created_at": "${STAMP}", "updated_at": "${STAMP}", "self": "/v2/metadefs/namespaces/Mock::Labels/objects/O2b", "schema": "/v2/schemas/metadefs/object"}`,
    );
    expect((await as(t, 'user').get(`${objects}/O2b`)).body).toMatchObject({ required: [], properties: {} });
    expect((await as(t, 'user').get(`${objects}/nosuch`)).body).toEqual(
      jsonError('404 Not Found', 'Could not find metadata object nosuch'),
    );
    expect((await as(t, 'user').get(`${NS}/nosuch/objects`)).body).toEqual(
      jsonError('404 Not Found', 'Metadata definition namespace=nosuch was not found.'),
    );
    expect((await as(t, 'admin').delete(`${objects}/O2b`)).status).toBe(204);
    expect((await as(t, 'admin').delete(`${NS}/OS::Software::WebServers/objects/IIS`)).body).toEqual(
      jsonError('403 Forbidden', 'Metadata definition object IIS is protected and cannot be deleted.'),
    );
    expect((await as(t, 'user').post(objects, { name: 'O3' })).body).toEqual(
      jsonError('403 Forbidden', 'You are not authorized to complete add_metadef_object action.'),
    );
  });
});

describe('properties', () => {
  it('list and show (with a resource type prefix), create, rename, delete', async () => {
    expect((await as(t, 'user').get(`${NS}/OS::Compute::CPUMode/properties`)).text).toBe(
      '{"properties": {"cpu_mode": {"type": "string", "title": "CPU Mode", "description": "Type of CPU Mode.", "enum": ["none", "host-model", "host-passthrough", "custom"]}}}',
    );
    const props = `${NS}/Mock::Labels/properties`;
    const made = await as(t, 'admin').post(props, {
      name: 'pb',
      type: 'integer',
      title: 'PB',
      default: 3,
      minimum: 1,
    });
    expect(made.status).toBe(201);
    expect(made.text).toBe('{"name": "pb", "type": "integer", "title": "PB", "default": "3", "minimum": 1}');
    expect((await as(t, 'admin').post(props, { name: 'pb', type: 'string', title: 'x' })).body).toEqual(
      jsonError(
        '409 Conflict',
        'A metadata definition property with name=pb already exists in namespace=Mock::Labels.',
      ),
    );
    expect((await as(t, 'user').get(`${props}/label_tier?resource_type=OS::Glance::Image`)).body.name).toBe(
      'tier',
    );
    expect((await as(t, 'user').get(`${props}/tier?resource_type=OS::Glance::Image`)).body).toEqual(
      jsonError(
        '404 Not Found',
        "Property tier does not start with the expected resource type association prefix of 'label_'.",
      ),
    );
    expect((await as(t, 'user').get(`${props}/nosuch`)).body).toEqual(
      jsonError('404 Not Found', 'Could not find property nosuch'),
    );
    const renamed = await as(t, 'admin')
      .put(`${props}/pb`)
      .set('Content-Type', 'application/json')
      .send('{"name": "pb2", "type": "string", "title": "PB2"}');
    expect(renamed.text).toBe('{"name": "pb2", "type": "string", "title": "PB2"}');
    expect((await as(t, 'admin').delete(`${props}/pb2`)).status).toBe(204);
    expect((await as(t, 'admin').delete(`${props}/pb2`)).body).toEqual(
      jsonError('404 Not Found', 'Could not find property pb2'),
    );
    expect((await as(t, 'admin').post(props, { type: 'string', title: 'x' })).body.message).toMatch(
      /^Provided object does not match schema 'property': 'name' is a required property\n\nFailed validating 'required' in schema:\n/,
    );
  });
});

describe('tags', () => {
  const tags = `${NS}/Mock::Labels/tags`;
  it('list newest first; POST many replaces unless X-Openstack-Append; one by path; rename; delete', async () => {
    expect((await as(t, 'user').get(tags)).text).toBe(
      '{"tags": [{"name": "bronze"}, {"name": "silver"}, {"name": "gold"}]}',
    );
    const one = await as(t, 'admin').post(`${tags}/t-one`);
    expect(one.status).toBe(201);
    expect(one.text).toBe(`{"name": "t-one", "created_at": "${STAMP}", "updated_at": "${STAMP}"}`);
    expect((await as(t, 'admin').post(`${tags}/t-one`)).body).toEqual(
      jsonError(
        '409 Conflict',
        'A metadata tag with name=t-one already exists in namespace=Mock::Labels. (Please note that metadata tag names are case insensitive).',
      ),
    );
    const many = await as(t, 'admin').post(tags, { tags: [{ name: 'a' }, { name: 'b' }] });
    expect(many.status).toBe(201);
    expect(many.text).toBe('{"tags": [{"name": "a"}, {"name": "b"}]}');
    expect((await as(t, 'admin').get(tags)).text).toBe('{"tags": [{"name": "b"}, {"name": "a"}]}');
    const appended = await as(t, 'admin')
      .post(tags, { tags: [{ name: 'c' }] })
      .set('X-Openstack-Append', 'true');
    expect(appended.text).toBe('{"tags": [{"name": "c"}]}');
    expect((await as(t, 'admin').post(tags, { tags: [{ name: 'd' }, { name: 'd' }] })).status).toBe(409);
    expect((await as(t, 'admin').get(tags)).text).toBe(
      '{"tags": [{"name": "c"}, {"name": "b"}, {"name": "a"}]}',
    );
    expect((await as(t, 'admin').get(`${tags}?limit=1&sort_dir=asc`)).text).toBe('{"tags": [{"name": "a"}]}');
    expect((await as(t, 'admin').get(`${tags}?limit=1&marker=c`)).text).toBe('{"tags": [{"name": "b"}]}');
    const renamed = await as(t, 'admin')
      .put(`${tags}/c`)
      .set('Content-Type', 'application/json')
      .send('{"name": "c2"}');
    expect(renamed.body).toEqual({ name: 'c2', created_at: STAMP, updated_at: STAMP });
    expect((await as(t, 'user').get(`${tags}/nosuch`)).body).toEqual(
      jsonError('404 Not Found', 'Could not find metadata tag nosuch'),
    );
    expect((await as(t, 'admin').delete(`${tags}/c2`)).status).toBe(204);
    expect((await as(t, 'admin').delete(tags)).status).toBe(204);
    expect((await as(t, 'admin').get(tags)).text).toBe('{"tags": []}');
    expect((await as(t, 'admin').post(tags, { tags: 'x' })).body.message).toBe(
      "Provided object does not match schema 'tags': 'x' is not of type 'array'\n\nFailed validating 'type' in schema['properties']['tags']:\n    {'items': {'additionalProperties': False,\n               'properties': {'name': {'type': 'string'}},\n               'required': ['name'],\n               'type': 'object'},\n     'type': 'array'}\n\nOn instance['tags']:\n    'x'<br /><br />\n\n\n",
    );
  });
});

describe('resource types', () => {
  it('list, associate (a new name creates the type), duplicate 409, remove, missing 404', async () => {
    const list = await as(t, 'user').get('/v2/metadefs/resource_types');
    expect(list.body.resource_types.map((r: { name: string }) => r.name)).toEqual([
      'OS::Glance::Image',
      'OS::Cinder::Volume',
      'OS::Nova::Server',
      'OS::Nova::Aggregate',
      'OS::Nova::Flavor',
      'OS::Trove::Instance',
    ]);
    const rts = `${NS}/Mock::Labels/resource_types`;
    const made = await as(t, 'admin').post(rts, {
      name: 'OS::Nova::Flavor',
      prefix: 't6:',
      properties_target: 'x',
    });
    expect(made.status).toBe(201);
    expect(made.text).toBe(
      `{"name": "OS::Nova::Flavor", "prefix": "t6:", "properties_target": "x", "created_at": "${STAMP}", "updated_at": "${STAMP}"}`,
    );
    expect((await as(t, 'admin').post(rts, { name: 'OS::Nova::Flavor' })).body).toEqual(
      jsonError(
        '409 Conflict',
        'The metadata definition resource-type association of resource-type=OS::Nova::Flavor to namespace=Mock::Labels already exists.',
      ),
    );
    expect((await as(t, 'user').get(rts)).body.resource_type_associations).toHaveLength(2);
    expect((await as(t, 'admin').delete(`${rts}/OS::Nova::Flavor`)).status).toBe(204);
    expect((await as(t, 'admin').delete(`${rts}/OS::Nova::Flavor`)).body).toEqual(
      jsonError('404 Not Found', 'Failed to find resource type OS::Nova::Flavor to delete'),
    );
    expect(
      (await as(t, 'admin').delete(`${NS}/OS::Compute::Watchdog/resource_types/OS::Glance::Image`)).body,
    ).toEqual(
      jsonError(
        '403 Forbidden',
        'Metadata definition resource-type-association OS::Glance::Image is protected and cannot be deleted.',
      ),
    );
    expect((await as(t, 'user').post(rts, { name: 'X' })).body).toEqual(
      jsonError(
        '403 Forbidden',
        'You are not authorized to complete add_metadef_resource_type_association action.',
      ),
    );
    expect((await as(t, 'user').get(`${NS}/nosuch/resource_types`)).body).toEqual(
      jsonError('404 Not Found', 'Namespace nosuch not found'),
    );
  });
});

describe('routing and the admin store', () => {
  it('another method answers 405 with Glance’s Allow', async () => {
    const res = await as(t, 'user').get(`${NS}/Mock::Labels/resource_types/x`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('DELETE');
    expect(
      (await request(t.app).patch(`${NS}/Mock::Labels`).set('X-Auth-Token', 'user-token')).headers.allow,
    ).toBe('GET, PUT, DELETE');
  });

  it('/__admin/store/glance/metadef_namespaces lists the fixtures', async () => {
    const res = await request(t.app).get('/__admin/store/glance/metadef_namespaces');
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('Mock::Labels');
  });
});

describe('a property created through the API', () => {
  it('is listed with its name inside, as the real Glance keeps the body (a loaded one has none)', async () => {
    const props = `${NS}/OS::Compute::CPUMode/properties`;
    const created = await as(t, 'admin').post(props, { name: 'made', title: 'Made', type: 'integer' });
    expect(created.status).toBe(201);
    const listed = (await as(t, 'admin').get(props)).body.properties;
    // real Glance 25 (drift step metadef-properties): {"made": {"name": "made", "title": "Made", "type": "integer"}}
    expect(listed.made).toEqual({ name: 'made', title: 'Made', type: 'integer' });
    expect(listed.cpu_mode).not.toHaveProperty('name');
  });
});
