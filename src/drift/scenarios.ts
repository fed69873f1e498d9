import { providers } from '../providers/index.js';
import type { Scenario } from './scenario.js';

/** Each provider's built-in scenario, by provider name (each lives in its provider's folder, `drift.ts`). */
export const scenarios: Record<string, Scenario> = Object.fromEntries(
  await Promise.all(providers.map(async (p) => [p.name, await p.driftScenario()] as const)),
);
