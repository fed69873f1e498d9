import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { startMockServer } from '../../src/index.js';
import { startRecorder } from '../../src/record/proxy.js';
import { bodyText, type Exchange, readRecordings } from '../../src/record/recording.js';
import type { RunningServer } from '../../src/server.js';
import { startFakeEndpoint } from '../drift/fake-endpoint.js';
import { runCli } from '../e2e/run-server.js';
import { codeBlockAfter, tempDir, testApp } from '../helpers.js';

interface Call {
  method: string;
  path: string;
  headers: Record<string, string>;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function send(base: string, call: Call, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${call.path}`, { method: call.method, headers: call.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

// per-request values: every answer has its own
const VOLATILE = ['date', 'x-openstack-request-id', 'connection', 'keep-alive'];
const stable = (h: http.IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(h).filter(([k]) => !VOLATILE.includes(k)));

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Sends each call to the upstream directly and through the recorder; both answers must be the same. */
async function recordThrough(provider: string, upstream: string, calls: Call[]) {
  const { dir, cleanup } = tempDir('iam-record-');
  cleanups.push(cleanup);
  const file = path.join(dir, 'recordings.jsonl');
  let written = 0;
  const recorder = await startRecorder({ provider, target: upstream, file, onExchange: () => written++ });
  for (const call of calls) {
    const direct = await send(upstream, call);
    const proxied = await send(recorder.url, call);
    expect(proxied.status).toBe(direct.status);
    expect(stable(proxied.headers)).toEqual(stable(direct.headers));
    expect(proxied.body.equals(direct.body) || provider === 'sharedcloud').toBe(true);
  }
  await recorder.close();
  expect(written).toBe(calls.length);
  return { dir, file, text: readFileSync(file, 'utf8'), exchanges: readRecordings(file) };
}

async function importInto(file: string, dir: string, provider: string) {
  const store = path.join(dir, 'store');
  const { code, output } = await runCli([
    'record',
    'import',
    file,
    '--provider',
    provider,
    '--store',
    store,
    '--replace',
  ]);
  expect(output).not.toContain('not imported');
  expect(code).toBe(0);
  return store;
}

const recordedGets = (exchanges: Exchange[]) =>
  exchanges.filter((e) => e.request.method === 'GET' && e.response.status === 200);

describe('record -> import -> serve gives back the recorded answers', () => {
  it('CloudMC (a recorded endpoint answering the seed examples)', async () => {
    const seed = readFileSync(new URL('../seeds/stackpath.txt', import.meta.url), 'utf8');
    const list = codeBlockAfter(seed, '### List images', 1);
    const base = '/api/v1/services/stackpath/test-area/images';
    const fake = await startFakeEndpoint(
      { [`valid GET ${base}`]: { status: 200, headers: { 'Content-Type': 'application/json' }, body: list } },
      (h) => (h['mc-api-key'] === 'mc-demo-key' ? 'valid' : 'wrong'),
    );
    cleanups.push(() => fake.close());
    const headers = { 'MC-Api-Key': 'mc-demo-key' };
    const { dir, file, text, exchanges } = await recordThrough('cloudmc', fake.url, [
      { method: 'GET', path: base, headers },
    ]);
    expect(text).not.toContain('mc-demo-key');
    const store = await importInto(file, dir, 'cloudmc');
    const { app, ctx } = await testApp({ store });
    cleanups.push(() => ctx.store.close());
    for (const e of recordedGets(exchanges)) {
      const res = await request(app).get(e.request.path).set(headers);
      expect(res.text).toBe(bodyText(e.response.body));
    }
  });

  it('Sharedcloud (the seed list; only the per-response server time differs)', async () => {
    const seed = readFileSync(new URL('../seeds/sharedcloud.txt', import.meta.url), 'utf8');
    const list = JSON.stringify(JSON.parse(/```javascript\n([\s\S]*?)\n```/.exec(seed)![1]!));
    const fake = await startFakeEndpoint(
      {
        'valid GET /api/v1/images/': {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
          body: list,
        },
      },
      () => 'valid',
    );
    cleanups.push(() => fake.close());
    const token = '6507c5b574a4142649e869c02c4eed085353fa75';
    const headers = { Authorization: `Token ${token}` };
    const { dir, file, text, exchanges } = await recordThrough('sharedcloud', fake.url, [
      { method: 'GET', path: '/api/v1/images/', headers },
    ]);
    expect(text).not.toContain(token);
    const store = await importInto(file, dir, 'sharedcloud');
    const { app, ctx } = await testApp({ store });
    cleanups.push(() => ctx.store.close());
    // the same records as a fixture file, for committing beside the tests that use them
    const fixture = path.join(dir, 'images.json');
    const written = await runCli([
      'record',
      'import',
      file,
      '--provider',
      'sharedcloud',
      '--fixture',
      fixture,
    ]);
    expect(written.output).toContain(`1 sharedcloud images written to ${fixture}`);
    const { images } = JSON.parse(readFileSync(fixture, 'utf8')) as { images: Record<string, unknown>[] };
    expect(images.map((i) => [i.uuid, i.created_at])).toEqual([
      ['24b310f8-1405-4928-914f-d5c91272f88a', '2018-09-22T00:45:50Z'],
    ]);
    const withoutTime = (t: string) => t.replace(/"current_server_time":"[^"]*"/g, '');
    for (const e of recordedGets(exchanges)) {
      const res = await request(app).get(e.request.path).set(headers);
      expect(withoutTime(res.text)).toBe(withoutTime(bodyText(e.response.body)!));
    }
  });

  describe.each<{ provider: string; headers: Record<string, string>; paths: string[] }>([
    {
      provider: 'glance',
      headers: { 'X-Auth-Token': 'user-token' },
      paths: ['/v2/images', '/v2/images?sort_key=name&sort_dir=asc&limit=3'],
    },
    {
      provider: 'alliance',
      headers: { 'X-Target-Ns': 'ccsr1', 'X-Environment-Id': '54915a05b0bb43dcbb218525c426b6a5' },
      paths: ['/images'],
    },
  ])(
    '$provider (a mock with its fixtures stands in for the real service)',
    ({ provider, headers, paths }) => {
      let upstream: RunningServer;
      it('replays every recorded list and get', async () => {
        upstream = await startMockServer();
        cleanups.push(() => upstream.close());
        const first = await send(upstream.url, { method: 'GET', path: paths[0]!, headers });
        expect(first.status).toBe(200);
        const parsed = JSON.parse(first.body.toString()) as { images: { id: string }[] };
        const one = `${paths[0]}/${parsed.images[0]!.id}`;
        const { dir, file, text, exchanges } = await recordThrough(
          provider,
          upstream.url,
          [...paths, one].map((p) => ({ method: 'GET', path: p, headers })),
        );
        if (provider === 'glance') expect(text).not.toContain('user-token');
        const store = await importInto(file, dir, provider);
        const { app, ctx } = await testApp({ store });
        cleanups.push(() => ctx.store.close());
        for (const e of recordedGets(exchanges)) {
          const res = await request(app).get(e.request.path).set(headers);
          expect(res.text).toBe(bodyText(e.response.body));
        }
      });
    },
  );
});
