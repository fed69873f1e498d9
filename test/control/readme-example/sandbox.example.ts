// README "Use it from a test suite": each test file works in its own sandbox,
// so parallel workers never see each other's writes, clock or faults.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';

let sandbox: { id: string; baseUrl: string; adminUrl: string };
beforeAll(async () => {
  const res = await fetch(`${inject('mockUrl')}/__admin/sandboxes`, { method: 'POST' });
  sandbox = (await res.json()) as typeof sandbox;
});
afterAll(() => fetch(`${inject('mockUrl')}/__admin/sandboxes/${sandbox.id}`, { method: 'DELETE' }));

const admin = (path: string, body: unknown) =>
  fetch(`${sandbox.adminUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

it('isolates, arranges, freezes time, injects a fault, runs, and asserts on the journal', async () => {
  await admin('/clock/freeze', { at: '2030-01-02T03:04:05Z' });
  await admin('/store/cloudmc/images', {
    serviceCode: 'stackpath',
    environment: 'test-area',
    family: 'my-app',
    tag: 'v1',
  });
  await admin('/faults', { provider: 'cloudmc', status: 503, times: 1 });

  // the client under test only knows its base URL
  const url = `${sandbox.baseUrl}/api/v1/services/stackpath/test-area/images?imageType=custom`;
  const headers = { 'MC-Api-Key': 'mc-demo-key' };
  expect((await fetch(url, { headers })).status).toBe(503);
  const { data } = (await (await fetch(url, { headers })).json()) as { data: object[] };
  expect(data[0]).toMatchObject({ family: 'my-app', createdAt: '2030-01-02T03:04:05.000000Z' });

  const count = await (await fetch(`${sandbox.adminUrl}/journal/count?provider=cloudmc&status=503`)).json();
  expect(count).toEqual({ count: 1 });
});
