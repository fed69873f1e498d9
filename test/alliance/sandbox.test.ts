import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../../src/index.js';

const SEED = { 'X-Target-Ns': 'ccsr1', 'X-Environment-Id': '54915a05b0bb43dcbb218525c426b6a5' };
const DEMO = { Authorization: 'Token 6507c5b574a4142649e869c02c4eed085353fa75' };

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ maxSandboxes: 2 });
});
afterAll(() => mock.close());

const names = async (base: string) =>
  (
    (await (await fetch(`${base}/images`, { headers: SEED })).json()) as { images: { name: string }[] }
  ).images.map((i) => i.name);

describe('Sharedcloud and Alliance inside a sandbox', () => {
  it('writes stay in the sandbox; both providers answer behind its base URL', async () => {
    const created = await fetch(`${mock.url}/__admin/sandboxes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"id":"providers-5"}',
    });
    expect(created.status).toBe(201);
    const { baseUrl } = (await created.json()) as { baseUrl: string };

    const post = await fetch(`${baseUrl}/images/`, {
      method: 'POST',
      headers: { ...SEED, 'Content-Type': 'application/json' },
      body: '{"image":{"name":"sandboxed"}}',
    });
    expect(post.status).toBe(201);
    expect(await names(baseUrl)).toContain('sandboxed');
    expect(await names(mock.url)).not.toContain('sandboxed');

    const login = await fetch(`${baseUrl}/api/v1/api-token-auth/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'username=demo&password=demo-password',
    });
    expect(await login.json()).toEqual({ token: DEMO.Authorization.slice(6) });
    const list = await fetch(`${baseUrl}/api/v1/images/`, { headers: DEMO });
    expect(list.status).toBe(200);
    const missing = await fetch(`${baseUrl}/api/v1/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe(
      '<h1>Not Found</h1><p>The requested resource was not found on this server.</p>',
    );
  });
});
