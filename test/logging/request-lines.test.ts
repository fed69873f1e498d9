import { PassThrough } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createContext } from '../../src/server.js';

const LIST = '/api/v1/services/stackpath/production/images';
const KEY = 'mc-demo-key';

async function appAtInfo(level: 'info' | 'debug' = 'info') {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const ctx = await createContext(resolveConfig({}, {}, { store: ':memory:' }), createLogger(level, out));
  return { app: createApp(ctx), text: () => text };
}

// The default level: each answer is one short line (method, url, status, ms), not pino-http's
// serialised request and response, which cost more than answering (docs/performance.md).
describe('the request log at info (the default)', () => {
  it('writes one line per answer with method, url, status and milliseconds', async () => {
    const { app, text } = await appAtInfo();
    await request(app).get(`${LIST}?limit=2`).set('MC-Api-Key', KEY).expect(200);
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toEqual({
      level: 30,
      time: expect.any(Number),
      req: { method: 'GET', url: `${LIST}?limit=2` },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
      msg: 'request completed',
    });
    expect(text()).not.toContain(KEY);
  });

  it('masks credentials passed in the query string', async () => {
    const { app, text } = await appAtInfo();
    await request(app)
      .get(`${LIST}?limit=2&api_key=query-secret-1&token=query-secret-2`)
      .set('MC-Api-Key', KEY);
    const line = JSON.parse(text().trim()) as { req: { url: string } };
    expect(line.req.url).toBe(`${LIST}?limit=2&api_key=[masked]&token=[masked]`);
    expect(text()).not.toContain('query-secret');
  });

  it('logs a 4xx at info and each request once', async () => {
    const { app, text } = await appAtInfo();
    await request(app).get(LIST).expect(401);
    const other = await request(app).get('/nowhere');
    const lines = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; res: { statusCode: number } });
    expect(lines.map((l) => [l.level, l.res.statusCode])).toEqual([
      [30, 401],
      [30, other.status],
    ]);
  });
});

describe('the request log at debug (pino-http, headers and all)', () => {
  it('masks credentials in the query string there too', async () => {
    const { app, text } = await appAtInfo('debug');
    await request(app)
      .get(`${LIST}?limit=2&api_key=query-secret-1&token=query-secret-2`)
      .set('MC-Api-Key', KEY)
      .expect(200);
    const lines = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { req?: { url: string; query?: Record<string, string> } });
    const logged = lines.find((l) => l.req?.query)!;
    expect(logged.req!.url).toBe(`${LIST}?limit=2&api_key=[masked]&token=[masked]`);
    expect(logged.req!.query).toEqual({ limit: '2', api_key: '[masked]', token: '[masked]' });
    expect(text()).not.toContain('query-secret');
    expect(text()).not.toContain(KEY);
  });
});
