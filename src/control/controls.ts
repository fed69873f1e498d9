import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import { FaultInjector } from './faults.js';
import { Journal } from './journal.js';
import type { SandboxManager } from './sandboxes.js';
import { Snapshots } from './snapshots.js';

/** The control plane of one mock instance (the main one, or a sandbox). */
export interface Controls {
  /** The sandbox id, null for the main instance. */
  sandbox: string | null;
  journal: Journal;
  faults: FaultInjector;
  snapshots: Snapshots;
  /** Only the main instance creates sandboxes. */
  sandboxes: SandboxManager | null;
  /** False while the server shuts down: readiness fails, liveness does not. */
  accepting: boolean;
}

/** A fresh control plane over one instance's store (sandboxes are added by the instance that makes them). */
export function createControls(config: Config, store: Store, sandbox: string | null): Controls {
  return {
    sandbox,
    journal: new Journal({
      enabled: config.journalSize > 0,
      size: config.journalSize,
      bodyBytes: config.journalBodyBytes,
    }),
    faults: new FaultInjector(() => store.seed),
    snapshots: new Snapshots(store, { count: config.maxSnapshots, bytes: config.maxSnapshotBytes }),
    sandboxes: null,
    accepting: true,
  };
}
