import express, {
  type IRouter,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { adminRouter } from './admin/router.js';
import type { InstanceParts, MockContext } from './context.js';
import { type Controls, createControls } from './control/controls.js';
import { journalRecorder } from './control/journal-recorder.js';
import { SANDBOX_PREFIX, SandboxManager } from './control/sandboxes.js';
import { enter, leave, prefixLength, targetOf } from './http/mount.js';
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
 * Serves on `router` everything one instance answers: its sandboxes (main
 * instance only), its journal, its admin API, every provider, and the
 * answers outside them. One middleware chooses among them by prefix, as
 * Express's mounts did (src/http/mount.ts), instead of one layer per mount
 * that every request would walk.
 */
export function serveInstance<R extends IRouter>(
  router: R,
  ctx: MockContext,
  providers: readonly Provider[],
): R {
  const { controls } = ctx;
  const sandboxes = controls.sandboxes?.dispatch() ?? null;
  const record = journalRecorder(controls.journal, controls.sandbox);
  const admin = adminRouter(ctx, providers);
  const mounts = providers.map((provider) => ({
    prefixes: provider.mountPaths.map((p) => p.toLowerCase()),
    router: providerRouter(ctx, provider),
  }));
  const noProvider = (req: Request, res: Response) =>
    sendText(res, 404, 'application/json', JSON.stringify({ error: `no provider serves ${req.path}` }));

  router.use((req: Request, res: Response, next: NextFunction) => {
    const target = targetOf(req.url);
    /** Runs a mounted handler; `then` gets the request back as it came, with the handler's error if any. */
    const mounted = (handler: RequestHandler, taken: number, then: (err?: unknown) => void) => {
      const entry = enter(req, target, taken);
      handler(req, res, (err?: unknown) => {
        leave(req, entry);
        then(err);
      });
    };
    const fail = (err?: unknown) => (err === undefined || err === null ? noProvider(req, res) : next(err));
    const provider = (i: number): void => {
      for (; i < mounts.length; i++) {
        const taken = prefixLength(target.path, mounts[i]!.prefixes);
        if (taken >= 0) {
          const after = i + 1;
          return mounted(mounts[i]!.router, taken, (err) =>
            err === undefined || err === null ? provider(after) : next(err),
          );
        }
      }
      noProvider(req, res);
    };

    if (sandboxes) {
      const taken = sandboxLength(target.path);
      if (taken > 0) {
        let id: string;
        try {
          id = decodeURIComponent(target.path.slice(SANDBOX_PREFIX.length + 1, taken));
        } catch {
          // Express's answer to a path parameter that does not decode
          return next(Object.assign(new URIError('Failed to decode the sandbox id'), { status: 400 }));
        }
        const entry = enter(req, target, taken);
        req.params = { sandbox: id };
        return sandboxes(req, res, (err?: unknown) => {
          leave(req, entry);
          // an instance router answers every path; this is reached only with an error
          fail(err);
        });
      }
    }
    record(req, res, () => {
      const taken = prefixLength(target.path, ADMIN);
      if (taken >= 0) return mounted(admin, taken, (err) => (err ? next(err) : provider(0)));
      provider(0);
    });
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

const ADMIN = ['/__admin'];

/** How much of the path `/__sandbox/<id>` takes (Express's `/__sandbox/:sandbox` mount), or 0. */
function sandboxLength(path: string): number {
  const start = SANDBOX_PREFIX.length + 1;
  if (path.length <= start || path.charCodeAt(start - 1) !== 47) return 0;
  if (path.slice(0, SANDBOX_PREFIX.length).toLowerCase() !== SANDBOX_PREFIX.toLowerCase()) return 0;
  const end = path.indexOf('/', start);
  return end === start ? 0 : end === -1 ? path.length : end;
}
