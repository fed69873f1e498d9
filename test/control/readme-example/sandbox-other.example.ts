// A second file running beside the first: it sees the fixtures only.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';

let sandbox: { id: string; baseUrl: string };
beforeAll(async () => {
  sandbox = (await (
    await fetch(`${inject('mockUrl')}/__admin/sandboxes`, { method: 'POST' })
  ).json()) as typeof sandbox;
});
afterAll(() => fetch(`${inject('mockUrl')}/__admin/sandboxes/${sandbox.id}`, { method: 'DELETE' }));

it('does not see the other file’s image, clock or fault', async () => {
  const url = `${sandbox.baseUrl}/api/v1/services/stackpath/test-area/images?imageType=custom`;
  const res = await fetch(url, { headers: { 'MC-Api-Key': 'mc-demo-key' } });
  expect(res.status).toBe(200);
  const { data } = (await res.json()) as { data: { family: string }[] };
  expect(data.map((i) => i.family)).not.toContain('my-app');
});
