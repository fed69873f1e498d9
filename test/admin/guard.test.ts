import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';

/** The hostile tester's findings (issue 17, item 2 and 3), each as it was reproduced. */
describe('the admin API refuses other sites', () => {
  it('a no-cors POST from another origin (as Chromium sends it) cannot reset, create a sandbox or freeze the clock', async () => {
    const { app } = await testApp();
    for (const path of ['/__admin/reset', '/__admin/sandboxes', '/__admin/clock/freeze']) {
      const res = await request(app)
        .post(path)
        .set('Origin', 'http://evil.example')
        .set('Sec-Fetch-Site', 'cross-site')
        .set('Content-Type', 'text/plain;charset=UTF-8')
        .send('{}');
      expect(res.status, path).toBe(403);
      expect(res.body.error).toMatch(/cross-origin write to the admin API refused/);
    }
    expect((await request(app).get('/__admin/sandboxes')).body.sandboxes).toEqual([]);
    expect((await request(app).get('/__admin/clock')).body.frozen).toBeFalsy();
  });

  it('an Origin other than the Host is refused even without Sec-Fetch-Site; same-origin and curl are not', async () => {
    const { app } = await testApp();
    const cross = await request(app).post('/__admin/reset').set('Origin', 'http://evil.example').send({});
    expect(cross.status).toBe(403);
    const server = request(app).post('/__admin/reset');
    const same = await server.set('Sec-Fetch-Site', 'same-origin').send({});
    expect(same.status).toBe(200);
    expect((await request(app).post('/__admin/reset').send({})).status).toBe(200);
  });

  it('--cors opens the provider APIs, never /__admin', async () => {
    const { app } = await testApp({ cors: '*' });
    const provider = await request(app)
      .options('/v2/images')
      .set('Origin', 'http://app.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(provider.headers['access-control-allow-origin']).toBe('http://app.example');
    const admin = await request(app)
      .options('/__admin/reset')
      .set('Origin', 'http://app.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(admin.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('--admin-token', () => {
  it('protects every admin route but the probes and the console page', async () => {
    const { app } = await testApp({ adminToken: 's3cret' });
    const denied = await request(app).get('/__admin/journal');
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await request(app).post('/__admin/reset').send({})).status).toBe(401);
    expect((await request(app).get('/__admin/journal').set('Authorization', 'Bearer wrong')).status).toBe(
      401,
    );
    expect((await request(app).get('/__admin/journal').set('Authorization', 'Bearer s3cret')).status).toBe(
      200,
    );
    expect((await request(app).post('/__admin/reset').set('X-Admin-Token', 's3cret').send({})).status).toBe(
      200,
    );
    expect((await request(app).get('/__admin/health')).status).toBe(200);
    expect((await request(app).get('/__admin/ready')).status).toBe(200);
    expect((await request(app).get('/__admin/')).status).toBe(200);
    // every file the page loads, its modules and its icon, comes without the token too
    for (const [file, type] of [
      ['console.js', 'text/javascript; charset=utf-8'],
      ['api.js', 'text/javascript; charset=utf-8'],
      ['entry.js', 'text/javascript; charset=utf-8'],
      ['store.js', 'text/javascript; charset=utf-8'],
      ['console.css', 'text/css; charset=utf-8'],
      ['favicon.svg', 'image/svg+xml'],
    ]) {
      const res = await request(app).get(`/__admin/console/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers['content-type'], file).toBe(type);
    }
    // the providers are not behind it
    expect((await request(app).get('/v2/images').set('X-Auth-Token', 'user-token')).status).toBe(200);
  });
});

describe('the console files', () => {
  it('are only the ones it has: a built-in name is none of them', async () => {
    const { app } = await testApp();
    for (const file of ['constructor', '__proto__', 'toString', 'index.html', 'missing.js']) {
      const res = await request(app).get(`/__admin/console/${file}`);
      expect(res.status, file).toBe(404);
      expect(res.body.error).toBe(`no console file '${file}'`);
    }
  });
});

describe('admin bodies are read strictly', () => {
  it('a JSON body without a JSON media type gets 415, not a reset with the default seed', async () => {
    const { app } = await testApp();
    const res = await request(app)
      .post('/__admin/reset')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('{"seed":7}');
    expect(res.status).toBe(415);
    expect(res.body.error).toMatch(/Content-Type: application\/json/);
    const fine = await request(app).post('/__admin/reset').send({ seed: 7 });
    expect(fine.status).toBe(200);
    const unknown = await request(app).post('/__admin/sandboxes').send({ id: 'x', colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toContain('colour');
  });

  it('a body announced too large is refused at once with 413', async () => {
    const { app } = await testApp();
    const res = await request(app)
      .post('/__admin/reset')
      .set('Content-Type', 'application/json')
      .set('Content-Length', '1000000000')
      .send();
    expect(res.status).toBe(413);
  });
});

describe('links name only allowed hosts', () => {
  it('Host: evil.example is not reflected into Location or the Keystone catalog; --allowed-hosts admits a name', async () => {
    const { app } = await testApp();
    const created = await request(app)
      .post('/v2/images')
      .set('X-Auth-Token', 'user-token')
      .set('Host', 'evil.example')
      .send({ name: 'x' });
    expect(created.status).toBe(201);
    expect(created.headers.location).not.toContain('evil.example');
    expect(created.headers.location).toMatch(
      /^http:\/\/(127\.0\.0\.1|\[::1\]|\[::ffff:127\.0\.0\.1\]):\d+\/v2\/images\//,
    );
    const version = await request(app).get('/versions').set('Host', 'localhost:9999');
    expect(version.body.versions[0].links[0].href).toBe('http://localhost:9999/v2/');

    const named = await testApp({ allowedHosts: ['mock'] });
    const ok = await request(named.app).get('/versions').set('Host', 'mock:8080');
    expect(ok.body.versions[0].links[0].href).toBe('http://mock:8080/v2/');
  });
});
