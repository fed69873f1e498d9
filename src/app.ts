import cors from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { pinoHttp as PinoHttp } from 'pino-http';
import { isAdminPath } from './admin/paths.js';
import type { MockContext } from './context.js';
import { ANSWER_WATCHED, recordAnswer } from './control/journal-recorder.js';
import { maskQuery, maskUrl } from './control/masking.js';
import { CREDENTIAL_HEADERS } from './http/credentials.js';
import type { RequestLine } from './log.js';
import { providers as allProviders } from './providers/index.js';
import type { Provider } from './providers/provider.js';
import { serveInstance } from './instance.js';

// pino-http is loaded only at log level debug and below, where it is used (start-up time).
const require = createRequire(import.meta.url);

/** Credentials never reach a log line. */
export const REDACTED_HEADERS = CREDENTIAL_HEADERS;

/** Headers a browser client must be able to read from a cross-origin answer. */
const EXPOSED_HEADERS = [
  'Location',
  'Retry-After',
  'X-Subject-Token',
  'X-Openstack-Request-Id',
  'Content-Range',
  '*',
];

/** The Express app of a server: request logging and CORS, then the main instance of `ctx` (and its sandboxes). */
export function createApp(ctx: MockContext, providers: readonly Provider[] = allProviders) {
  const app = express();
  // None of the real services sends these; clients must not come to rely on them.
  app.disable('x-powered-by');
  app.set('etag', false);

  // The request log. pino-http builds a child logger and serialises the whole request and response per
  // request (about 100 µs, more than answering: docs/performance.md), so it is kept for debug and below,
  // where headers are what one is after. At info each answer is one summary line written from the
  // 'close' listener below; above info only failures are.
  const detailed = ctx.logger.isLevelEnabled('debug');
  app.use(watchAnswers(ctx, detailed ? 'none' : ctx.logger.isLevelEnabled('info') ? 'every' : 'failures'));
  if (detailed) {
    const { pinoHttp } = require('pino-http') as { pinoHttp: typeof PinoHttp };
    app.use(
      pinoHttp({
        logger: ctx.logger,
        redact: REDACTED_HEADERS.flatMap((h) => [`req.headers["${h}"]`, `res.headers["${h}"]`]),
        // pino-http's own serialised request, with `?token=`-like values masked as in the journal
        wrapSerializers: true,
        serializers: {
          req: (req: { url: string; query?: Record<string, string | string[]> }) => {
            req.url = maskUrl(req.url);
            if (req.query) req.query = maskQuery(req.query);
            return req;
          },
        },
        customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
        customProps: (_req, res) => {
          const sandbox = (res as unknown as Response).locals?.sandbox as string | undefined;
          return sandbox ? { sandbox } : {};
        },
      }),
    );
  }

  // the Host values links may be built from (src/http/base-url.ts)
  app.locals.allowedHosts = ctx.config.allowedHosts;

  if (ctx.config.cors !== 'off') {
    const origins = ctx.config.cors === '*' ? true : ctx.config.cors.split(',');
    // Preflights are answered here, before any provider could call OPTIONS a 405.
    const providersCors = cors({ origin: origins, exposedHeaders: EXPOSED_HEADERS, maxAge: 600 });
    // --cors opens the provider APIs to browser clients, never the admin API (a page could reset the store)
    app.use((req: Request, res: Response, next: NextFunction) =>
      isAdminPath(req.path) ? next() : providersCors(req, res, next),
    );
  }

  // the main instance sits on the app itself: one router level less on every request
  return serveInstance(app, ctx, providers);
}

const STARTED = Symbol('request started');

/**
 * One 'close' listener per request for everything that looks at the
 * finished answer: the journal of the instance that served it, and the
 * request log: at info one line per answer (method, url, status, ms:
 * `RequestLine`), above it only 5xx answers, credentials never part of it.
 */
function watchAnswers(ctx: MockContext, log: 'every' | 'failures' | 'none') {
  const { logger } = ctx;
  function answered(this: Response) {
    recordAnswer(this);
    if (log === 'none') return;
    const finished = this.writableFinished;
    const failed = finished && this.statusCode >= 500;
    if (log === 'failures' && !failed) return;
    const started = (this.locals as Record<symbol, number>)[STARTED]!;
    const sandbox = this.locals.sandbox as string | undefined;
    const line: RequestLine = {
      req: { method: this.req.method, url: maskUrl(this.req.originalUrl) },
      res: { statusCode: finished ? this.statusCode : null },
      responseTime: Math.round((performance.now() - started) * 10) / 10,
    };
    if (sandbox) line.sandbox = sandbox;
    if (failed) logger.error(line, 'request errored');
    else logger.info(line, finished ? 'request completed' : 'request aborted');
  }
  return (_req: Request, res: Response, next: NextFunction) => {
    if (log !== 'none') (res.locals as Record<symbol, number>)[STARTED] = performance.now();
    res.on('close', answered);
    (res.locals as Record<symbol, boolean>)[ANSWER_WATCHED] = true;
    next();
  };
}
