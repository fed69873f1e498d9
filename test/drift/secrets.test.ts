import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftCheck } from '../../src/drift/check.js';
import { jsonReport, junitReport, tableReport } from '../../src/drift/report.js';
import type { Scenario } from '../../src/drift/scenario.js';
import { sharedcloudScenario } from '../../src/providers/sharedcloud/drift.js';
import { type FakeEndpoint, startFakeEndpoint } from './fake-endpoint.js';

// A successful login on both sides: each answers its own user's token.
const login: Scenario = {
  ...sharedcloudScenario,
  steps: () => [
    {
      name: 'login',
      method: 'POST',
      path: '/api/v1/api-token-auth/',
      credentials: 'missing',
      json: { username: 'demo', password: 'demo-password' },
    },
  ],
};
const REAL_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed';

let fake: FakeEndpoint;
beforeAll(async () => {
  fake = await startFakeEndpoint(
    {
      'missing POST /api/v1/api-token-auth/': {
        status: 200,
        headers: {
          'Content-Type': 'application/json',
          Allow: 'POST, OPTIONS',
          'Set-Cookie': `sessionid=${REAL_TOKEN}`,
        },
        body: JSON.stringify({ token: REAL_TOKEN }),
      },
    },
    () => 'missing',
  );
});
afterAll(() => fake.close());

describe('secrets in answers', () => {
  it('a token that differs is reported as differing, its values never shown', async () => {
    const report = await driftCheck(login, {
      real: fake.url,
      token: 'unused',
      allowWrites: false,
      deliberate: [],
    });
    expect(report.steps[0]!.differences).toEqual([
      { kind: 'value', path: '$.token', real: '***', mock: '***' },
    ]);
    // the mock's own fixture token for demo must not leak either
    for (const text of [tableReport(report), jsonReport(report), junitReport(report)]) {
      expect(text).not.toContain(REAL_TOKEN);
      expect(text).not.toContain('6507c5b574a4142649e869c02c4eed085353fa75');
    }
  });
});
