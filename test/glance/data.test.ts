import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, CIRROS, DEACTIVATED, jsonError, QUEUED_OF_USER, stored, type TestApp, testApp } from './kit.js';
import { rawBytes, tempDir } from '../helpers.js';

let t: TestApp;
let server: http.Server | undefined;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
  await t.ctx.store.close();
});

const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 251));
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('hex');
const blobDir = () => t.ctx.store.blobDir('glance');

/** A chunked upload over a real socket (no Content-Length), as both OpenStack CLIs send it. */
async function chunkedUpload(id: string, chunks: Buffer[], token = 'user-token') {
  server ??= t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => (server!.listening ? resolve(null) : server!.once('listening', resolve)));
  const { port } = server.address() as AddressInfo;
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'PUT',
          path: `/v2/images/${id}/file`,
          headers: {
            'X-Auth-Token': token,
            'Content-Type': 'application/octet-stream',
            Accept: 'application/json',
          },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      for (const c of chunks) req.write(c);
      req.end();
    },
  );
}

describe('PUT /v2/images/{id}/file', () => {
  it('a chunked upload: 204, size, md5, sha512, active; bytes beside the store', async () => {
    const res = await chunkedUpload(QUEUED_OF_USER, [bytes.subarray(0, 30_000), bytes.subarray(30_000)]);
    expect(res.status).toBe(204);
    expect(res.headers['content-type']).toBe('text/html; charset=UTF-8');
    expect(res.headers['content-length']).toBe('0');
    expect(res.headers['transfer-encoding']).toBeUndefined();
    const image = stored(t, QUEUED_OF_USER)!;
    expect(image).toMatchObject({
      size: bytes.length,
      checksum: md5(bytes),
      os_hash_algo: 'sha512',
      os_hash_value: sha512(bytes),
      status: 'active',
    });
    expect(readdirSync(blobDir())).toEqual([QUEUED_OF_USER]);
    expect(JSON.stringify(t.ctx.store.data('glance'))).not.toContain(
      bytes.subarray(0, 50).toString('base64'),
    );
  });

  it('a Content-Length upload of zero bytes works too', async () => {
    const res = await as(t, 'user')
      .put(`/v2/images/${QUEUED_OF_USER}/file`)
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.alloc(0));
    expect(res.status).toBe(204);
    expect(stored(t, QUEUED_OF_USER)).toMatchObject({
      size: 0,
      checksum: md5(Buffer.alloc(0)),
      status: 'active',
    });
  });

  it('uploading again → 409 with the status transition', async () => {
    await chunkedUpload(QUEUED_OF_USER, [bytes]);
    const again = await chunkedUpload(QUEUED_OF_USER, [bytes]);
    expect(again.status).toBe(409);
    expect(JSON.parse(again.body)).toEqual(
      jsonError('409 Conflict', 'Image status transition from active to saving is not allowed'),
    );
  });

  it('other content types → 415; non-owner → 403; invisible → 404', async () => {
    const type = await as(t, 'user')
      .put(`/v2/images/${QUEUED_OF_USER}/file`)
      .set('Content-Type', 'text/plain')
      .send('x');
    expect(type.status).toBe(415);
    expect(type.body).toEqual({
      message: 'The request media type text/plain is not supported by this server.\n<br /><br />\n',
      code: '415 Unsupported Media Type',
      title: 'Unsupported Media Type',
    });
    const admins = await as(t, 'user')
      .put(`/v2/images/${CIRROS}/file`)
      .set('Content-Type', 'application/octet-stream')
      .send('x');
    expect(admins.body).toEqual(
      jsonError('403 Forbidden', `Not allowed to upload image data for image ${CIRROS}`),
    );
    const hidden = await as(t, 'other')
      .put(`/v2/images/${QUEUED_OF_USER}/file`)
      .set('Content-Type', 'application/octet-stream')
      .send('x');
    expect(hidden.status).toBe(404);
  });

  it('over the size cap → 413, the image stays queued and no bytes remain', async () => {
    const small = await testApp({ glanceMaxImageBytes: 1000 });
    const res = await as(small, 'user')
      .put(`/v2/images/${QUEUED_OF_USER}/file`)
      .set('Content-Type', 'application/octet-stream')
      .send(bytes);
    expect(res.status).toBe(413);
    expect(res.body).toEqual(
      jsonError(
        '413 Request Entity Too Large',
        'The incoming image is too large: The provided image is too large.',
      ),
    );
    expect(
      small.ctx.store
        .data<{ images: { id: string; status: string }[] }>('glance')
        .images.find((i) => i.id === QUEUED_OF_USER)!.status,
    ).toBe('queued');
    const dir = small.ctx.store.blobDir('glance');
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    await small.ctx.store.close();
  });
});

