import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDrift } from '../../src/drift/runner.js';
import type { Scenario, Step } from '../../src/drift/scenario.js';
import { type FakeEndpoint, startFakeEndpoint } from './fake-endpoint.js';

// The "real" side finishes its work on the fourth read; the "mock" side at once.
let real: FakeEndpoint;
let mock: FakeEndpoint;
let realReads = 0;
const answer = (status: string) => ({
  status: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ status }),
});
beforeAll(async () => {
  real = await startFakeEndpoint(
    {},
    () => 'valid',
    () => answer(++realReads < 4 ? 'importing' : 'active'),
  );
  mock = await startFakeEndpoint(
    {},
    () => 'valid',
    () => answer('active'),
  );
});
afterAll(async () => {
  await real.close();
  await mock.close();
});

const scenario = (step: Step): Scenario => ({
  provider: 'test',
  credentialHeaders: (token) => ({ 'X-Auth-Token': token }),
  headers: [],
  steps: () => [step],
});
const run = (step: Step) =>
  runDrift(
    scenario(step),
    { base: real.url, token: 't' },
    { base: mock.url, token: 't' },
    { allowWrites: false, deliberate: [] },
  );

describe('a step that waits for work finished in its own time', () => {
  it('without until, the first answer is compared', async () => {
    realReads = 0;
    const report = await run({ name: 'get', method: 'GET', path: '/x' });
    expect(report.summary.drifted).toBe(1);
  });

  it('with until, each side is asked again until the answer satisfies it', async () => {
    realReads = 0;
    const mockSeen = mock.seen.length;
    const report = await run({
      name: 'get',
      method: 'GET',
      path: '/x',
      until: (json) => (json as { status?: string }).status === 'active',
    });
    expect(report.summary.drifted).toBe(0);
    expect(realReads).toBe(4);
    expect(mock.seen.length - mockSeen).toBe(1);
  });
});
