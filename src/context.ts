import type { RequestHandler } from 'express';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Controls } from './control/controls.js';
import type { Logger } from './log.js';
import type { Store } from './store/store.js';
import type { Validator } from './validation/validator.js';

/** Everything a provider's router needs, built once per server. */
export interface MockContext {
  config: Config;
  store: Store;
  validator: Validator;
  logger: Logger;
  clock: Clock;
  /** Middleware factories run at the top of every provider's router (see createProviderRouter). */
  providerHooks: ((provider: string) => RequestHandler)[];
  /** Journal, faults, snapshots, sandboxes: set by createApp (see control/controls.ts). */
  controls?: Controls;
}