describe('GET /v2/images/{id}/file', () => {
  beforeEach(async () => {
    await chunkedUpload(QUEUED_OF_USER, [bytes]);
  });

  it('200 with the bytes, octet-stream and Content-Md5', async () => {
    const res = await as(t, 'user').get(`/v2/images/${QUEUED_OF_USER}/file`).buffer(true).parse(rawBytes);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-md5']).toBe(md5(bytes));
    expect(res.headers['content-length']).toBe(String(bytes.length));
    expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
  });

  it.each([
    ['bytes=2-4', 2, 4],
    ['bytes=99990-', 99_990, 99_999],
    ['bytes=-5', 99_995, 99_999],
    ['bytes=99998-200000', 99_998, 99_999],
    ['bytes=-0', 0, 99_999],
  ])('Range %s → 206 with Content-Range', async (range, start, end) => {
    const res = await as(t, 'user')
      .get(`/v2/images/${QUEUED_OF_USER}/file`)
      .set('Range', range)
      .buffer(true)
      .parse(rawBytes);
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${bytes.length}`);
    expect(Buffer.compare(res.body as Buffer, bytes.subarray(start, end + 1))).toBe(0);
  });

  it.each([
    [
      'bytes=200000-',
      'Invalid start position in Range header. Start position MUST be in the inclusive range [0, 99999].',
    ],
    ['bytes=5-2', 'Invalid Range header.'],
    ['items=1-2', 'Invalid Range header.'],
  ])('Range %s → 416 with webob detail', async (range, detail) => {
    const res = await as(t, 'user').get(`/v2/images/${QUEUED_OF_USER}/file`).set('Range', range);
    expect(res.status).toBe(416);
    expect(res.body).toEqual({
      message: `The Range requested is not available.<br /><br />\n${detail}\n\n`,
      code: '416 Request Range Not Satisfiable',
      title: 'Request Range Not Satisfiable',
    });
  });

  it('several ranges → 400', async () => {
    const res = await as(t, 'user').get(`/v2/images/${QUEUED_OF_USER}/file`).set('Range', 'bytes=0-1,2-3');
    expect(res.body).toEqual(
      jsonError(
        '400 Bad Request',
        'Requests with multiple ranges are not supported in Glance. You may make multiple single-range requests instead.',
      ),
    );
  });

  it('an image without data → 204 without Content-Type', async () => {
    const created = await as(t, 'user').post('/v2/images', { name: 'empty' });
    const none = await as(t, 'user').get(`/v2/images/${created.body.id}/file`);
    expect(none.status).toBe(204);
    expect(none.headers['content-type']).toBeUndefined();
  });

  it('deactivated: 403 for others, bytes for admins', async () => {
    const deact = await as(t, 'admin').post(`/v2/images/${QUEUED_OF_USER}/actions/deactivate`);
    expect(deact.status).toBe(204);
    const refused = await as(t, 'user').get(`/v2/images/${QUEUED_OF_USER}/file`);
    expect(refused.body).toEqual(
      jsonError(
        '403 Forbidden',
        'The requested image has been deactivated. Image data download is forbidden.',
      ),
    );
    expect((await as(t, 'admin').get(`/v2/images/${QUEUED_OF_USER}/file`)).status).toBe(200);
    expect((await as(t, 'user').get(`/v2/images/${DEACTIVATED}/file`)).status).toBe(403);
  });

  it('deleting the image removes its bytes', async () => {
    expect(existsSync(path.join(blobDir(), QUEUED_OF_USER))).toBe(true);
    expect((await as(t, 'user').delete(`/v2/images/${QUEUED_OF_USER}`)).status).toBe(204);
    expect(existsSync(path.join(blobDir(), QUEUED_OF_USER))).toBe(false);
  });

  it('HEAD is refused as real Glance 25 refuses it: 405, Allow GET, PUT', async () => {
    const res = await request(t.app)
      .head(`/v2/images/${QUEUED_OF_USER}/file`)
      .set('X-Auth-Token', 'user-token');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, PUT');
  });
});

describe('a file store', () => {
  it('keeps records and bytes across a restart; bytes never enter the JSON file', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const first = await testApp({ store: dir });
      const up = await as(first, 'user')
        .put(`/v2/images/${QUEUED_OF_USER}/file`)
        .set('Content-Type', 'application/octet-stream')
        .send(bytes);
      expect(up.status).toBe(204);
      await first.ctx.store.close();
      expect(readFileSync(path.join(dir, 'glance.json'), 'utf8')).not.toContain(
        bytes.subarray(0, 64).toString('latin1'),
      );

      const second = await testApp({ store: dir });
      const res = await as(second, 'user')
        .get(`/v2/images/${QUEUED_OF_USER}/file`)
        .buffer(true)
        .parse(rawBytes);
      expect(res.status).toBe(200);
      expect(res.headers['content-md5']).toBe(md5(bytes));
      expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
      await second.ctx.store.close();
    } finally {
      cleanup();
    }
  });
});
