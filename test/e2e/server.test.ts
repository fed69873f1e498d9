import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { settings } from '../../src/config.js';
import { codeBlockAfter, tempDir } from '../helpers.js';
import { runCli, type ServerProcess, startBuiltServer } from './run-server.js';

const running: ServerProcess[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop('SIGKILL')));
  for (const c of cleanups.splice(0)) c();
});
const start = async (env: Record<string, string>) => {
  const s = await startBuiltServer(env);
  running.push(s);
  return s;
};
const temp = () => {
  const t = tempDir('iam-e2e-');
  cleanups.push(t.cleanup);
  return t.dir;
};
const key = { 'MC-Api-Key': 'mc-demo-key' };

describe('the built server', () => {
  it('serves the seed example and the banner names URLs, credentials and the store', async () => {
    const dir = temp();
    const server = await start({ MOCK_STORE: dir });
    const res = await fetch(`${server.url}/api/v1/services/stackpath/test-area/images`, { headers: key });
    expect(res.status).toBe(200);
    const seed = readFileSync(path.join(import.meta.dirname, '../seeds/stackpath.txt'), 'utf8');
    expect(await res.text()).toBe(codeBlockAfter(seed, '### List images', 1));
    expect(res.headers.get('x-powered-by')).toBeNull();
    const out = server.output();
    expect(out).toContain(`${server.url}/api/v1/services/stackpath/`);
    expect(out).toContain('mc-demo-key');
    expect(out).toContain(path.join(dir, 'cloudmc.json'));
  });

  it('closes cleanly on SIGTERM and SIGINT, keeping every acknowledged write', async () => {
    const dir = temp();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const server = await start({ MOCK_STORE: dir });
      const family = `kept-${signal.toLowerCase()}`;
      const ins = await fetch(`${server.url}/__admin/store/cloudmc/images`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ serviceCode: 'cox', environment: 'test-area', family, tag: 'v1' }),
      });
      expect(ins.status).toBe(201);
      expect(await server.stop(signal)).toBe(0);
      const again = await start({ MOCK_STORE: dir });
      const list = await fetch(`${again.url}/api/v1/services/cox/test-area/images`, { headers: key });
      expect(((await list.json()) as { data: { family: string }[] }).data.map((i) => i.family)).toContain(
        family,
      );
      await again.stop();
    }
  });

  it('keeps an acknowledged write after kill -9', async () => {
    const dir = temp();
    const server = await start({ MOCK_STORE: dir });
    const del = await fetch(
      `${server.url}/__admin/store/cloudmc/images/cox/a8050b2b-39eb-4929-bce5-1af42055903e/centos7/v20201110`,
      { method: 'DELETE' },
    );
    expect(del.status).toBe(204);
    await server.stop('SIGKILL');
    const again = await start({ MOCK_STORE: dir });
    const list = await fetch(`${again.url}/api/v1/services/cox/test-area/images`, { headers: key });
    expect(((await list.json()) as { data: { family: string }[] }).data.map((i) => i.family)).toEqual([
      'ubuntu',
    ]);
  });

  // Off a terminal the log is written asynchronously (src/log.ts): a quiet server still shows its
  // last request soon, and a stopping one writes out every line it still holds.
  it('writes each request line to a pipe soon after it, and all of them on SIGTERM', async () => {
    const server = await start({ MOCK_STORE: ':memory:', LOG_LEVEL: 'info' });
    const list = `${server.url}/api/v1/services/cox/test-area/images`;
    // the request lines of the list (the start-up's health probes are logged too)
    const urls = () =>
      server
        .output()
        .split('\n')
        .filter((l) => l.includes('"request completed"'))
        .map((l) => (JSON.parse(l) as { req: { url: string } }).req.url)
        .filter((url) => url.includes('/images'));
    await fetch(`${list}?limit=1`, { headers: key });
    const deadline = Date.now() + 1_000;
    while (urls().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(urls()).toEqual(['/api/v1/services/cox/test-area/images?limit=1']);
    for (let n = 2; n <= 50; n++) await fetch(`${list}?limit=${n}`, { headers: key });
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(urls()).toEqual(
      Array.from({ length: 50 }, (_, i) => `/api/v1/services/cox/test-area/images?limit=${i + 1}`),
    );
  });

  it('runs in memory without touching the disk', async () => {
    const server = await start({ MOCK_STORE: ':memory:' });
    const health = (await (await fetch(`${server.url}/__admin/health`)).json()) as { store: string };
    expect(health.store).toBe('memory');
    expect(server.output()).toContain('in memory');
  });
});

describe('the command line', () => {
  it('--help lists every flag and its environment variable', async () => {
    const { code, output } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const s of settings) {
      expect(output).toContain(s.flag.split(' ')[0]);
      expect(output).toContain(s.env);
    }
  });

  it('a flag wins over its environment variable', async () => {
    const { code, output } = await runCli(['--auth', 'bogus'], { MOCK_AUTH: 'any' });
    expect(code).toBe(2);
    expect(output).toMatch(
      /option '--auth <mode>' argument 'bogus' is invalid\. Allowed choices are strict, any/,
    );
  });

  it('stops on a corrupt store file, naming it, and leaves it as it was', async () => {
    const dir = temp();
    const file = path.join(dir, 'cloudmc.json');
    writeFileSync(file, 'not json at all');
    const { code, output } = await runCli([], { MOCK_STORE: dir });
    expect(code).toBe(2);
    expect(output).toContain(`Cannot load the store file ${file}`);
    expect(output).toMatch(/MOCK_STORE=:memory:/);
    expect(readFileSync(file, 'utf8')).toBe('not json at all');
  });

  it('says so when the port is taken', async () => {
    const first = await start({ MOCK_STORE: ':memory:' });
    const port = new URL(first.url).port;
    const { code, output } = await runCli([], { PORT: port, MOCK_STORE: ':memory:' });
    expect(code).toBe(2);
    expect(output).toMatch(
      new RegExp(
        `cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use \\(PORT=${port} from the environment\\); pass --port 0`,
      ),
    );
    expect(output).not.toMatch(/\n\s+at /);
  });
});
