import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../../src/index.js';

const KEY = 'mc-demo-key';
const LIST = '/api/v1/services/stackpath/test-area/images';

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ maxSandboxes: 3 });
});
afterAll(() => mock.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
type Body = any;
const json = async (
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Body; headers: Headers }> => {
  const res = await fetch(url, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) },
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json(), headers: res.headers };
};
const createSandbox = (body: object = {}) =>
  json(`${mock.url}/__admin/sandboxes`, { method: 'POST', body: JSON.stringify(body) });
const images = async (base: string) =>
  (await json(`${base}${LIST}?imageType=custom`, { headers: { 'MC-Api-Key': KEY } })).body.data.map(
    (i: { family: string }) => i.family,
  );

describe('sandboxes over HTTP', () => {
  it('isolate, arrange, freeze time, inject a fault, run, assert on the journal; delete', async () => {
    // isolate
    const created = await createSandbox({ id: 'worker-1' });
    expect(created.status).toBe(201);
    const { baseUrl, adminUrl } = created.body;
    expect(baseUrl).toBe(`${mock.url}/__sandbox/worker-1`);
    expect(adminUrl).toBe(`${baseUrl}/__admin`);

    // arrange (in the sandbox only)
    const arranged = await json(`${adminUrl}/store/cloudmc/images`, {
      method: 'POST',
      body: JSON.stringify({
        serviceCode: 'stackpath',
        environment: 'test-area',
        family: 'sandboxed',
        tag: 'v1',
      }),
    });
    expect(arranged.status).toBe(201);
    expect(await images(baseUrl)).toContain('sandboxed');
    expect(await images(mock.url)).not.toContain('sandboxed');

    // freeze time (in the sandbox only)
    await json(`${adminUrl}/clock/freeze`, {
      method: 'POST',
      body: JSON.stringify({ at: '2031-05-06T07:08:09Z' }),
    });
    const stamped = await json(`${adminUrl}/store/cloudmc/images`, {
      method: 'POST',
      body: JSON.stringify({
        serviceCode: 'stackpath',
        environment: 'test-area',
        family: 'stamped',
        tag: 'v1',
      }),
    });
    expect(stamped.body.records[0].createdAt).toBe('2031-05-06T07:08:09.000000Z');
    expect((await json(`${mock.url}/__admin/clock`)).body.frozen).toBe(false);

    // inject a fault (in the sandbox only)
    await json(`${adminUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/api/v1/services/*/*/images', status: 503, times: 1 }),
    });
    expect((await fetch(`${baseUrl}${LIST}`, { headers: { 'MC-Api-Key': KEY } })).status).toBe(503);
    expect((await fetch(`${mock.url}${LIST}`, { headers: { 'MC-Api-Key': KEY } })).status).toBe(200);
    expect((await fetch(`${baseUrl}${LIST}`, { headers: { 'MC-Api-Key': KEY } })).status).toBe(200);

    // assert on the sandbox's own journal: paths as the client's provider paths
    const count = await json(`${adminUrl}/journal/count?path=${encodeURIComponent(LIST)}&status=503`);
    expect(count.body).toEqual({ count: 1 });
    const entries = (await json(`${adminUrl}/journal`)).body.entries;
    expect(entries.every((e: { sandbox: string }) => e.sandbox === 'worker-1')).toBe(true);

    // delete
    expect((await fetch(`${mock.url}/__admin/sandboxes/worker-1`, { method: 'DELETE' })).status).toBe(204);
    const gone = await fetch(`${baseUrl}${LIST}`, { headers: { 'MC-Api-Key': KEY } });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ error: "no sandbox 'worker-1'" });
  });

  it('resetting one sandbox leaves the others and the main instance alone', async () => {
    const a = (await createSandbox()).body;
    const b = (await createSandbox()).body;
    expect(a.id).not.toBe(b.id);
    for (const base of [a.adminUrl, b.adminUrl, `${mock.url}/__admin`]) {
      await json(`${base}/store/cloudmc/images`, {
        method: 'POST',
        body: JSON.stringify({
          serviceCode: 'stackpath',
          environment: 'test-area',
          family: 'kept',
          tag: 'v1',
        }),
      });
    }
    await json(`${a.adminUrl}/reset`, { method: 'POST', body: '{}' });
    expect(await images(a.baseUrl)).not.toContain('kept');
    expect(await images(b.baseUrl)).toContain('kept');
    expect(await images(mock.url)).toContain('kept');
    await mock.reset();
    await fetch(`${mock.url}/__admin/sandboxes/${a.id}`, { method: 'DELETE' });
    await fetch(`${mock.url}/__admin/sandboxes/${b.id}`, { method: 'DELETE' });
  });

  it('seeds a sandbox with its own faker seed', async () => {
    const s = (await createSandbox({ seed: 9 })).body;
    expect(s.seed).toBe(9);
    const seeded = await json(`${s.adminUrl}/store/cloudmc/images`);
    const main = await json(`${mock.url}/__admin/store/cloudmc/images`);
    expect(seeded.body.records).not.toEqual(main.body.records);
    await fetch(`${mock.url}/__admin/sandboxes/${s.id}`, { method: 'DELETE' });
  });

  it('is bounded, lists, and refuses bad or duplicate ids', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await createSandbox()).body.id);
    const full = await createSandbox();
    expect(full.status).toBe(409);
    expect(full.body.error).toContain('sandbox limit reached (3');
    const listed = (await json(`${mock.url}/__admin/sandboxes`)).body.sandboxes.map(
      (s: { id: string }) => s.id,
    );
    expect(listed).toEqual(made);
    for (const id of made) await fetch(`${mock.url}/__admin/sandboxes/${id}`, { method: 'DELETE' });

    expect((await createSandbox({ id: '../x' })).status).toBe(400);
    expect((await createSandbox({ seed: -2 })).status).toBe(400);
    expect((await createSandbox({ colour: 'red' })).body.error).toContain("unknown field 'colour'");
    await createSandbox({ id: 'twice' });
    expect((await createSandbox({ id: 'twice' })).status).toBe(409);
    expect((await fetch(`${mock.url}/__admin/sandboxes/nope`, { method: 'DELETE' })).status).toBe(404);
    const inside = await createSandbox({ id: 'nested' });
    const nested = await json(`${inside.body.adminUrl}/sandboxes`, { method: 'POST', body: '{}' });
    expect(nested.status).toBe(404);
    expect(nested.body.error).toContain('main instance');
    await fetch(`${mock.url}/__admin/sandboxes/twice`, { method: 'DELETE' });
    await fetch(`${mock.url}/__admin/sandboxes/nested`, { method: 'DELETE' });
  });
});

describe('faults that need a real connection', () => {
  it('drops the connection without an answer, and the journal says so', async () => {
    const rule = mock.faults.add({ drop: true, times: 1 });
    await expect(fetch(`${mock.url}${LIST}`, { headers: { 'MC-Api-Key': KEY } })).rejects.toThrow();
    expect(mock.faults.list()[0]).toMatchObject({ id: rule.id, hits: 1, active: false });
    const [entry] = mock.journal.list({ since: 0, limit: 1 });
    expect(entry).toMatchObject({ status: null, fault: `${rule.id}: drop` });
    mock.faults.clear();
  });

  it('throttles the body: the same bytes arrive, in several slices', async () => {
    const plain = await (await fetch(`${mock.url}${LIST}`, { headers: { 'MC-Api-Key': KEY } })).text();
    const bytesPerSecond = Math.ceil(Buffer.byteLength(plain) / 3) * 10; // about 3 slices of 100 ms
    mock.faults.add({ throttle: bytesPerSecond, times: 1 });
    const res = await fetch(`${mock.url}${LIST}`, { headers: { 'MC-Api-Key': KEY } });
    const reader = res.body!.getReader();
    let slices = 0;
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      slices += 1;
      text += Buffer.from(value).toString();
    }
    expect(text).toBe(plain);
    expect(slices).toBeGreaterThan(1);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(plain)));
    mock.faults.clear();
  });

  it('delays by the rule latency (at least)', async () => {
    mock.faults.add({ latency: 150, times: 1 });
    await fetch(`${mock.url}${LIST}`, { headers: { 'MC-Api-Key': KEY } });
    const [entry] = mock.journal.list({ limit: 1 });
    expect(entry!.fault).toBe('fault-3: latency=150');
    expect(entry!.durationMs).toBeGreaterThanOrEqual(149);
  });
});
