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

describe('the built server keeps Sharedcloud state across a restart', () => {
  it('an added user logs in and an added image is listed after a restart; the banner names the login', async () => {
    const { dir, cleanup } = tempDir('iam-sharedcloud-');
    cleanups.push(cleanup);
    const first = await start(dir);
    expect(first.output()).toContain(`${first.url}/api/v1/images/`);
    expect(first.output()).toContain('demo/demo-password');
    const post = (collection: string, body: unknown) =>
      fetch(`${first.url}/__admin/store/sharedcloud/${collection}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('users', { username: 'carol', password: 'carol-pw' })).status).toBe(201);
    const added = await post('images', { name: 'persisted', runtime: 'ruby25', description: 'kept' });
    expect(added.status).toBe(201);
    const uuid = ((await added.json()) as { records: { uuid: string }[] }).records[0]!.uuid;
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await start(dir);
    const login = await fetch(`${second.url}/api/v1/api-token-auth/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'username=carol&password=carol-pw',
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const one = await fetch(`${second.url}/api/v1/images/${uuid}/`, {
      headers: { Authorization: `Token ${token}` },
    });
    expect(one.status).toBe(200);
    expect(((await one.json()) as { registry_path: string }).registry_path).toBe(
      'sharedcloud/persisted-ruby25:latest',
    );
  });
});
