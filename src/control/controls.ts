import type { MockContext } from '../context.js';
import { FaultInjector, faultHook } from './faults.js';
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

/**
 * Gives a context its control plane (once) and installs the fault hook in
 * its provider hooks, so it must run before the provider routers are built.
 */
export function attachControls(ctx: MockContext, sandbox: string | null = null): Controls {
  if (ctx.controls) return ctx.controls;
  const faults = new FaultInjector(() => ctx.store.seed);
  const controls: Controls = {
    sandbox,
    journal: new Journal({
      enabled: ctx.config.journalSize > 0,
      size: ctx.config.journalSize,
      bodyBytes: ctx.config.journalBodyBytes,
    }),
    faults,
    snapshots: new Snapshots(ctx.store),
    sandboxes: null,
    accepting: true,
  };
  ctx.providerHooks.push(faultHook(faults));
  ctx.controls = controls;
  return controls;
}

export function controlsOf(ctx: MockContext): Controls {
  return ctx.controls ?? attachControls(ctx);
}
