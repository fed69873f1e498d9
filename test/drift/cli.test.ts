import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer } from '../../src/index.js';
import type { RunningServer } from '../../src/server.js';
import { runCli } from '../e2e/run-server.js';
import { tempDir } from '../helpers.js';
import { type FakeEndpoint, startFakeEndpoint } from './fake-endpoint.js';

let a: RunningServer;
let b: RunningServer;
let echo: FakeEndpoint;
const temp = tempDir('iam-drift-cli-');
const SECRET = 'real-secret-token-7f3a';
const notJson = path.join(temp.dir, 'not-json.json');
writeFileSync(notJson, '{bad');
const wrongShape = path.join(temp.dir, 'wrong-shape.json');
writeFileSync(wrongShape, '{"differences": 5}');
const deliberate = (file: string) => [
  ...['drift', '--provider', 'cloudmc', '--real', 'http://127.0.0.1:1', '--token', 't'],
  ...['--deliberate', file],
];

beforeAll(async () => {
  [a, b] = await Promise.all([startMockServer(), startMockServer()]);
  // a "real service" that refuses every request, echoing the credential it was sent
  echo = await startFakeEndpoint(
    {},
    () => 'valid',
    (req) => ({
      status: 401,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        errors: [
          { code: 1002, message: `Invalid API key ${String(req.headers['mc-api-key'])}.`, context: {} },
        ],
      }),
    }),
  );
});
afterAll(async () => {
  await Promise.all([a.close(), b.close(), echo.close()]);
  temp.cleanup();
});

describe('image-api-mocks drift (the built CLI)', () => {
  it('exits 0 with no drift between two mocks, writing JSON and JUnit', async () => {
    const json = path.join(temp.dir, 'a.json');
    const junit = path.join(temp.dir, 'a.xml');
    const { code, output } = await runCli([
      'drift',
      '--provider',
      'cloudmc',
      '--real',
      a.url,
      '--mock',
      b.url,
      '--token',
      'mc-demo-key',
      '--json',
      json,
      '--junit',
      junit,
    ]);
    expect(output).toContain('no drift: 9 steps');
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { summary: { drifted: number; steps: number } };
    expect(report.summary).toMatchObject({ drifted: 0, steps: 9 });
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite name="drift.cloudmc" tests="9" failures="0" skipped="0">');
    expect(xml).not.toContain('<failure');
  });

  it('exits 1 on drift, and no credential reaches the table, the JSON or the JUnit report', async () => {
    const json = path.join(temp.dir, 'b.json');
    const junit = path.join(temp.dir, 'b.xml');
    const { code, output } = await runCli([
      'drift',
      '--provider',
      'cloudmc',
      '--real',
      echo.url,
      '--token',
      SECRET,
      '--mock-token',
      'mc-demo-key',
      '--json',
      json,
      '--junit',
      junit,
    ]);
    expect(code).toBe(1);
    expect(output).toMatch(/DRIFT in 9 of 9 steps/);
    // the fake saw the secret and echoed it back in its answers
    expect(echo.seen.some((r) => r.headers['mc-api-key'] === SECRET)).toBe(true);
    for (const text of [output, readFileSync(json, 'utf8'), readFileSync(junit, 'utf8')]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('mc-demo-key');
    }
    expect(readFileSync(junit, 'utf8')).toContain('<failure message="');
  });

  it.each([
    [
      ['drift', '--provider', 'nope', '--real', 'http://127.0.0.1:1', '--token', 't'],
      /--provider must be one of cloudmc, sharedcloud, alliance, glance/,
    ],
    [['drift', '--provider', 'cloudmc', '--token', 't'], /drift needs --real URL/],
    [
      ['drift', '--provider', 'cloudmc', '--real', 'ftp://x', '--token', 't'],
      /--real must be an http\(s\) URL/,
    ],
    [
      ['drift', '--provider', 'cloudmc', '--real', 'http://127.0.0.1:1', '--token', 'secret-t0ken'],
      /cannot reach 127\.0\.0\.1:1/,
    ],
    [
      ['drift', '--provider', 'cloudmc', '--real', 'http://127.0.0.1:1', '--token', 't', '--param', 'nope=1'],
      /has no parameter 'nope'/,
    ],
    [['drift', '--no-such-flag'], /unknown option/],
    [deliberate(notJson), new RegExp(`--deliberate ${notJson}: Expected property name`)],
    [deliberate(wrongShape), new RegExp(`--deliberate ${wrongShape} must hold \\{"differences": \\[`)],
    [['record', '--provider', 'glance'], /record needs --target/],
    [['record', 'import', '/nonexistent/rec.jsonl'], /cannot read \/nonexistent\/rec\.jsonl/],
  ])('exits 2 on a usage or connection error: %j', async (args, message) => {
    const { code, output } = await runCli(args);
    expect(code).toBe(2);
    expect(output).toMatch(message);
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).not.toContain('secret-t0ken');
  });

  it('each command has --help', async () => {
    for (const cmd of [['serve'], ['record'], ['record', 'import'], ['drift']]) {
      const { code, output } = await runCli([...cmd, '--help']);
      expect(code).toBe(0);
      expect(output).toContain(`Usage: image-api-mocks ${cmd.join(' ')}`);
    }
  });
});
