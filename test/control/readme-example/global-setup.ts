// README "Use it from a test suite": one mock for the whole run.
// (The README imports from 'image-api-mocks'; this copy imports the sources.)
import type { TestProject } from 'vitest/node';
import { startMockServer } from '../../../src/index.js';

export default async function setup(project: TestProject) {
  const mock = await startMockServer();
  project.provide('mockUrl', mock.url);
  return () => mock.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrl: string;
  }
}
