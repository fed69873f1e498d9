import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesDir, schemasDir } from '../../src/paths.js';
import { cloudmc } from '../../src/providers/cloudmc/index.js';
import { glance } from '../../src/providers/glance/index.js';
import { cloudmcImport } from '../../src/providers/cloudmc/record.js';
import { glanceImport } from '../../src/providers/glance/record.js';
import { importExchanges } from '../../src/record/import.js';
import type { Exchange } from '../../src/record/recording.js';
import { Store } from '../../src/store/store.js';
import { Validator } from '../../src/validation/validator.js';
import { runCli } from '../e2e/run-server.js';
import { tempDir } from '../helpers.js';

const image = (family: string, status: string) => ({
  stackId: 'a8050b2b-39eb-4929-bce5-1af42055903e',
  id: `a8050b2b-39eb-4929-bce5-1af42055903e/${family}/v1`,
  slug: 'stackpath-edge',
  family,
  tag: 'v1',
  createdAt: '2021-01-01T00:00:00.000000Z',
  description: `Image using ${family}`,
  reference: `stackpath-edge/${family}:v1`,
  status,
});

const listExchange = (images: unknown[]): Exchange => ({
  provider: 'cloudmc',
  at: '2026-01-01T00:00:00Z',
  request: {
    method: 'GET',
    path: '/api/v1/services/stackpath/test-area/images',
    headers: { 'mc-api-key': '***' },
  },
  response: {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: {
      encoding: 'utf8',
      text: JSON.stringify({ data: images, metadata: { recordCount: images.length } }),
    },
  },
});

const temp = tempDir('iam-import-');
afterAll(() => temp.cleanup());

describe('record import', () => {
  it('imports valid records and lists each invalid one with its reason', async () => {
    const store = await Store.open({
      location: ':memory:',
      sections: [cloudmc.store],
      seed: 42,
      fixturesDir,
    });
    const result = importExchanges(
      [listExchange([image('debian', 'READY'), image('weird', 'SOMETIMES')])],
      cloudmcImport,
      cloudmc,
      new Validator(schemasDir),
      store.data('cloudmc'),
    );
    expect(result.records.map((r) => r.family)).toEqual(['debian']);
    // its stack is the connection's system stack: a default image, visible in every environment
    expect(result.records[0]).toMatchObject({
      serviceCode: 'stackpath',
      environment: null,
      deprecated: false,
    });
    expect(result.invalid).toEqual([
      {
        id: 'stackpath/a8050b2b-39eb-4929-bce5-1af42055903e/weird/v1',
        reason: 'status: must be equal to one of the allowed values',
      },
    ]);
  });

  it('keeps the last recorded state of a record and drops one a later exchange deleted', () => {
    const glanceImage = (name: string) => ({
      name,
      disk_format: null,
      container_format: null,
      visibility: 'shared',
      size: null,
      virtual_size: null,
      status: 'queued',
      checksum: null,
      protected: false,
      min_ram: 0,
      min_disk: 0,
      owner: 'b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1',
      os_hidden: false,
      os_hash_algo: null,
      os_hash_value: null,
      id: `0000000${name}-0000-4000-8000-000000000000`,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      tags: [],
      self: '/v2/images/x',
      file: '/v2/images/x/file',
      schema: '/v2/schemas/image',
    });
    const answer = (method: string, p: string, status: number, body?: unknown): Exchange => ({
      provider: 'glance',
      at: '',
      request: { method, path: p, headers: {} },
      response: {
        status,
        headers: {},
        body: body === undefined ? undefined : { encoding: 'utf8', text: JSON.stringify(body) },
      },
    });
    const a = glanceImage('a');
    const b = glanceImage('b');
    const result = importExchanges(
      [
        answer('GET', '/v2/images', 200, {
          images: [a, b],
          first: '/v2/images',
          schema: '/v2/schemas/images',
        }),
        answer('PATCH', `/v2/images/${a.id}`, 200, { os_distro: 'debian', ...a, name: 'a2' }),
        answer('DELETE', `/v2/images/${b.id}`, 204),
      ],
      glanceImport,
      glance,
      new Validator(schemasDir),
      {},
    );
    expect(result.invalid).toEqual([]);
    expect(result.records).toHaveLength(1);
    expect(result.records[0]).toMatchObject({
      id: a.id,
      name: 'a2',
      owner: a.owner,
      properties: { os_distro: 'debian' },
    });
  });

  it('says so on the command line and exits 0', async () => {
    const file = path.join(temp.dir, 'rec.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify(listExchange([image('debian', 'READY'), image('weird', 'SOMETIMES')]))}\n`,
    );
    const { code, output } = await runCli([
      'record',
      'import',
      file,
      '--store',
      path.join(temp.dir, 'store'),
    ]);
    expect(code).toBe(0);
    expect(output).toContain(
      'not imported: cloudmc stackpath/a8050b2b-39eb-4929-bce5-1af42055903e/weird/v1: status:',
    );
    expect(output).toMatch(/1 cloudmc images imported into .*cloudmc\.json \(1 refused\)/);
  });
});
