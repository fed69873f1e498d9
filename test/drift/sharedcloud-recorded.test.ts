import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { driftCheck } from '../../src/drift/check.js';
import { sharedcloudScenario } from '../../src/providers/sharedcloud/drift.js';
import { startMockServer } from '../../src/index.js';
import { sharedcloudImport } from '../../src/providers/sharedcloud/record.js';
import type { RunningServer } from '../../src/server.js';
import { type Canned, type FakeEndpoint, startFakeEndpoint, withChange } from './fake-endpoint.js';

const seed = readFileSync(new URL('../seeds/sharedcloud.txt', import.meta.url), 'utf8');
const blocks = [...seed.matchAll(/```javascript\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!) as unknown);
// The seed pretty-prints; the spec note says the service writes compact JSON.
const SEED_LIST = blocks[0] as Record<string, unknown>[];
const IMAGE = SEED_LIST[0]!;
const UUID = String(IMAGE.uuid);
const TOKEN = '6507c5b574a4142649e869c02c4eed085353fa75';
const compact = (v: unknown) => JSON.stringify(v);
const json = { 'Content-Type': 'application/json', Allow: 'GET, HEAD, OPTIONS' };
const unauthorized = { ...json, 'WWW-Authenticate': 'Token' };
const login = { 'Content-Type': 'application/json', Allow: 'POST, OPTIONS' };
const NOBODY = '00000000-0000-4000-8000-000000000000';

/** Sharedcloud as the seed shows it, errors as the spec note (DRF) words them. */
const routes: Record<string, Canned> = {
  'valid GET /api/v1/images/': { status: 200, headers: json, body: compact(SEED_LIST) },
  'valid GET /api/v1/images': { status: 200, headers: json, body: compact(SEED_LIST) },
  [`valid GET /api/v1/images/?instance=${NOBODY}`]: { status: 200, headers: json, body: '[]' },
  [`valid GET /api/v1/images/${UUID}/`]: { status: 200, headers: json, body: compact(IMAGE) },
  [`valid GET /api/v1/images/${NOBODY}/`]: { status: 404, headers: json, body: compact(blocks[4]) },
  'valid GET /api/v1/images/not-a-uuid/': { status: 404, headers: json, body: compact(blocks[4]) },
  'valid POST /api/v1/images/': {
    status: 405,
    headers: json,
    body: '{"detail":"Method \\"POST\\" not allowed."}',
  },
  'missing GET /api/v1/images/': {
    status: 401,
    headers: unauthorized,
    body: '{"detail":"Authentication credentials were not provided."}',
  },
  'wrong GET /api/v1/images/': { status: 401, headers: unauthorized, body: compact(blocks[1]) },
  'missing POST /api/v1/api-token-auth/': {
    status: 400,
    headers: login,
    body: '{"non_field_errors":["Unable to log in with provided credentials."]}',
  },
  'missing POST /api/v1/api-token-auth/ {}': {
    status: 400,
    headers: login,
    body: '{"username":["This field is required."],"password":["This field is required."]}',
  },
};

const classify = (h: Record<string, unknown>) =>
  h.authorization === undefined ? 'missing' : h.authorization === `Token ${TOKEN}` ? 'valid' : 'wrong';

let mock: RunningServer;
let fake: FakeEndpoint | undefined;
beforeAll(async () => {
  mock = await startMockServer();
  // the mock serves the seed's catalogue: its list, imported as `record import` would
  await mock.ctx.store.collection('sharedcloud', 'images').replaceAll(
    sharedcloudImport.records(
      {
        provider: 'sharedcloud',
        at: '',
        request: { method: 'GET', path: '/api/v1/images/', headers: {} },
        response: { status: 200, headers: {}, body: { encoding: 'utf8', text: compact(SEED_LIST) } },
      },
      {},
    ),
  );
});
afterAll(() => mock.close());
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function drift(table: Record<string, Canned>) {
  fake = await startFakeEndpoint(table, classify);
  return driftCheck(sharedcloudScenario, {
    real: fake.url,
    mock: mock.url,
    token: TOKEN,
    allowWrites: false,
    deliberate: [],
  });
}

const found = (report: Awaited<ReturnType<typeof drift>>) =>
  report.steps.flatMap((s) => s.differences.map((d) => ({ step: s.name, kind: d.kind, path: d.path })));

describe('drift check of Sharedcloud against a recorded endpoint built from the seed', () => {
  it('finds no drift when the endpoint answers as the seed and spec say', async () => {
    const report = await drift(routes);
    expect(found(report)).toEqual([]);
    expect(report.summary).toMatchObject({ steps: 11, drifted: 0 });
  });

  it.each([
    {
      change: 'a renamed field',
      key: `valid GET /api/v1/images/${UUID}/`,
      edit: (b: string) => b.replace('"registry_path"', '"registryPath"'),
      expected: [
        { step: 'get', kind: 'missing', path: '$.registryPath' },
        { step: 'get', kind: 'extra', path: '$.registry_path' },
      ],
    },
    {
      change: 'other key order',
      key: 'valid GET /api/v1/images/',
      edit: (b: string) =>
        compact((JSON.parse(b) as Record<string, unknown>[]).map(({ uuid, ...rest }) => ({ ...rest, uuid }))),
      expected: [{ step: 'list', kind: 'key-order', path: '$[0]' }],
    },
    {
      change: 'other error text',
      key: `valid GET /api/v1/images/${NOBODY}/`,
      edit: () => '{"detail":"No Image matches the given query."}',
      expected: [{ step: 'get-unknown', kind: 'value', path: '$.detail' }],
    },
    {
      change: 'other spacing',
      key: 'wrong GET /api/v1/images/',
      edit: () => '{"detail": "Invalid token."}',
      expected: [{ step: 'wrong-credentials', kind: 'serialization', path: '$ (spacing after ":")' }],
    },
    {
      change: 'another timestamp format',
      key: 'valid GET /api/v1/images',
      edit: (b: string) =>
        b.replace('"created_at":"22-09-2018 00:45:50"', '"created_at":"2018-09-22T00:45:50Z"'),
      expected: [{ step: 'list-no-slash', kind: 'value', path: '$[0].created_at' }],
    },
  ])('names $change at its JSON path', async ({ key, edit, expected }) => {
    const report = await drift(withChange(routes, key, (c) => ({ ...c, body: edit(c.body!) })));
    expect(found(report)).toEqual(expected);
  });

  it('names another status and a missing header', async () => {
    const table = withChange(routes, `valid GET /api/v1/images/${NOBODY}/`, (c) => ({ ...c, status: 410 }));
    const report = await drift(
      withChange(table, 'missing GET /api/v1/images/', (c) => ({ ...c, headers: json })),
    );
    expect(found(report)).toEqual([
      { step: 'get-unknown', kind: 'status', path: 'status' },
      { step: 'no-credentials', kind: 'header', path: 'www-authenticate' },
    ]);
  });
});
