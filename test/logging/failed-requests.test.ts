import { PassThrough } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { CloudmcData, StoredImage } from '../../src/providers/cloudmc/model.js';
import { createContext } from '../../src/server.js';

const LIST = '/api/v1/services/stackpath/production/images';
const KEY = 'mc-demo-key';

async function appLoggingAt(level: string) {
  const out = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  out.on('data', (c: Buffer) => {
    for (const line of c.toString().split('\n').filter(Boolean))
      lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  const ctx = await createContext(
    resolveConfig({}, {}, { store: ':memory:', logLevel: level }),
    createLogger(level, out),
  );
  return { ctx, app: createApp(ctx), lines };
}

// Above info there is no per-request logger (it cost as much as Express itself); failures still get their line.
describe('request lines at log levels above info', () => {
  it('a successful answer writes nothing', async () => {
    const { app, lines } = await appLoggingAt('warn');
    await request(app).get(LIST).set('MC-Api-Key', KEY).expect(200);
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual([]);
  });

  it('a 5xx answer is logged with its request line and status, never its credentials', async () => {
    const { app, ctx, lines } = await appLoggingAt('warn');
    const image = ctx.store
      .data<CloudmcData>('cloudmc')
      .images.find((i) => i.serviceCode === 'stackpath' && i.environment === 'production' && !i.deprecated)!;
    const images = ctx.store.collection<StoredImage>('cloudmc', 'images');
    await images.update(images.idOf(image), { status: 'BROKEN' as StoredImage['status'] });
    await request(app).get(LIST).set('MC-Api-Key', KEY).expect(500);
    await new Promise((r) => setImmediate(r));
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request errored',
        req: { method: 'GET', url: LIST },
        res: { statusCode: 500 },
      }),
    );
    expect(JSON.stringify(lines)).not.toContain(KEY);
  });
});
