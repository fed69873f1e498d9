import express, { type NextFunction, type Request, type Response } from 'express';
import type { MockContext } from '../context.js';
import { asObject, ControlError, onlyKnownKeys } from '../control/errors.js';
import { resetStore } from '../control/records.js';
import { frameworkFailure } from '../http/api-error.js';
import { publicBaseUrl } from '../http/base-url.js';
import { bodyReader } from '../http/body.js';
import { TOO_DEEP_REASON } from '../http/json-guard.js';
import { adminGuard, jsonBodiesOnly } from './guard.js';
import { operationsOf } from '../http/route-table.js';
import { type Provider, routesOf } from '../providers/provider.js';
import { controlRoutes } from './control-routes.js';
import { docsRoutes } from './docs-routes.js';
import { send } from './respond.js';
import { sandboxRoutes } from './sandbox-routes.js';
import { storeRoutes } from './store-routes.js';

/**
 * The mock's own control API (README "Control from a test"): health and
 * readiness, reset, records, journal, faults, clock, snapshots, sandboxes,
 * OpenAPI documents and the web console. Every sandbox serves the same API
 * for itself under its own prefix.
 */
export function adminRouter(ctx: MockContext, providers: readonly Provider[]) {
  const router = express.Router();
  const startedAt = Date.now();
  const { controls } = ctx;
  // other sites' writes and (with --admin-token) requests without the token stop here; bodies are JSON,
  // refused at once when announced too large
  router.use(
    adminGuard(ctx.config),
    jsonBodiesOnly,
    bodyReader(ctx, { as: 'json', type: ['application/json', '+json'] }),
  );

  // Liveness: the process answers. Readiness: it also takes traffic (false while shutting down).
  router.get('/health', (_req, res) => {
    send(res, 200, {
      status: 'ok',
      ready: controls.accepting,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      providers: providers.map((p) => p.name),
      store: ctx.store.persistent ? 'file' : 'memory',
    });
  });
  router.get('/ready', (_req, res) => {
    send(res, controls.accepting ? 200 : 503, {
      ready: controls.accepting,
      ...(controls.accepting ? {} : { reason: 'shutting down' }),
    });
  });

  router.post('/reset', async (req, res) => {
    const body = asObject(req.body, 'reset');
    onlyKnownKeys(body, ['seed', 'providers', 'all'], 'reset');
    if (body.all !== undefined && typeof body.all !== 'boolean')
      throw new ControlError(400, 'all: must be true or false');
    const done = await resetStore(ctx, providers, body);
    if (body.all === true) {
      controls.journal.clear();
      controls.faults.clear();
      ctx.clock.release();
    }
    send(res, 200, { status: 'reset', ...done, ...(body.all === true ? { all: true } : {}) });
  });

  router.get('/providers', (req, res) => {
    const base = publicBaseUrl(req);
    send(
      res,
      200,
      providers.map((p) => ({
        name: p.name,
        title: p.title,
        mountPaths: p.mountPaths,
        collections: Object.keys(p.collections),
        // base URLs and fixture credentials, as the start-up banner shows them
        banner: p.banner(ctx, base),
        endpoints: p.mountPaths
          .flatMap((mount) => operationsOf(routesOf(ctx, p), mount))
          .map((e) => ({ method: e.method, path: e.path, summary: e.op.summary })),
        openapi: `${base}/__admin/openapi/${p.name}.json`,
      })),
    );
  });

  storeRoutes(router, ctx, providers);
  controlRoutes(router, ctx, providers);
  sandboxRoutes(router, ctx);
  docsRoutes(router, ctx, providers);

  router.use((req: Request) => {
    throw new ControlError(404, `no admin endpoint ${req.method} ${req.baseUrl}${req.path}`);
  });

  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ControlError) return send(res, err.status, { error: err.message });
    const kind = frameworkFailure(err);
    if (kind === 'malformed-json') return send(res, 400, { error: 'body is not valid JSON' });
    if (kind === 'too-deep') return send(res, 400, { error: `body is ${TOO_DEEP_REASON}` });
    if (kind === 'body-too-large') return send(res, 413, { error: 'body too large' });
    if (kind) return send(res, 400, { error: `bad request (${kind})` });
    ctx.logger.error({ err, path: req.originalUrl }, 'unexpected error in the admin API');
    send(res, 500, { error: 'internal error in the mock' });
  });
  return router;
}
