/** Programmatic API: start the mock from a test suite. */
import { type Config, resolveConfig } from './config.js';
import { type RunningServer, startServer } from './server.js';

export { createApp } from './app.js';
export type { Config } from './config.js';
export type { RunningServer } from './server.js';
export { createContext } from './server.js';

/**
 * Starts a mock on a free port (by default in memory, quiet), for tests:
 * `const mock = await startMockServer(); ... await mock.close()`.
 */
export function startMockServer(options: Partial<Config> = {}): Promise<RunningServer> {
  const config = resolveConfig({}, {}, { port: 0, store: ':memory:', logLevel: 'silent', ...options });
  return startServer(config);
}
