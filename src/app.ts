import express, { type NextFunction, type Request, type Response } from 'express';
import { pinoHttp } from 'pino-http';
import { adminRouter } from './admin/router.js';
import type { MockContext } from './context.js';
import { sendText } from './http/respond.js';
import { providers as allProviders } from './providers/index.js';
import type { Provider } from './providers/provider.js';

/** Credentials never reach a log line. */
export const REDACTED_HEADERS = [
  'mc-api-key',
  'x-auth-token',
  'x-subject-token',
  'authorization',
  'cookie',
  'set-cookie',
];

export function createApp(ctx: MockContext, providers: readonly Provider[] = allProviders) {
  const app = express();
  // None of the real services sends these; clients must not come to rely on them.
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use(
    pinoHttp({
      logger: ctx.logger,
      redact: REDACTED_HEADERS.flatMap((h) => [`req.headers["${h}"]`, `res.headers["${h}"]`]),
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );

  app.use('/__admin', adminRouter(ctx, providers));
  for (const provider of providers) {
    app.use(provider.mountPaths, provider.router(ctx));
  }

  // Outside every provider's path space.
  app.use((req: Request, res: Response) => {
    sendText(res, 404, 'application/json', JSON.stringify({ error: `no provider serves ${req.path}` }));
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
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
  return app;
}
