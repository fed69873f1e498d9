import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftCheck } from '../../src/drift/check.js';
import { glanceScenario } from '../../src/providers/glance/drift.js';
import type { Scenario } from '../../src/drift/scenario.js';
import { startMockServer } from '../../src/index.js';
import type { RunningServer } from '../../src/server.js';

// Glance's own settings, with one step that shows what the started mock holds.
const listAll: Scenario = {
  ...glanceScenario,
  steps: () => [{ name: 'list-all', method: 'GET', path: '/v2/images?limit=1000' }],
};

let real: RunningServer;
beforeAll(async () => {
  real = await startMockServer();
});
afterAll(() => real.close());

describe('the mock the drift check starts itself', () => {
  const run = (keepFixtures: boolean) =>
    driftCheck(listAll, {
      real: real.url,
      token: 'user-token',
      allowWrites: false,
      deliberate: [],
      keepFixtures,
    });

  it('starts empty for Glance, as a fresh Glance does', async () => {
    const report = await run(false);
    expect(report.steps[0]!.differences.map((d) => d.kind)).toContain('missing');
    expect(report.steps[0]!.differences.find((d) => d.kind === 'missing')!.path).toBe('$.images[0]');
  });

  it('keeps its fixtures with keepFixtures (--mock-fixtures)', async () => {
    const report = await run(true);
    expect(report.steps[0]!.differences).toEqual([]);
  });
});
