import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/control/journal.js';
import { rawBytes, testApp } from '../helpers.js';

const KEY = 'mc-demo-key';
const LIST = '/api/v1/services/stackpath/test-area/images';

let t: Awaited<ReturnType<typeof testApp>>;
beforeEach(async () => {
  t = await testApp({ journalBodyBytes: 64 });
});

const journal = async (query = '') => (await request(t.app).get(`/__admin/journal${query}`)).body;

describe('request journal', () => {
  it('records provider, method, path, query, status and duration, with the credential masked', async () => {
    await request(t.app).get(`${LIST}?imageType=custom`).set('MC-Api-Key', KEY).expect(200);
    const { entries } = await journal();
    expect(entries).toHaveLength(1);
    const [e] = entries;
    expect(e).toMatchObject({
      id: 1,
      sandbox: null,
      provider: 'cloudmc',
      method: 'GET',
      path: LIST,
      query: { imageType: 'custom' },
      status: 200,
      fault: null,
    });
    expect(e.headers['mc-api-key']).toBe('[masked]');
    expect(JSON.stringify(e)).not.toContain(KEY);
    expect(typeof e.durationMs).toBe('number');
    expect(Date.parse(e.time)).not.toBeNaN();
    expect(e.responseHeaders['content-type']).toBe('application/json');
  });

  it('keeps only the configured number of body bytes, and says how many there were', async () => {
    const res = await request(t.app).get(LIST).set('MC-Api-Key', KEY);
    const [e] = (await journal()).entries;
    expect(e.response.bytes).toBe(Buffer.byteLength(res.text));
    expect(e.response.truncated).toBe(true);
    expect(e.response.body).toBe(res.text.slice(0, 64));
  });

  it('records request bodies, with password and token fields masked', async () => {
    await request(t.app)
      .post(LIST)
      .set('MC-Api-Key', KEY)
      .set('Content-Type', 'application/json')
      .send('{"username":"u","password":"hunter2"}');
    const [e] = (await journal()).entries;
    expect(e.provider).toBe('cloudmc');
    expect(e.status).toBe(405);
    expect(e.request.body).toBe('{"username":"u","password":"[masked]"}');
    expect(e.request.bytes).toBe(Buffer.byteLength('{"username":"u","password":"hunter2"}'));
  });

  it('records a request whose body a provider parses, without disturbing the parser', async () => {
    // CloudMC has no POST: the 405 answer still comes after the body was read
    const res = await request(t.app).post(LIST).set('MC-Api-Key', KEY).send({ a: 1 });
    expect(res.status).toBe(405);
    const [e] = (await journal()).entries;
    expect(e.request.body).toBe('{"a":1}');
    expect(e.status).toBe(405);
  });

  it('records no response body for HEAD, as none is sent', async () => {
    await request(t.app).head(LIST).set('MC-Api-Key', KEY).expect(200);
    const [e] = (await journal()).entries;
    expect(e).toMatchObject({
      method: 'HEAD',
      status: 200,
      response: { body: null, bytes: 0, truncated: false },
    });
  });

  it('does not record its own admin calls', async () => {
    await request(t.app).get('/__admin/health');
    await request(t.app).get('/__admin/journal');
    expect((await journal()).entries).toEqual([]);
  });

  it("does not record a browser's own icon request for an admin page, which Glance still answers", async () => {
    for (const page of ['/__admin/', '/__admin/health', '/__sandbox/sb1/__admin/openapi']) {
      const res = await request(t.app).get('/favicon.ico').set('Referer', `http://127.0.0.1:8080${page}`);
      expect(res.status, page).toBe(300); // Glance's version list, as the real one answers an unknown path
    }
    expect((await journal()).entries).toEqual([]);
    // a client's own request for it is recorded, as is one from any page outside the admin plane
    await request(t.app).get('/favicon.ico').expect(300);
    await request(t.app).get('/favicon.ico').set('Referer', 'http://127.0.0.1:8080/v2/images');
    await request(t.app).get('/favicon.ico').set('Referer', 'not a url');
    const entries = (await journal()).entries as { path: string; provider: string; status: number }[];
    expect(entries.map((e) => [e.path, e.provider, e.status])).toEqual([
      ['/favicon.ico', 'glance', 300],
      ['/favicon.ico', 'glance', 300],
      ['/favicon.ico', 'glance', 300],
    ]);
  });

  it('filters by provider, method, path pattern, status and since; counts; limits', async () => {
    await request(t.app).get(LIST).set('MC-Api-Key', KEY);
    await request(t.app).get(LIST);
    await request(t.app).get('/api/v2/services/stackpath/test-area/images').set('MC-Api-Key', KEY);
    await request(t.app).delete(LIST).set('MC-Api-Key', KEY);
    await request(t.app).get('/api/v1/services/nope/x/images').set('MC-Api-Key', KEY);
    const ids = async (q: string) => (await journal(q)).entries.map((e: { id: number }) => e.id);
    expect(await ids('')).toEqual([1, 2, 3, 4, 5]);
    expect(await ids('?provider=cloudmc')).toEqual([1, 2, 3, 4, 5]);
    expect(await ids('?provider=nobody')).toEqual([]);
    expect(await ids('?method=DELETE')).toEqual([4]);
    expect(await ids('?method=get,delete')).toEqual([1, 2, 3, 4, 5]);
    expect(await ids('?path=/api/*/services/*/test-area/images')).toEqual([1, 2, 3, 4]);
    expect(await ids('?path=/api/v1/**')).toEqual([1, 2, 4, 5]);
    expect(await ids('?status=401')).toEqual([2]);
    expect(await ids('?status=4xx')).toEqual([2, 4, 5]);
    expect(await ids('?since=3')).toEqual([4, 5]);
    expect(await ids('?limit=2')).toEqual([4, 5]);
    const count = await request(t.app).get(
      '/__admin/journal/count?path=/api/v1/services/*/*/images&method=GET',
    );
    expect(count.body).toEqual({ count: 3 });
  });

  it('refuses nonsense filters with a message naming the parameter', async () => {
    for (const [q, word] of [
      ['?status=abc', 'status'],
      ['?since=yesterday', 'since'],
      ['?limit=-1', 'limit'],
      ['?method=G%20T', 'method'],
      ['?colour=red', 'colour'],
      ['?provider=a&provider=b', 'provider'],
    ]) {
      const res = await request(t.app).get(`/__admin/journal${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error, q).toContain(word);
    }
  });

  it('opens one entry by its id: request and answer headers and bodies, credentials masked', async () => {
    await request(t.app).get(LIST).set('MC-Api-Key', KEY).expect(200);
    await request(t.app)
      .post('/v2/images')
      .set('X-Auth-Token', 'glance-secret-token')
      .set('Content-Type', 'application/json')
      .send('{"name":"one"}');
    const res = await request(t.app).get('/__admin/journal/2').expect(200);
    expect(res.body).toMatchObject({ id: 2, provider: 'glance', method: 'POST', path: '/v2/images' });
    expect(res.body.headers['x-auth-token']).toBe('[masked]');
    expect(res.body.request.body).toBe('{"name":"one"}');
    // an unknown token: Glance's own 401, its answer kept with it
    expect(res.body.status).toBe(401);
    expect(res.body.responseHeaders['content-type']).toBe('text/plain; charset=UTF-8');
    expect(res.body.response.body).toMatch(/401/);
    expect(res.text).not.toContain('glance-secret-token');
    expect(res.body).toEqual((await journal()).entries[1]);
  });

  it('answers 404 for an entry no longer kept and 400 for an id that is none', async () => {
    await request(t.app).get('/x');
    await request(t.app).delete('/__admin/journal').expect(204);
    expect((await request(t.app).get('/__admin/journal/1')).body.error).toMatch(/^no journal entry 1 /);
    await request(t.app).get('/__admin/journal/99').expect(404);
    for (const id of ['abc', '0', '1.5', '-1']) {
      const res = await request(t.app).get(`/__admin/journal/${id}`);
      expect(res.status, id).toBe(400);
      expect(res.body.error).toBe(`journal entry id must be a positive integer, got '${id}'`);
    }
    // the named sub-resources are no ids
    await request(t.app).get('/__admin/journal/count').expect(200);
    await request(t.app).get('/__admin/journal/settings').expect(200);
  });

  it('clears, and keeps counting ids after a clear', async () => {
    await request(t.app).get('/x');
    expect((await request(t.app).delete('/__admin/journal')).status).toBe(204);
    expect((await journal()).entries).toEqual([]);
    await request(t.app).get('/y');
    expect((await journal()).entries.map((e: { id: number }) => e.id)).toEqual([2]);
  });

  it('is a ring buffer of the configured size, and can be switched off and on', async () => {
    await request(t.app).put('/__admin/journal/settings').send({ size: 2 }).expect(200);
    for (const p of ['/a', '/b', '/c']) await request(t.app).get(p);
    expect((await journal()).entries.map((e: { path: string }) => e.path)).toEqual(['/b', '/c']);
    const off = await request(t.app).put('/__admin/journal/settings').send({ enabled: false });
    expect(off.body).toEqual({ enabled: false, size: 2, bodyBytes: 64 });
    await request(t.app).get('/d');
    expect((await journal()).entries.map((e: { path: string }) => e.path)).toEqual(['/b', '/c']);
    await request(t.app).put('/__admin/journal/settings').send({ enabled: true });
    await request(t.app).get('/e');
    expect((await journal()).entries.map((e: { path: string }) => e.path)).toEqual(['/c', '/e']);
    const bad = await request(t.app).put('/__admin/journal/settings').send({ size: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('size');
  });

  it('is off from the start with MOCK_JOURNAL_SIZE=0', async () => {
    const off = await testApp({ journalSize: 0 });
    await request(off.app).get('/a');
    const res = await request(off.app).get('/__admin/journal');
    expect(res.body.entries).toEqual([]);
    expect(res.body.settings.enabled).toBe(false);
  });

  it('records a streamed download (image data) by its size, without its bytes, and an upload likewise', async () => {
    const image = 'c1a0b0c0-0000-4000-8000-000000000006'; // queued, owned by the user token's project
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    await request(t.app)
      .put(`/v2/images/${image}/file`)
      .set('X-Auth-Token', 'user-token')
      .set('Content-Type', 'application/octet-stream')
      .send(data)
      .expect(204);
    const download = await request(t.app)
      .get(`/v2/images/${image}/file`)
      .set('X-Auth-Token', 'user-token')
      .buffer(true)
      .parse(rawBytes);
    expect(download.status).toBe(200);
    expect(Buffer.compare(download.body as Buffer, data)).toBe(0);
    const [upload, get] = (await journal()).entries;
    expect(upload).toMatchObject({
      method: 'PUT',
      status: 204,
      request: { body: null, bytes: 5000, truncated: true },
      response: { body: null, bytes: 0, truncated: false },
    });
    expect(get).toMatchObject({
      method: 'GET',
      status: 200,
      request: { body: null, bytes: 0, truncated: false },
      response: { body: null, bytes: 5000, truncated: true },
    });
    expect(get.responseHeaders['content-type']).toBe('application/octet-stream');
  });

  it('keeps exactly the newest `size` entries however many came (the oldest are dropped in batches)', () => {
    const j = new Journal({ enabled: true, size: 100, bodyBytes: 10 });
    const entry = (path: string) => ({
      time: new Date(0).toISOString(),
      sandbox: null,
      provider: null,
      method: 'GET',
      path,
      query: {},
      headers: {},
      request: { body: null, bytes: 0, truncated: false },
      status: 200,
      responseHeaders: {},
      response: { body: null, bytes: 0, truncated: false },
      durationMs: 0,
      fault: null,
    });
    for (let i = 1; i <= 1234; i++) j.record({ make: () => entry(`/${i}`) });
    const kept = j.list();
    expect(kept).toHaveLength(100);
    expect(kept[0]!.id).toBe(1135);
    expect(kept.at(-1)!.path).toBe('/1234');
    expect(j.count()).toBe(100);
    j.configure({ size: 10 });
    expect(j.list().map((e) => e.id)).toEqual([1225, 1226, 1227, 1228, 1229, 1230, 1231, 1232, 1233, 1234]);
  });
});
