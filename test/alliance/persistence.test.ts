import { afterEach, describe, expect, it } from 'vitest';
import { type ServerProcess, startBuiltServer } from '../e2e/run-server.js';
import { tempDir } from '../helpers.js';

const running: ServerProcess[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop('SIGKILL')));
  for (const c of cleanups.splice(0)) c();
});
const start = async (dir: string) => {
  const s = await startBuiltServer({ MOCK_STORE: dir });
  running.push(s);
  return s;
};
const SEED = { 'X-Target-Ns': 'ccsr1', 'X-Environment-Id': '54915a05b0bb43dcbb218525c426b6a5' };

describe('the built server keeps Alliance writes across a restart', () => {
  it('create, update and delete survive a stop and a hard kill', async () => {
    const { dir, cleanup } = tempDir('iam-alliance-');
    cleanups.push(cleanup);
    const first = await start(dir);
    expect(first.output()).toContain(`${first.url}/images`);
    const write = (method: string, path: string, body?: unknown) =>
      fetch(`${first.url}${path}`, {
        method,
        headers: { ...SEED, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const created = await write('POST', '/images/', { image: { name: 'kept', disk_format: 'raw' } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await write('PATCH', `/images/${id}`, { min_disk: 42 })).status).toBe(200);
    expect((await fetch(`${first.url}/images/telstaimage`, { method: 'DELETE', headers: SEED })).status).toBe(
      200,
    );
    // acknowledged writes are on disk: even SIGKILL keeps them
    await first.stop('SIGKILL');

    const second = await start(dir);
    const one = await fetch(`${second.url}/images/kept`, { headers: SEED });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      id,
      min_disk: 42,
      disk_format: 'raw',
      owner: SEED['X-Environment-Id'],
    });
    expect((await fetch(`${second.url}/images/telstaimage`, { headers: SEED })).status).toBe(404);
  });
});
