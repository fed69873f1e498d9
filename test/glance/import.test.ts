import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';
import { as, jsonError, type TestApp, USER } from './kit.js';

/**
 * Interoperable image import, checked against what a real Glance 25 answered
 * to the same requests (tools/real-glance, single file store, recorded
 * 2026-12-03): stage → uploading with its size, glance-direct → 202 and
 * active with checksums, the os_glance_* properties, the task.
 */
const BYTES = Buffer.from('hello world');
const MD5 = '5eb63bbbe01eeed093cb22bb8f5acdc3';
const SHA512 = createHash('sha512').update(BYTES).digest('hex');

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});

const create = async (who: 'user' | 'admin' = 'user', body: Record<string, unknown> = {}) =>
  (
    await as(t, who).post('/v2/images', {
      name: 'imp',
      disk_format: 'raw',
      container_format: 'bare',
      ...body,
    })
  ).body as { id: string };
const stage = (id: string, bytes = BYTES, who: 'user' | 'admin' | 'other' = 'user') =>
  as(t, who).put(`/v2/images/${id}/stage`).set('Content-Type', 'application/octet-stream').send(bytes);
const importAs = (id: string, body: unknown, who: 'user' | 'admin' | 'other' = 'user') =>
  as(t, who).post(`/v2/images/${id}/import`, body);
const show = async (id: string) =>
  (await as(t, 'admin').get(`/v2/images/${id}`)).body as Record<string, unknown>;
const settled = (id: string) => expect.poll(async () => (await show(id)).status, { timeout: 5000 });

describe('PUT /v2/images/{id}/stage', () => {
  it('answers 204 and leaves the image uploading with its size, no checksum yet', async () => {
    const { id } = await create();
    const res = await stage(id);
    expect(res.status).toBe(204);
    expect(res.headers['content-type']).toBe('text/html; charset=UTF-8');
    expect(res.headers['content-length']).toBe('0');
    const image = await show(id);
    expect(image).toMatchObject({ status: 'uploading', size: 11, virtual_size: null, checksum: null });
  });

  it('refuses staging twice, a non-octet-stream body and an image of another project as Glance does', async () => {
    const { id } = await create();
    await stage(id);
    const again = await stage(id, Buffer.from('again'));
    expect(again.status).toBe(409);
    expect(again.body).toEqual(
      jsonError('409 Conflict', 'Image status transition from uploading to uploading is not allowed'),
    );
    const { id: other } = await create();
    const json = await as(t, 'user')
      .put(`/v2/images/${other}/stage`)
      .set('Content-Type', 'application/json')
      .send('x');
    expect(json.status).toBe(415);
    expect((await stage(other, BYTES, 'other')).status).toBe(404);
  });
});

