import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Controls } from './control/controls.js';
import type { Logger } from './log.js';
import type { Store } from './store/store.js';
import type { Validator } from './validation/validator.js';

/** What one mock instance is made of before it has a control plane (see createInstance). */
export interface InstanceParts {
  config: Config;
  store: Store;
  validator: Validator;
  logger: Logger;
  clock: Clock;
}

/** Everything a provider's router needs: one per instance (the main one, and each sandbox). */
export interface MockContext extends InstanceParts {
  /** Journal, faults, snapshots, sandboxes of this instance. */
  controls: Controls;
}
