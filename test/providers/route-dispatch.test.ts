import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';

/**
 * What Express's routing gave and the radix dispatch (src/http/route-dispatch.ts)
 * must keep: a router made for speed has other defaults (a 100-character cap on
 * parameters, empty parameters, case-sensitive paths) that a client would see.
 */
let t: Awaited<ReturnType<typeof testApp>>;
beforeEach(async () => {
  t = await testApp();
});

const glance = (path: string) => request(t.app).get(path).set('X-Auth-Token', 'admin-token');
const cloudmc = (path: string) =>
  request(t.app).get(`/api/v1/services/stackpath/production/images${path}`).set('MC-Api-Key', 'mc-demo-key');

/** supertest serves each request on a port of its own, and the version document links to it */
const withoutPort = (text: string) => text.replaceAll(/127\.0\.0\.1:\d+/g, '127.0.0.1');

describe('routing by the route tables', () => {
  it('a 300-character id reaches its handler and gets the unknown-id answer of a short one', async () => {
    const long = 'x'.repeat(300);
    const [short, longAnswer] = [await glance('/v2/images/short'), await glance(`/v2/images/${long}`)];
    expect(longAnswer.status).toBe(404);
    expect(longAnswer.text).toBe(short.text.replace('short', long));

    const [cShort, cLong] = [await cloudmc('/a/short'), await cloudmc(`/a/${long}`)];
    expect(cLong.status).toBe(404);
    expect(cLong.text).toBe(cShort.text.replaceAll('a/short', `a/${long}`));
  });

  it('an empty segment where a route takes a parameter is no route', async () => {
    const res = await glance('/v2/images//members');
    expect(res.status).toBe(404);
    expect(res.text).toBe((await glance('/v2/no-such-route')).text);
  });

  it('paths match in any case, as Express routed them', async () => {
    const [lower, upper] = [await glance('/v2/images'), await glance('/V2/IMAGES')];
    expect(upper.status).toBe(200);
    expect((upper.body as { images: unknown[] }).images).toEqual(
      (lower.body as { images: unknown[] }).images,
    );
  });

  it('a CloudMC id keeps its slashes, raw or as %2F; a trailing slash is part of it', async () => {
    const listed = await cloudmc('');
    const id = (listed.body as { data: { id: string }[] }).data[0]!.id;
    expect(id).toContain('/');
    for (const path of [id, id.replaceAll('/', '%2F')]) {
      const res = await cloudmc(`/${path}`);
      expect(res.status, path).toBe(200);
      expect((res.body as { data: { id: string } }).data.id).toBe(id);
    }
    const slashed = await cloudmc(`/${id}/`);
    expect(slashed.status).toBe(404);
    expect(slashed.text).toContain(`${id}/`);
  });

  it('an absolute-form target is routed by its path, under a group prefix too', async () => {
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const get = (target: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = http.request(
            { host: '127.0.0.1', port, path: target, headers: { 'X-Auth-Token': 'admin-token' } },
            (res) => {
              let body = '';
              res.setEncoding('utf8');
              res.on('data', (c: string) => (body += c));
              res.on('end', () => resolve({ status: res.statusCode!, body }));
            },
          );
          req.on('error', reject);
          req.end();
        });
      const plain = await get('/v2/images?limit=1');
      const absolute = await get('http://elsewhere.example/v2/images?limit=1');
      expect(absolute.status).toBe(200);
      expect(JSON.parse(absolute.body).images).toEqual(JSON.parse(plain.body).images);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('the instance chooses sandbox, admin API and provider by prefix as its Express mounts did', async () => {
    const answer = async (path: string) => {
      const res = await request(t.app).get(path);
      return [res.status, res.status === 300 ? 'version document' : res.text];
    };
    expect(await answer('/__sandbox/%ZZ/v2/images')).toEqual([400, '{"error":"bad request"}']);
    expect(await answer('/__Sandbox/nope/v2/images')).toEqual([404, `{"error":"no sandbox 'nope'"}`]);
    // not a sandbox path: Glance, mounted at the root, answers it
    expect(await answer('/__sandbox/')).toEqual([300, 'version document']);
    expect((await request(t.app).get('/__ADMIN/health')).body).toMatchObject({ status: 'ok' });
    expect(await answer('/__admin/nothing')).toEqual([
      404,
      '{"error":"no admin endpoint GET /__admin/nothing"}',
    ]);
  });

  it("another method on the Keystone shim's paths answers as a path Glance does not route", async () => {
    const unrouted = await request(t.app).options('/no-such-version');
    expect(unrouted.status).toBe(300);
    for (const path of ['/v3', '/v3/', '/v3/auth/tokens']) {
      const res = await request(t.app).options(path);
      expect(res.status, path).toBe(300);
      expect(res.headers.allow, path).toBeUndefined();
      expect(withoutPort(res.text), path).toBe(withoutPort(unrouted.text));
    }
  });
});
