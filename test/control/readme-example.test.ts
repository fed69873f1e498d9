import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
// README "Use it from a test suite" imports from 'image-api-mocks'; this is the same code on the sources.
import { type MockServer, startMockServer } from '../../src/index.js';

// ---- the README example, as written there ----
let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset({ all: true }));

it('lists an image created at a frozen time, after one injected outage', async () => {
  mock.clock.freeze('2030-01-02T03:04:05Z');
  await mock.insert('cloudmc', 'images', {
    serviceCode: 'stackpath',
    environment: 'test-area',
    family: 'my-app',
    tag: 'v1',
  });
  mock.faults.add({ provider: 'cloudmc', method: 'GET', status: 503, times: 1 });

  const url = `${mock.url}/api/v1/services/stackpath/test-area/images?imageType=custom`;
  const headers = { 'MC-Api-Key': 'mc-demo-key' };
  expect((await fetch(url, { headers })).status).toBe(503); // the injected outage
  const { data } = (await (await fetch(url, { headers })).json()) as { data: object[] }; // the client's retry
  expect(data[0]).toMatchObject({ family: 'my-app', createdAt: '2030-01-02T03:04:05.000000Z' });
  expect(mock.journal.count({ provider: 'cloudmc', path: '/api/v1/services/*/*/images' })).toBe(2);
});

it('gives each parallel worker a sandbox of its own', async () => {
  const sandbox = await mock.sandboxes.create();
  await sandbox.insert('cloudmc', 'images', { serviceCode: 'cox', family: 'only-here', tag: 'v1' });
  expect(sandbox.records('cloudmc', 'images').some((r) => r.family === 'only-here')).toBe(true);
  expect(mock.records('cloudmc', 'images').some((r) => r.family === 'only-here')).toBe(false);
  await sandbox.delete();
});
// ---- end of the README example ----

it('snapshots from code, and refuses bad input with the same messages as the HTTP API', async () => {
  const before = mock.records('cloudmc', 'images');
  const saved = await mock.snapshots.save('start');
  expect(saved.records.cloudmc).toBeGreaterThan(before.length);
  const first = before[0]!;
  await mock.remove('cloudmc', 'images', `${String(first.serviceCode)}/${String(first.id)}`);
  expect(mock.records('cloudmc', 'images')).toHaveLength(before.length - 1);
  await mock.snapshots.restore('start');
  expect(mock.records('cloudmc', 'images')).toEqual(before);
  expect(() => mock.faults.add({ status: 200 })).toThrow(
    'fault: status must be an HTTP error status from 400 to 599',
  );
  await expect(mock.insert('cloudmc', 'images', { colour: 'red' })).rejects.toThrow('colour: unknown field');
  expect(() => mock.clock.set('soon')).toThrow('at: must be an ISO 8601 time');
});

it('works from a vitest globalSetup with sandboxes per test file (the README set-up, run for real)', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const run = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      'test/control/readme-example/vitest.config.ts',
    ],
    { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CI: 'true', NO_COLOR: '1' } },
  );
  const output = `${run.stdout}${run.stderr}`;
  expect(run.status, output).toBe(0);
  expect(output).toMatch(/Tests\s+2 passed \(2\)/);
});
