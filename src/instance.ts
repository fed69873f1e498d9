import express, { type IRouter, type NextFunction, type Request, type Response, type Router } from 'express';
import { adminRouter } from './admin/router.js';
import type { InstanceParts, MockContext } from './context.js';
import { type Controls, createControls } from './control/controls.js';
import { journalRecorder } from './control/journal-recorder.js';
import { SANDBOX_PREFIX, SandboxManager } from './control/sandboxes.js';
import { sendText } from './http/respond.js';
import type { Provider } from './providers/provider.js';
import { providerRouter } from './providers/provider.js';

/** One complete mock: its context, its control plane, and the router that serves both. */
export interface Instance<R extends IRouter = Router> {
  ctx: MockContext;
  controls: Controls;
  router: R;
}

/**
 * The context of one instance, its control plane complete: the main
 * instance (`sandbox` null) also gets the manager of its sandboxes, each
 * of which is a whole instance of its own, built by createInstance.
 */
export function instanceContext(
  parts: InstanceParts,
  providers: readonly Provider[],
  sandbox: string | null = null,
): MockContext {
  const ctx: MockContext = { ...parts, controls: createControls(parts.config, parts.store, sandbox) };
  if (sandbox === null) {
    ctx.controls.sandboxes = new SandboxManager(ctx, providers, (sandboxParts, id) =>
      createInstance(sandboxParts, providers, id),
    );
  }
  return ctx;
}

/** A sandbox, or any instance served under a router of its own. */
export function createInstance(
  parts: InstanceParts,
  providers: readonly Provider[],
  sandbox: string | null = null,
): Instance {
  const ctx = instanceContext(parts, providers, sandbox);
  return { ctx, controls: ctx.controls, router: serveInstance(express.Router(), ctx, providers) };
}

/**
 * Mounts everything one instance serves on `router`: its sandboxes (main
 * instance only), its journal, its admin API, every provider, and the
 * answers outside them.
 */
export function serveInstance<R extends IRouter>(
  router: R,
  ctx: MockContext,
  providers: readonly Provider[],
): R {
  const { controls } = ctx;
  if (controls.sandboxes) router.use(`${SANDBOX_PREFIX}/:sandbox`, controls.sandboxes.dispatch());
  router.use(journalRecorder(controls.journal, controls.sandbox));
  router.use('/__admin', adminRouter(ctx, providers));
  for (const provider of providers) {
    router.use(provider.mountPaths, providerRouter(ctx, provider));
  }

  // Outside every provider's path space.
  router.use((req: Request, res: Response) => {
    sendText(res, 404, 'application/json', JSON.stringify({ error: `no provider serves ${req.path}` }));
  });
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    ctx.logger.error({ err, path: req.originalUrl }, 'unhandled error');
    if (res.headersSent) return void res.destroy();
    const status = (err as { status?: number }).status;
    const code = status && status >= 400 && status < 500 ? status : 500;
    sendText(
      res,
      code,
      'application/json',
      JSON.stringify({ error: code === 500 ? 'internal error in the mock' : 'bad request' }),
    );
  });
  return router;
}
