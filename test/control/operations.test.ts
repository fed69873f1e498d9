import { PassThrough } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startMockServer } from '../../src/index.js';
import { createContext } from '../../src/server.js';
import { testApp } from '../helpers.js';

const KEY = 'mc-demo-key';
const LIST = '/api/v1/services/stackpath/test-area/images';

describe('liveness and readiness', () => {
  it('both answer 200 while serving; readiness fails (503) once shutdown begins, liveness does not', async () => {
    const mock = await startMockServer();
    expect((await fetch(`${mock.url}/__admin/health`)).status).toBe(200);
    const ready = await fetch(`${mock.url}/__admin/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });

    // the app answers a request already in flight during close: probe it directly
    const app = createApp(mock.ctx);
    const closing = mock.close();
    const during = await request(app).get('/__admin/ready');
    expect(during.status).toBe(503);
    expect(during.body).toEqual({ ready: false, reason: 'shutting down' });
    const live = await request(app).get('/__admin/health');
    expect(live.status).toBe(200);
    expect(live.body.ready).toBe(false);
    await closing;
  });
});

describe('CORS (MOCK_CORS)', () => {
  it('is off by default: no CORS headers, and OPTIONS is the provider’s own answer', async () => {
    const { app } = await testApp();
    const res = await request(app).get(LIST).set('Origin', 'http://localhost:3000').set('MC-Api-Key', KEY);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(app)
      .options(LIST)
      .set('Origin', 'http://localhost:3000')
      .set('Access-Control-Request-Method', 'GET');
    // CloudMC checks the key first: its own 401, not a CORS preflight answer
    expect(preflight.status).toBe(401);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('with *, answers preflights and exposes headers a browser client reads', async () => {
    const { app } = await testApp({ cors: '*' });
    const preflight = await request(app)
      .options(LIST)
      .set('Origin', 'http://localhost:3000')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'MC-Api-Key');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(preflight.headers['access-control-allow-headers']).toBe('MC-Api-Key');
    const res = await request(app).get(LIST).set('Origin', 'http://localhost:3000').set('MC-Api-Key', KEY);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(res.headers['access-control-expose-headers']).toContain('Retry-After');
  });

  it('with a list, allows only those origins', async () => {
    const { app } = await testApp({ cors: 'http://a.test,http://b.test:8000' });
    const allowed = await request(app).get(LIST).set('Origin', 'http://b.test:8000').set('MC-Api-Key', KEY);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://b.test:8000');
    const other = await request(app).get(LIST).set('Origin', 'http://evil.test').set('MC-Api-Key', KEY);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a malformed setting at start-up', () => {
    expect(() => resolveConfig({ MOCK_CORS: 'localhost' })).toThrow(/MOCK_CORS must be off, \*/);
    expect(resolveConfig({ MOCK_CORS: ' http://a.test , http://b.test ' }).cors).toBe(
      'http://a.test,http://b.test',
    );
  });
});

describe('request logs', () => {
  async function logged(level: string) {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const logger = createLogger(level, out);
    const ctx = await createContext(resolveConfig({}, {}, { store: ':memory:', logLevel: level }), logger);
    await request(createApp(ctx)).get(LIST).set('MC-Api-Key', KEY).expect(200);
    return text;
  }

  it('are JSON lines off a terminal: at info a summary, no headers, so no credential', async () => {
    const text = await logged('info');
    const line = JSON.parse(text.trim().split('\n').at(-1)!);
    expect(line).toMatchObject({ req: { method: 'GET', url: LIST }, res: { statusCode: 200 } });
    expect(line.req.headers).toBeUndefined();
    expect(text).not.toContain(KEY);
  });

  it('at debug carry the whole request and response, credentials redacted', async () => {
    const text = await logged('debug');
    const line = JSON.parse(text.trim().split('\n').at(-1)!);
    expect(line).toMatchObject({ req: { method: 'GET', url: LIST }, res: { statusCode: 200 } });
    expect(line.req.headers['mc-api-key']).toBe('[Redacted]');
    expect(text).not.toContain(KEY);
  });
});

describe('web console', () => {
  it('is served at /__admin/ (with a redirect from /__admin) with its script and stylesheet', async () => {
    const { app } = await testApp();
    const bare = await request(app).get('/__admin');
    expect(bare.status).toBe(308);
    expect(bare.headers.location).toBe('/__admin/');
    const page = await request(app).get('/__admin/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<script type="module" src="console/console.js">');
    const script = await request(app).get('/__admin/console/console.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await request(app).get('/__admin/console/console.css')).status).toBe(200);
    expect((await request(app).get('/__admin/console/..%2Fpackage.json')).status).toBe(404);
  });
});
