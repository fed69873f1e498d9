import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { driftCheck } from '../../src/drift/check.js';
import type { Difference } from '../../src/drift/difference.js';
import { cloudmcScenario } from '../../src/providers/cloudmc/drift.js';
import { codeBlockAfter } from '../helpers.js';
import { type Canned, type FakeEndpoint, startFakeEndpoint, withChange } from './fake-endpoint.js';

const seed = readFileSync(new URL('../seeds/stackpath.txt', import.meta.url), 'utf8');
const LIST = codeBlockAfter(seed, '### List images', 1);
// The spec note resolves the seed's get/list conflict in favour of the list's description.
const GET = codeBlockAfter(seed, '### Retrieve an image', 1).replace(
  '"description": "test 2"',
  '"description": "Image using ubuntu"',
);
const UBUNTU = 'a8050b2b-39eb-4929-bce5-1af42055903e/ubuntu/v20201110';
const BASE = '/api/v1/services/stackpath/test-area/images';
const json = { 'Content-Type': 'application/json' };
const pretty = (v: unknown) => JSON.stringify(v, null, 2);
const error = (code: number, message: string, context: Record<string, unknown> = {}) =>
  pretty({ errors: [{ code, message, context }] });

/** CloudMC as the seed shows it (successes) and as the spec note words its errors (the codes README lists). */
const routes: Record<string, Canned> = {
  [`valid GET ${BASE}`]: { status: 200, headers: json, body: LIST },
  [`valid GET ${BASE}?imageType=default`]: { status: 200, headers: json, body: LIST },
  [`valid GET ${BASE}/${UBUNTU}`]: { status: 200, headers: json, body: GET },
  [`valid GET ${BASE}/${UBUNTU.replaceAll('/', '%2F')}`]: { status: 200, headers: json, body: GET },
  [`valid GET ${BASE}/00000000-0000-0000-0000-000000000000/nope/v0`]: {
    status: 404,
    headers: json,
    body: error(1006, "Image '00000000-0000-0000-0000-000000000000/nope/v0' not found.", {
      id: '00000000-0000-0000-0000-000000000000/nope/v0',
    }),
  },
  ['valid GET /api/v1/services/stackpath/no-such-environment/images']: {
    status: 404,
    headers: json,
    body: error(1005, "Environment 'no-such-environment' not found in service 'stackpath'.", {
      serviceCode: 'stackpath',
      environment: 'no-such-environment',
    }),
  },
  [`valid DELETE ${BASE}`]: {
    status: 405,
    headers: { ...json, Allow: 'GET, HEAD' },
    body: error(1008, 'Method DELETE is not allowed on this resource.', {
      method: 'DELETE',
      allowed: ['GET'],
    }),
  },
  [`missing GET ${BASE}`]: {
    status: 401,
    headers: json,
    body: error(1001, 'Missing API key: send it in the MC-Api-Key header.'),
  },
  [`wrong GET ${BASE}`]: { status: 401, headers: json, body: error(1002, 'Invalid API key.') },
};

const classify = (h: Record<string, unknown>) =>
  h['mc-api-key'] === undefined ? 'missing' : h['mc-api-key'] === 'mc-demo-key' ? 'valid' : 'wrong';

let fake: FakeEndpoint | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function drift(table: Record<string, Canned>) {
  fake = await startFakeEndpoint(table, classify);
  return driftCheck(cloudmcScenario, {
    real: fake.url,
    token: 'mc-demo-key',
    allowWrites: false,
    deliberate: [],
  });
}

const found = (report: Awaited<ReturnType<typeof drift>>) =>
  report.steps.flatMap((s) =>
    s.differences.map((d: Difference) => ({ step: s.name, kind: d.kind, path: d.path })),
  );

describe('drift check of CloudMC against a recorded endpoint built from the seed', () => {
  it('finds no drift when the endpoint answers as the seed and spec say', async () => {
    const report = await drift(routes);
    expect(found(report)).toEqual([]);
    expect(report.summary).toMatchObject({ steps: 9, drifted: 0 });
  });

  it.each([
    {
      change: 'a renamed field',
      key: `valid GET ${BASE}`,
      edit: (b: string) => b.replace('"family": "centos7"', '"familyName": "centos7"'),
      // the real service has a field the mock lacks, and the mock one the real service lacks
      expected: [
        { step: 'list', kind: 'missing', path: '$.data[0].familyName' },
        { step: 'list', kind: 'extra', path: '$.data[0].family' },
      ],
    },
    {
      change: 'other key order',
      key: `valid GET ${BASE}/${UBUNTU}`,
      edit: (b: string) =>
        pretty({ data: (({ id, stackId, ...rest }) => ({ id, stackId, ...rest }))(JSON.parse(b).data) }),
      expected: [{ step: 'get', kind: 'key-order', path: '$.data' }],
    },
    {
      change: 'other error text',
      key: 'wrong GET /api/v1/services/stackpath/test-area/images',
      edit: () => error(1002, 'The API key is not valid.'),
      expected: [{ step: 'wrong-credentials', kind: 'value', path: '$.errors[0].message' }],
    },
    {
      change: 'other spacing',
      key: `valid GET ${BASE}?imageType=default`,
      edit: (b: string) => JSON.stringify(JSON.parse(b)),
      expected: [
        { step: 'list-filtered', kind: 'serialization', path: '$ (spacing after ":")' },
        { step: 'list-filtered', kind: 'serialization', path: '$ (spacing after ",")' },
        { step: 'list-filtered', kind: 'serialization', path: '$ (line breaks)' },
      ],
    },
    {
      change: 'another timestamp format',
      key: `valid GET ${BASE}`,
      edit: (b: string) => b.replace('"2020-11-10T20:34:11.328575Z"', '"2020-11-10T20:34:11Z"'),
      expected: [{ step: 'list', kind: 'value', path: '$.data[1].createdAt' }],
    },
  ])('names $change at its JSON path', async ({ key, edit, expected }) => {
    const report = await drift(withChange(routes, key, (c) => ({ ...c, body: edit(c.body!) })));
    expect(found(report)).toEqual(expected);
    expect(report.summary.drifted).toBe(1);
  });

  it('names another status, and a changed header', async () => {
    const table = withChange(
      routes,
      `valid GET ${BASE}/00000000-0000-0000-0000-000000000000/nope/v0`,
      (c) => ({ ...c, status: 400 }),
    );
    const report = await drift(
      withChange(table, `valid DELETE ${BASE}`, (c) => ({ ...c, headers: { ...json, Allow: 'GET' } })),
    );
    expect(found(report)).toEqual([
      { step: 'get-unknown', kind: 'status', path: 'status' },
      { step: 'method-not-allowed', kind: 'header', path: 'allow' },
    ]);
    const status = report.steps.find((s) => s.name === 'get-unknown')!.differences[0]!;
    expect(status).toMatchObject({ real: 400, mock: 404 });
  });
});
