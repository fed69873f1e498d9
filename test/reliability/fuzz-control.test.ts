import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathPattern } from '../../src/control/pattern.js';
import type { RunningServer } from '../../src/server.js';
import { METHODS, pathNear } from './kit/arbitraries.js';
import { answerProblem, describeRequest, healthProblems, pollution } from './kit/invariants.js';
import { isRegistered, registered, routesOf } from './kit/profiles.js';
import { rawExchange, send, startTestServer } from './kit/raw-http.js';

/**
 * Property-based fuzzing of the control plane and of what the providers'
 * routes share: admin routes with bodies of any type, journal path filters
 * with many wildcards (against a plain reference matcher), bodies announced
 * far over the cap, and Sharedcloud form and multipart logins (whose
 * password never reaches the journal). The short run is part of `npm test`;
 * `npm run test:stress` sets FUZZ_RUNS.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED_SETTING = process.env.FUZZ_SEED ?? '20261204';
const SEED = SEED_SETTING === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(SEED_SETTING);
const settings = { numRuns: RUNS, seed: SEED, endOnFailure: true };
const TIME = 120_000 + RUNS * 100;

let server: RunningServer;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
beforeAll(async () => {
  server = await startTestServer({ auth: 'any', validate: 'fail' });
});
afterAll(async () => {
  agent.destroy();
  await server.close();
});

const check = async (req: Parameters<typeof send>[1]) => {
  const res = await send(server.url, req, agent);
  const problem = answerProblem(req, res, server.ctx.validator);
  if (problem) throw new Error(`${problem}\n  request: ${describeRequest(req)}`);
  return res;
};

const ADMIN_PATHS = [
  '/__admin/health',
  '/__admin/ready',
  '/__admin/reset',
  '/__admin/providers',
  '/__admin/journal',
  '/__admin/journal/count',
  '/__admin/journal/settings',
  '/__admin/faults',
  '/__admin/faults/fault-1',
  '/__admin/clock',
  '/__admin/clock/freeze',
  '/__admin/clock/advance',
  '/__admin/sandboxes',
  '/__admin/sandboxes/fuzz',
  '/__admin/snapshots',
  '/__admin/snapshots/fuzz',
  '/__admin/snapshots/fuzz/restore',
  '/__admin/store/cloudmc/images',
  '/__admin/openapi/glance.json',
];

/** Admin bodies: JSON of any shape with the fields the routes know among others, sent under any media type. */
const adminBody = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc
    .record(
      {
        seed: fc.oneof(fc.integer(), fc.string()),
        id: fc.string({ maxLength: 20 }),
        at: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
        ),
        status: fc.integer({ min: 300, max: 700 }),
        path: fc.string({ maxLength: 40 }),
        ms: fc.integer(),
        all: fc.boolean(),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  fc.string({ maxLength: 100 }),
);
const adminType = fc.constantFrom(
  'application/json',
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  undefined,
);

describe('admin routes', () => {
  it(
    'no 5xx, no internals, errors as {"error": ...}, whatever method, path, body or media type',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...METHODS),
          pathNear(ADMIN_PATHS),
          fc.option(adminBody),
          adminType,
          async (method, path, body, type) => {
            // store writes are validated by their own suite; here the admin plumbing is what is fuzzed
            if (path.startsWith('/__admin/store') && !['GET', 'HEAD'].includes(method)) return;
            const headers: Record<string, string> = type ? { 'Content-Type': type } : {};
            await check({ method, path, headers, ...(body === null ? {} : { body }) });
          },
        ),
        settings,
      );
    },
    TIME,
  );
});

/**
 * The reference: a plain dynamic programme over (pattern position, path
 * position), obviously right and quadratic, for short inputs only.
 */
function referenceMatch(pattern: string, path: string): boolean {
  const tokens: string[] = [];
  for (let i = 0; i < pattern.length;) {
    if (pattern[i] !== '*') tokens.push(pattern[i++]!);
    else {
      let n = 0;
      while (pattern[i] === '*') {
        n++;
        i++;
      }
      tokens.push(n >= 2 ? '**' : '*');
    }
  }
  const memo = new Map<number, boolean>();
  const at = (t: number, p: number): boolean => {
    const key = t * (path.length + 1) + p;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (t === tokens.length) result = p === path.length;
    else if (tokens[t] === '**') result = at(t + 1, p) || (p < path.length && at(t, p + 1));
    else if (tokens[t] === '*') result = at(t + 1, p) || (p < path.length && path[p] !== '/' && at(t, p + 1));
    else result = p < path.length && path[p] === tokens[t] && at(t + 1, p + 1);
    memo.set(key, result);
    return result;
  };
  return at(0, 0);
}

