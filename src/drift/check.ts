import { randomBytes } from 'node:crypto';
import { resolveConfig } from '../config.js';
import { providers } from '../providers/index.js';
import { startServer } from '../server.js';
import type { DeliberateRule } from './deliberate.js';
import { type DriftReport, runDrift } from './runner.js';
import type { Scenario } from './scenario.js';

export interface DriftOptions {
  real: string;
  token: string;
  /** A running mock; when absent one is started in memory with the scenario's collections emptied. */
  mock?: string;
  mockToken?: string;
  allowWrites: boolean;
  deliberate: readonly DeliberateRule[];
  runId?: string;
  params?: Record<string, string>;
  /** Keep the started mock's fixture records (by default the scenario's collections start empty). */
  keepFixtures?: boolean;
}

/** Runs one provider's scenario against the real service and a mock, starting the mock when needed. */
export async function driftCheck(scenario: Scenario, options: DriftOptions): Promise<DriftReport> {
  const runId = options.runId ?? randomBytes(4).toString('hex');
  const mockToken = options.mockToken ?? options.token;
  if (options.mock) {
    return runDrift(
      scenario,
      { base: options.real, token: options.token },
      { base: options.mock, token: mockToken },
      { ...options, runId },
    );
  }
  const running = await startServer(
    resolveConfig({}, {}, { port: 0, host: '127.0.0.1', store: ':memory:', logLevel: 'silent' }),
  );
  try {
    const provider = providers.find((p) => p.name === scenario.provider);
    if (provider && !options.keepFixtures) {
      await Promise.all(
        (scenario.emptyCollections ?? []).map((name) =>
          running.ctx.store.collection(provider.name, name).replaceAll([]),
        ),
      );
    }
    return await runDrift(
      scenario,
      { base: options.real, token: options.token },
      { base: running.url, token: mockToken },
      { ...options, runId },
    );
  } finally {
    await running.close();
  }
}
