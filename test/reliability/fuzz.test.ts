import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthMode } from '../../src/config.js';
import type { RunningServer } from '../../src/server.js';
import { METHODS, pathNear, requestFor } from './kit/arbitraries.js';
import { answerProblem, describeRequest, healthProblems, pollution } from './kit/invariants.js';
import { registered, routesOf, unprofiled } from './kit/profiles.js';
import { send, startTestServer } from './kit/raw-http.js';

/**
 * Property-based fuzzing of every route of every registered provider. The
 * short run is part of `npm test`; `npm run test:stress` sets FUZZ_RUNS.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
// A fixed seed keeps `npm test` reproducible; the stress run explores with FUZZ_SEED=random.
const SEED_SETTING = process.env.FUZZ_SEED ?? '20261123';
const SEED = SEED_SETTING === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(SEED_SETTING);
const counts: string[] = [];

const modes: AuthMode[] = ['strict', 'any'];

describe.each(modes)('fuzz, auth mode %s', (auth) => {
  let server: RunningServer;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  beforeAll(async () => {
    server = await startTestServer({ auth, validate: 'fail' });
  });
  afterAll(async () => {
    agent.destroy();
    await server.close();
  });

  it('knows every registered provider', () => {
    expect(unprofiled, 'providers without a reliability profile in test/reliability/kit/profiles.ts').toEqual(
      [],
    );
  });

  it.each(registered.map((p) => [p.name, p] as const))(
    '%s: no 5xx, no internals, errors in its own format',
    async (name, profile) => {
      const valid = profile.good ? [profile.good.headers] : [];
      if (auth === 'any')
        valid.push(Object.fromEntries(profile.credentialHeaders.map((h) => [h, 'fuzz-anyone'])));
      const routes = await routesOf(profile, server.url);
      let cases = 0;
      const classes = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(requestFor({ ...profile, routes }, valid), async (req) => {
          cases++;
          const res = await send(server.url, req, agent);
          const kind = `${String(res.status)[0]}xx`;
          classes.set(kind, (classes.get(kind) ?? 0) + 1);
          const problem = answerProblem(req, res, server.ctx.validator);
          if (problem) throw new Error(`${problem}\n  request: ${describeRequest(req)}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      const spread = [...classes.entries()].sort().map(([k, n]) => `${k} ${n}`);
      counts.push(`${name}/${auth}: ${cases} [${spread.join(' ')}]`);
      expect(cases).toBe(RUNS);
    },
    120_000 + RUNS * 50,
  );

  it(
    'answers any path from the root in the format of whoever owns it',
    async () => {
      const roots = ['/', '/__admin/health', '/api', '/api/v1', '/v2', '/images', '/versions', '/nowhere'];
      let cases = 0;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...METHODS), pathNear(roots), async (method, path) => {
          cases++;
          const req = { method, path };
          const res = await send(server.url, req, agent);
          const problem = answerProblem(req, res, server.ctx.validator);
          if (problem) throw new Error(`${problem}\n  request: ${describeRequest(req)}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      counts.push(`any path/${auth}: ${cases}`);
    },
    120_000 + RUNS * 50,
  );

  it('is healthy afterwards, with no polluted prototype', async () => {
    expect(await healthProblems(server.url)).toEqual([]);
    expect(pollution()).toEqual([]);
    const admin = await send(server.url, { method: 'GET', path: '/__admin/providers' });
    expect(admin.status).toBe(200);
  });
});

afterAll(() => {
  const total = counts.reduce((n, line) => n + parseInt(line.split(': ')[1]!, 10), 0);
  console.log(`fuzz: ${total} cases run, seed ${SEED} (${counts.join(', ')})`);
});