const patternSegment = fc.oneof(
  { weight: 4, arbitrary: fc.constant('**') },
  { weight: 2, arbitrary: fc.constant('*') },
  { weight: 2, arbitrary: fc.constantFrom('v2', 'images', 'a', 'z', 'a*', '*a', '***') },
);
const pattern = fc.array(patternSegment, { minLength: 1, maxLength: 60 }).map((s) => `/${s.join('/')}`);
const journalPath = fc
  .array(fc.constantFrom('v2', 'images', 'a', 'z', 'aa', ''), { minLength: 1, maxLength: 40 })
  .map((s) => `/${s.join('/')}`);

describe('journal path filters', () => {
  it('match as the reference does, in-process', () => {
    fc.assert(
      fc.property(pattern, journalPath, (p, path) => pathPattern(p)(path) === referenceMatch(p, path)),
      { ...settings, numRuns: RUNS * 10 },
    );
  });

  it(
    'answer over HTTP with 200 or a 400, with a long path in the journal',
    async () => {
      await send(server.url, { method: 'GET', path: `/v2/${'a/'.repeat(200)}b` }, agent);
      await fc.assert(
        fc.asyncProperty(fc.oneof(pattern, pathNear(['/**/**/**/z'])), async (p) => {
          for (const route of ['/__admin/journal', '/__admin/journal/count']) {
            const res = await check({ method: 'GET', path: `${route}?path=${encodeURIComponent(p)}` });
            expect([200, 400]).toContain(res.status);
          }
        }),
        settings,
      );
    },
    TIME,
  );
});

describe('bodies announced far over the cap', () => {
  it(
    'every provider route answers without waiting for the body, never with a 5xx',
    async () => {
      const routes = (
        await Promise.all(
          registered.map(async (profile) =>
            (await routesOf(profile, server.url)).map((r) => ({ profile, route: r })),
          ),
        )
      ).flat();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...routes),
          fc.constantFrom('POST', 'PUT', 'PATCH'),
          // over every cap, Glance's image data one (1 GiB) included
          fc.integer({ min: 2 ** 30 + 1, max: 2 ** 40 }),
          async ({ profile, route }, method, length) => {
            const headers = {
              ...profile.baseHeaders,
              'Content-Type': route.contentType ?? 'application/json',
            };
            for (const name of profile.credentialHeaders) Object.assign(headers, { [name]: 'fuzz-anyone' });
            const head =
              `${method} ${route.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
              Object.entries(headers)
                .map(([k, v]) => `${k}: ${v}\r\n`)
                .join('') +
              `Content-Length: ${length}\r\nConnection: close\r\n\r\n`;
            const { text } = await rawExchange(server.port, [head], 5_000);
            const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1]);
            // routes that take no body answer as usual; those that do refuse it; none waits for it
            if (!(status >= 200 && status < 500))
              throw new Error(
                `${method} ${route.path} announcing ${length} bytes: ${text.slice(0, 200) || 'no answer'}`,
              );
          },
        ),
        { ...settings, numRuns: Math.max(10, Math.round(RUNS / 2)) },
      );
    },
    TIME,
  );
});

describe.runIf(isRegistered('sharedcloud'))('Sharedcloud form and multipart logins', () => {
  const secret = fc
    .string({ unit: fc.constantFrom(...'abcXYZ019 %&=+;"\\\r\n-é'), minLength: 6, maxLength: 24 })
    .map((s) => `Pw9${s}`);
  it(
    'answer 200 or DRF’s 400, and the password never reaches the journal',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('form', 'multipart', 'json'),
          fc.oneof(fc.constant('demo'), fc.string({ maxLength: 12 })),
          secret,
          async (format, username, password) => {
            let body: string;
            let type: string;
            if (format === 'form') {
              body = new URLSearchParams({ username, password }).toString();
              type = 'application/x-www-form-urlencoded';
            } else if (format === 'multipart') {
              const part = (name: string, value: string) =>
                `--b0und\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
              body = `${part('username', username)}${part('password', password)}--b0und--\r\n`;
              type = 'multipart/form-data; boundary=b0und';
            } else {
              body = JSON.stringify({ username, password });
              type = 'application/json';
            }
            const res = await check({
              method: 'POST',
              path: '/api/v1/api-token-auth/',
              headers: { 'Content-Type': type },
              body,
            });
            expect([200, 400]).toContain(res.status);
            const journal = await send(
              server.url,
              { method: 'GET', path: '/__admin/journal?limit=5' },
              agent,
            );
            // the value itself, and as each body format would carry it
            const forms = [
              password,
              JSON.stringify(password).slice(1, -1),
              encodeURIComponent(password),
              new URLSearchParams({ p: password }).toString().slice(2),
            ];
            for (const form of forms.filter((f) => f.includes('Pw9')))
              if (journal.text.includes(form))
                throw new Error(`the journal shows the ${format} password ${form}`);
          },
        ),
        settings,
      );
    },
    TIME,
  );
});

describe('afterwards', () => {
  it('the server is healthy, with no polluted prototype', async () => {
    expect(await healthProblems(server.url)).toEqual([]);
    expect(pollution()).toEqual([]);
  });
});
