import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { driftCheck } from '../../src/drift/check.js';
import { allianceScenario } from '../../src/providers/alliance/drift.js';
import { startMockServer } from '../../src/index.js';
import { allianceImport } from '../../src/providers/alliance/record.js';
import type { RunningServer } from '../../src/server.js';
import { type Canned, type FakeEndpoint, startFakeEndpoint, withChange } from './fake-endpoint.js';

const seed = readFileSync(new URL('../seeds/alliance.txt', import.meta.url), 'utf8');
// "Example 2. Get specific image": the one well-formed image example of the seed
const example = /Example 2\. Get specific image : JSON response\s*```\n([\s\S]*?)\n```/.exec(seed)![1]!;
const IMAGE = JSON.parse(example) as Record<string, unknown>;
const ID = String(IMAGE.id);
const PAIR = `ccsr1/${String(IMAGE.owner)}`;
const NOBODY = '00000000-0000-4000-8000-000000000000';
const compact = (v: unknown) => JSON.stringify(v);
const json = { 'Content-Type': 'application/json' };
const error = (code: number, title: string, message: string) => compact({ error: { code, title, message } });

/** Alliance as the seed's example shows an image and the spec note words its envelope; the list is the spec's shape. */
const routes: Record<string, Canned> = {
  'valid GET /images': { status: 200, headers: json, body: compact({ images: [IMAGE] }) },
  'valid GET /images/': { status: 200, headers: json, body: compact({ images: [IMAGE] }) },
  [`valid GET /images/${ID}`]: { status: 200, headers: json, body: compact(IMAGE) },
  [`valid GET /images/${NOBODY}`]: {
    status: 404,
    headers: json,
    body: error(404, 'Not Found', `No image found with ID ${NOBODY}`),
  },
  [`valid POST /images/${NOBODY}`]: {
    status: 405,
    headers: { ...json, Allow: 'GET, PATCH, PUT, DELETE, HEAD' },
    body: error(
      405,
      'Method Not Allowed',
      `Method POST is not allowed on /images/${NOBODY}; use GET, PATCH, PUT, DELETE.`,
    ),
  },
  'missing GET /images': {
    status: 400,
    headers: json,
    body: error(400, 'Bad Request', 'Missing required header X-Target-Ns.'),
  },
};

const classify = (h: Record<string, unknown>) =>
  h['x-target-ns'] === undefined
    ? 'missing'
    : [h['x-target-ns'], h['x-environment-id']].join('/') === PAIR
      ? 'valid'
      : 'wrong';

let mock: RunningServer;
let fake: FakeEndpoint | undefined;
beforeAll(async () => {
  mock = await startMockServer();
  // the mock holds exactly the seed's image, imported as `record import` would
  const recorded = allianceImport.records(
    {
      provider: 'alliance',
      at: '',
      request: { method: 'GET', path: `/images/${ID}`, headers: { 'X-Target-Ns': 'ccsr1' } },
      response: { status: 200, headers: {}, body: { encoding: 'utf8', text: example } },
    },
    {},
  );
  await mock.ctx.store.collection('alliance', 'images').replaceAll(recorded);
});
afterAll(() => mock.close());
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function drift(table: Record<string, Canned>) {
  fake = await startFakeEndpoint(table, classify);
  return driftCheck(allianceScenario, {
    real: fake.url,
    mock: mock.url,
    token: PAIR,
    allowWrites: false,
    deliberate: [],
    params: { image: ID },
  });
}

const found = (report: Awaited<ReturnType<typeof drift>>) =>
  report.steps.flatMap((s) => s.differences.map((d) => ({ step: s.name, kind: d.kind, path: d.path })));

describe('drift check of Alliance against a recorded endpoint built from the seed', () => {
  it('finds no drift when the endpoint answers as the seed and spec say', async () => {
    const report = await drift(routes);
    expect(found(report)).toEqual([]);
    expect(report.summary).toMatchObject({ steps: 6, drifted: 0 });
  });

  it.each([
    {
      change: 'a renamed field',
      key: `valid GET /images/${ID}`,
      edit: (b: string) => b.replace('"min_disk"', '"minDisk"'),
      expected: [
        { step: 'get', kind: 'missing', path: '$.minDisk' },
        { step: 'get', kind: 'extra', path: '$.min_disk' },
      ],
    },
    {
      change: 'other key order',
      key: 'valid GET /images',
      edit: () => compact({ images: [(({ id, ...rest }) => ({ id, ...rest }))(IMAGE)] }),
      expected: [{ step: 'list', kind: 'key-order', path: '$.images[0]' }],
    },
    {
      change: 'other error text',
      key: 'missing GET /images',
      edit: () => error(400, 'Bad Request', 'X-Target-Ns header is required'),
      expected: [{ step: 'no-namespace', kind: 'value', path: '$.error.message' }],
    },
    {
      change: 'other spacing',
      key: `valid GET /images/${NOBODY}`,
      edit: (b: string) => JSON.stringify(JSON.parse(b), null, 4),
      expected: [
        { step: 'get-unknown', kind: 'serialization', path: '$ (spacing after ":")' },
        { step: 'get-unknown', kind: 'serialization', path: '$ (spacing after ",")' },
        { step: 'get-unknown', kind: 'serialization', path: '$ (line breaks)' },
      ],
    },
    {
      change: 'another timestamp format',
      key: 'valid GET /images/',
      edit: (b: string) =>
        b.replace('"created_at":"2015-07-22T05:27:55Z"', '"created_at":"2015-07-22T05:27:55.000000"'),
      expected: [{ step: 'list-slash', kind: 'value', path: '$.images[0].created_at' }],
    },
  ])('names $change at its JSON path', async ({ key, edit, expected }) => {
    const report = await drift(withChange(routes, key, (c) => ({ ...c, body: edit(c.body!) })));
    expect(found(report)).toEqual(expected);
  });

  it('names another status', async () => {
    const report = await drift(
      withChange(routes, `valid GET /images/${NOBODY}`, (c) => ({ ...c, status: 400 })),
    );
    expect(found(report)).toEqual([{ step: 'get-unknown', kind: 'status', path: 'status' }]);
  });
});
