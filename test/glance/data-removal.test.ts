import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { startMockServer } from '../../src/index.js';
import { fixturesDir } from '../../src/paths.js';
import { providers } from '../../src/providers/index.js';
import { Store } from '../../src/store/store.js';
import { afterEachTest, rawBytes } from '../helpers.js';
import { as, CIRROS, QUEUED_OF_USER, type TestApp, testApp } from './kit.js';

/**
 * Image bytes go with their image on every path that removes it: the API,
 * the admin API (one record, or the whole collection), a reset, a snapshot
 * restore, a sandbox's delete, and an in-memory store's close.
 */
let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
const { temp, defer } = afterEachTest();

const BYTES = Buffer.from('image bytes that must not outlive their image');
const file = (id: string, area = '') => path.join(t.ctx.store.blobDir('glance'), area, id);
/** Bytes as the image's data (`file`) or as its staged data (`stage`). */
const put = (id: string, what: 'file' | 'stage') =>
  as(t, 'user')
    .put(`/v2/images/${id}/${what}`)
    .set('Content-Type', 'application/octet-stream')
    .send(BYTES)
    .expect(204);
const upload = (id: string) => put(id, 'file');
const stage = (id: string) => put(id, 'stage');
const newImage = async () =>
  (
    await as(t, 'user')
      .post('/v2/images', { name: 'removal', disk_format: 'raw', container_format: 'bare' })
      .expect(201)
  ).body.id as string;
const download = (id: string) => as(t, 'user').get(`/v2/images/${id}/file`).buffer(true).parse(rawBytes);

describe('image bytes leave with their image', () => {
  it('an API delete removes the data and the staged data', async () => {
    await upload(QUEUED_OF_USER);
    const staged = await newImage();
    await stage(staged);
    expect(existsSync(file(QUEUED_OF_USER))).toBe(true);
    expect(existsSync(file(staged, 'staging'))).toBe(true);
    await as(t, 'user').delete(`/v2/images/${QUEUED_OF_USER}`).expect(204);
    await as(t, 'user').delete(`/v2/images/${staged}`).expect(204);
    expect(existsSync(file(QUEUED_OF_USER))).toBe(false);
    expect(existsSync(file(staged, 'staging'))).toBe(false);
  });

  it('an admin delete of the record removes its data and staged data', async () => {
    await upload(QUEUED_OF_USER);
    const staged = await newImage();
    await stage(staged);
    await request(t.app).delete(`/__admin/store/glance/images/${QUEUED_OF_USER}`).expect(204);
    await request(t.app).delete(`/__admin/store/glance/images/${staged}`).expect(204);
    expect(existsSync(file(QUEUED_OF_USER))).toBe(false);
    expect(existsSync(file(staged, 'staging'))).toBe(false);
  });

  it('emptying the collection through the admin API removes every image data file', async () => {
    await upload(QUEUED_OF_USER);
    await stage(await newImage());
    await request(t.app).delete('/__admin/store/glance/images').expect(204);
    expect(readdirSync(t.ctx.store.blobDir('glance'), { recursive: true })).toEqual(['staging']);
  });

  it('a reset removes the data, even of an image the fixtures bring back under the same id', async () => {
    await upload(QUEUED_OF_USER);
    await stage(await newImage());
    await request(t.app).post('/__admin/reset').expect(200);
    expect(existsSync(file(QUEUED_OF_USER))).toBe(false);
    expect(readdirSync(t.ctx.store.blobDir('glance'), { recursive: true })).toEqual(['staging']);
    expect((await download(QUEUED_OF_USER)).status).toBe(204);
  });

  it("a snapshot restore keeps the snapshot's bytes and removes the bytes of images made since", async () => {
    await upload(QUEUED_OF_USER);
    await request(t.app).put('/__admin/snapshots/with-data').expect(201);
    const later = await newImage();
    await upload(later);
    await request(t.app).post('/__admin/snapshots/with-data/restore').expect(200);
    expect(existsSync(file(later))).toBe(false);
    expect((await download(QUEUED_OF_USER)).body).toEqual(BYTES);
  });

  it('a snapshot restore removes the data of an image the snapshot holds without data', async () => {
    await request(t.app).put('/__admin/snapshots/no-data').expect(201);
    await upload(QUEUED_OF_USER);
    await request(t.app).post('/__admin/snapshots/no-data/restore').expect(200);
    expect(existsSync(file(QUEUED_OF_USER))).toBe(false);
    expect((await download(QUEUED_OF_USER)).status).toBe(204);
  });

  it('a persistent store, opened again, removes files no image owns (left by a crash or an older version)', async () => {
    const dir = temp();
    const open = () =>
      Store.open({
        location: dir,
        sections: [providers.find((p) => p.name === 'glance')!.store],
        seed: 42,
        fixturesDir,
      });
    const first = await open();
    const glanceDir = first.blobDir('glance');
    await first.close();
    mkdirSync(path.join(glanceDir, 'staging'), { recursive: true });
    const orphan = 'dddddddd-0000-4000-8000-00000000dead';
    for (const f of [CIRROS, orphan, path.join('staging', orphan), '.upload-in-flight'])
      writeFileSync(path.join(glanceDir, f), BYTES);
    const again = await open();
    defer(() => again.close());
    expect(readdirSync(glanceDir, { recursive: true }).sort()).toEqual(
      ['.upload-in-flight', CIRROS, 'staging'].sort(),
    );
  });
});

describe('in-memory stores keep no image bytes after they close', () => {
  it("a deleted sandbox's image data is gone, and so is a closed server's", async () => {
    const mock = await startMockServer();
    defer(() => mock.close());
    const sandbox = await mock.sandboxes.create({ id: 'bytes' });
    const put = (base: string) =>
      fetch(`${base}/v2/images/${QUEUED_OF_USER}/file`, {
        method: 'PUT',
        headers: { 'X-Auth-Token': 'user-token', 'Content-Type': 'application/octet-stream' },
        body: BYTES,
      });
    expect((await put(sandbox.url)).status).toBe(204);
    expect((await put(mock.url)).status).toBe(204);
    const sandboxRoot = mock.ctx.controls.sandboxes!.get('bytes').ctx.store.blobRoot;
    const root = mock.ctx.store.blobRoot;
    expect(readdirSync(path.join(sandboxRoot, 'glance'))).toEqual([QUEUED_OF_USER]);
    await sandbox.delete();
    expect(existsSync(sandboxRoot)).toBe(false);
    expect(existsSync(root)).toBe(true);
    await mock.close();
    expect(existsSync(root)).toBe(false);
  });
});
