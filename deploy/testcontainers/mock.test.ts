// The mock in a throwaway container, started by Testcontainers for Node
// (npm install --save-dev testcontainers vitest). Needs a Docker engine and the
// image: docker build -t image-api-mocks . (or set IMAGE_API_MOCKS_IMAGE).
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

let container: StartedTestContainer;
let baseUrl: string;

beforeAll(async () => {
  container = await new GenericContainer(process.env.IMAGE_API_MOCKS_IMAGE ?? 'image-api-mocks')
    .withExposedPorts(8080)
    .withEnvironment({ MOCK_STORE: ':memory:', LOG_LEVEL: 'warn' })
    .withWaitStrategy(Wait.forHttp('/__admin/health', 8080).forStatusCode(200))
    .start();
  baseUrl = `http://${container.getHost()}:${container.getMappedPort(8080)}`;
}, 120_000);

afterAll(async () => {
  await container?.stop();
});

beforeEach(async () => {
  await fetch(`${baseUrl}/__admin/reset`, { method: 'POST' });
});

it('lists the seeded StackPath images', async () => {
  const res = await fetch(`${baseUrl}/api/v1/services/stackpath/test-area/images`, {
    headers: { 'MC-Api-Key': 'mc-demo-key' },
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { metadata: { recordCount: number } };
  expect(body.metadata.recordCount).toBeGreaterThan(0);
});