describe('POST /v2/images/{id}/import', () => {
  it('glance-direct: 202 with an empty body, then active with the checksums and Glance’s import properties', async () => {
    const { id } = await create();
    await stage(id);
    const res = await importAs(id, { method: { name: 'glance-direct' } });
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    expect(res.headers['content-type']).toBe('text/html; charset=UTF-8');
    await settled(id).toBe('active');
    const image = await show(id);
    expect(image).toMatchObject({
      size: 11,
      virtual_size: 11,
      checksum: MD5,
      os_hash_algo: 'sha512',
      os_hash_value: SHA512,
    });
    // as real Glance writes it: the two import properties first, the lock gone
    expect(Object.keys(image).slice(0, 3)).toEqual([
      'os_glance_importing_to_stores',
      'os_glance_failed_import',
      'name',
    ]);
    expect(image.os_glance_importing_to_stores).toBe('');
    expect(image.os_glance_failed_import).toBe('');
    expect(image).not.toHaveProperty('os_glance_import_task');
    const data = await as(t, 'user').get(`/v2/images/${id}/file`).buffer(true);
    expect(Buffer.from(data.body as Buffer).equals(BYTES)).toBe(true);
  });

  it('records the import task under the image, with the request id of the import', async () => {
    const { id } = await create();
    await stage(id);
    const res = await importAs(id, { method: { name: 'glance-direct' } });
    await settled(id).toBe('active');
    await expect
      .poll(async () => (await as(t, 'user').get(`/v2/images/${id}/tasks`)).body.tasks[0]?.status)
      .toBe('success');
    const { tasks } = (await as(t, 'user').get(`/v2/images/${id}/tasks`)).body;
    expect(tasks).toHaveLength(1);
    expect(Object.keys(tasks[0])).toEqual([
      'id',
      'type',
      'status',
      'owner',
      'expires_at',
      'created_at',
      'updated_at',
      'deleted_at',
      'deleted',
      'image_id',
      'request_id',
      'user_id',
      'input',
      'result',
      'message',
    ]);
    expect(tasks[0]).toMatchObject({
      type: 'api_image_import',
      owner: USER,
      deleted_at: null,
      deleted: false,
      image_id: id,
      request_id: res.headers['x-openstack-request-id'],
      input: { image_id: id, import_req: { method: { name: 'glance-direct' } }, backend: [null] },
      result: { image_id: id },
      message: 'Copied 0 MiB',
    });
    expect(tasks[0].created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    // the tasks API shows it too, to an admin, in whole seconds
    const task = (await as(t, 'admin').get(`/v2/tasks/${tasks[0].id}`)).body;
    expect(task).toMatchObject({ id: tasks[0].id, status: 'success', self: `/v2/tasks/${tasks[0].id}` });
    expect(task.created_at).toMatch(/Z$/);
    expect(task.expires_at).toMatch(/Z$/);
  });

  it('refuses what Glance refuses, in its words', async () => {
    const { id } = await create();
    const cases: [unknown, number, string][] = [
      [{}, 400, "Import request requires a 'method' field."],
      [{ method: {} }, 400, "Import request requires a 'name' field."],
      [{ method: { name: 'foo' } }, 400, "Unknown import method name 'foo'."],
      [
        { method: { name: 'glance-direct' } },
        409,
        "Image needs to be staged before 'glance-direct' method can be used",
      ],
      [{ method: { name: 'web-download' } }, 400, 'URI for web-download does not pass filtering: None'],
      [
        { method: { name: 'web-download', uri: 'http://127.0.0.1:8080/x' } },
        400,
        'URI for web-download does not pass filtering: http://127.0.0.1:8080/x',
      ],
      [
        { method: { name: 'web-download', uri: 'ftp://example.com/x' } },
        400,
        'URI for web-download does not pass filtering: ftp://example.com/x',
      ],
      // loopback is never fetched unless the host is allowed, on any port
      [
        { method: { name: 'web-download', uri: 'http://127.0.0.1/x' } },
        400,
        'URI for web-download does not pass filtering: http://127.0.0.1/x',
      ],
      [{ method: { name: 'copy-image' } }, 409, 'Only images with status active can be targeted for copying'],
    ];
    for (const [body, status, message] of cases) {
      const res = await importAs(id, body);
      expect({ body, status: res.status, message: res.body.message }).toEqual({
        body,
        status,
        message: `${message}<br /><br />\n\n\n`,
      });
    }
    expect((await importAs(id, { method: { name: 'glance-direct' } }, 'other')).body).toEqual(
      jsonError('404 Not Found', `No image found with ID ${id}`),
    );
    const missing = '00000000-0000-0000-0000-000000000000';
    expect((await importAs(missing, { method: { name: 'glance-direct' } })).status).toBe(404);
    // an active image: only copy-image applies, and only for an admin
    await stage(id);
    await importAs(id, { method: { name: 'glance-direct' } });
    await settled(id).toBe('active');
    expect((await importAs(id, { method: { name: 'glance-direct' } })).body.message).toBe(
      'Image with status active cannot be target for import<br /><br />\n\n\n',
    );
    expect((await importAs(id, { method: { name: 'copy-image' } })).body.message).toBe(
      'You are not authorized to complete copy_image action.<br /><br />\n\n\n',
    );
    expect((await stage(id)).body.message).toBe(
      'Image status transition from active to uploading is not allowed<br /><br />\n\n\n',
    );
  });

  it('copy-image by an admin: 202, a successful task, the image active as before', async () => {
    const { id } = await create();
    await stage(id);
    await importAs(id, { method: { name: 'glance-direct' } });
    await settled(id).toBe('active');
    const before = await show(id);
    expect((await importAs(id, { method: { name: 'copy-image' } }, 'admin')).status).toBe(202);
    await expect
      .poll(async () =>
        (await as(t, 'admin').get(`/v2/images/${id}/tasks`)).body.tasks.map(
          (x: { status: string }) => x.status,
        ),
      )
      .toEqual(['success', 'success']);
    expect((await show(id)).checksum).toBe(before.checksum);
  });

  it('a tasks API only for admins, as the default policy has it', async () => {
    const denied = await as(t, 'user').get('/v2/tasks');
    expect(denied.body).toEqual(
      jsonError('403 Forbidden', 'You are not authorized to complete tasks_api_access action.'),
    );
    expect((await as(t, 'admin').get('/v2/tasks')).body).toEqual({
      tasks: [],
      first: '/v2/tasks',
      schema: '/v2/schemas/tasks',
    });
    expect((await as(t, 'admin').get('/v2/tasks/xyz')).body).toEqual(
      jsonError('404 Not Found', 'Could not find task xyz'),
    );
    expect((await as(t, 'admin').post('/v2/tasks', { type: 'import' })).body).toEqual(
      jsonError('400 Bad Request', "Task 'input' is required"),
    );
    expect((await as(t, 'admin').post('/v2/tasks', { type: 'import', input: {} })).body).toEqual(
      jsonError('400 Bad Request', 'Invalid location: None'),
    );
    expect(
      (
        await as(t, 'admin').post('/v2/tasks', {
          type: 'import',
          input: { import_from: 'http://127.0.0.1/x' },
        })
      ).body,
    ).toEqual(
      jsonError('400 Bad Request', 'URI for legacy import task does not pass filtering: http://127.0.0.1/x'),
    );
  });
});

describe('web-download from a source the settings allow', () => {
  const payload = Buffer.alloc(3 * 1024 * 1024 + 5, 7);
  let source: http.Server;
  let port = 0;
  beforeAll(async () => {
    source = http.createServer((req, res) => {
      if (req.url === '/redirect') return res.writeHead(302, { Location: '/image.raw' }).end();
      if (req.url === '/away') return res.writeHead(302, { Location: 'http://169.254.169.254/' }).end();
      if (req.url !== '/image.raw') return res.writeHead(404).end();
      res.writeHead(200, { 'Content-Length': payload.length }).end(payload);
    });
    await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
    port = (source.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => source.close(() => resolve())));

  const allowed = () =>
    testApp({ glanceImportAllowedHosts: ['127.0.0.1'], glanceImportAllowedPorts: [port] });

  it('fetches the image, follows an allowed redirect, and leaves a successful task', async () => {
    t = await allowed();
    const { id } = await create();
    const res = await importAs(id, {
      method: { name: 'web-download', uri: `http://127.0.0.1:${port}/redirect` },
    });
    expect(res.status).toBe(202);
    await settled(id).toBe('active');
    const image = await show(id);
    expect(image.size).toBe(payload.length);
    expect(image.checksum).toBe(createHash('md5').update(payload).digest('hex'));
    const { tasks } = (await as(t, 'user').get(`/v2/images/${id}/tasks`)).body;
    expect(tasks[0]).toMatchObject({ status: 'success', message: 'Copied 3 MiB' });
  });

  it('a source that fails: the image is queued again and the task says why', async () => {
    t = await allowed();
    for (const [path, message] of [
      ['/missing', 'HTTP Error 404: Not Found'],
      ['/away', 'Redirect to disallowed URL: http://169.254.169.254/'],
    ]) {
      const { id } = await create();
      expect(
        (await importAs(id, { method: { name: 'web-download', uri: `http://127.0.0.1:${port}${path}` } }))
          .status,
      ).toBe(202);
      await expect
        .poll(async () => (await as(t, 'user').get(`/v2/images/${id}/tasks`)).body.tasks[0]?.status)
        .toBe('failure');
      const image = await show(id);
      expect(image.status).toBe('queued');
      expect(image).not.toHaveProperty('os_glance_import_task');
      expect((await as(t, 'user').get(`/v2/images/${id}/tasks`)).body.tasks[0].message).toBe(message);
    }
  });

  it('the default settings refuse the same loopback source', async () => {
    t = await testApp();
    const { id } = await create();
    const uri = `http://127.0.0.1:${port}/image.raw`;
    expect((await importAs(id, { method: { name: 'web-download', uri } })).body.message).toBe(
      `URI for web-download does not pass filtering: ${uri}<br /><br />\n\n\n`,
    );
  });
});
