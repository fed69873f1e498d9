import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { MockContext } from '../context.js';
import { faultHook } from '../control/faults.js';
import { ApiError, type FrameworkFailure, frameworkFailure, InjectedFault, MockBug } from './api-error.js';
import { type Reply, sendText } from './respond.js';

/** JSON errors go through the provider's responder (validated, its spacing); text errors are sent as they are. */
export type ErrorRendering =
  | { kind: 'json'; body: unknown; schema: string; headers?: Record<string, string> }
  | { kind: 'text'; contentType: string | null; text: string; headers?: Record<string, string> };

/** What a provider tells the shared router kit about its error format. */
export interface ErrorFormat {
  /** This provider's own answer to a failure the framework detected. */
  failure(kind: FrameworkFailure | 'method-not-allowed', req: Request, allow?: string[]): ApiError;
  /** This provider's own error for a status a fault asked for, with the fault's message when it has one. */
  injected(status: number, message: string | undefined, req: Request): ApiError;
  /** An ApiError as this provider writes it on the wire. */
  render(err: ApiError, req: Request): ErrorRendering;
  /** How this provider spells the Allow header. */
  allowHeader(methods: string[]): string;
}

/**
 * Header bytes a provider accepts (Node's own default). The HTTP parser in
 * src/server.ts allows more, so that a request between the two limits still
 * reaches the provider and gets its 431 in the provider's own format.
 */
export const MAX_HEADER_BYTES = 16 * 1024;

/** The request line and header lines as they came in (CRLFs included). */
function headerBytes(req: Request): number {
  let bytes = req.method.length + req.originalUrl.length + 12;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) bytes += raw[i]!.length + raw[i + 1]!.length + 4;
  return bytes;
}

const headersTooLarge = () => new ApiError(431, 'Request Header Fields Too Large');

/**
 * A provider's router: what every provider shares around its routes. One
 * layer runs the header size check, the instance's fault injection, then
 * `routes`; a path they leave unanswered gets the provider's 404. Because it
 * all runs inside the provider's router, a forced status, a refused header
 * and every error thrown by a route are rendered in that provider's own
 * format. An error that is not an ApiError is a bug in the mock: logged
 * with its stack, answered as the provider's 500 without internals.
 */
export function createProviderRouter(
  ctx: MockContext,
  provider: string,
  routes: RequestHandler,
  errors: ErrorFormat,
  reply: Reply,
): Router {
  const router = express.Router();
  const injectFault = faultHook(ctx.controls.faults);
  // One layer for all of it: each Express layer costs path matching per request.
  router.use((req, res, next) => {
    res.locals.provider = provider;
    if (headerBytes(req) > MAX_HEADER_BYTES) return next(headersTooLarge());
    injectFault(req, res, (err?: unknown) => {
      if (err !== undefined && err !== null) return next(err);
      routes(req, res, (err?: unknown) =>
        next(err !== undefined && err !== null ? err : errors.failure('no-route', req)),
      );
    });
  });
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const apiError = asApiError(err, req, ctx, errors);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const rendered = errors.render(apiError, req);
    const headers = { ...apiError.headers, ...rendered.headers };
    if (rendered.kind === 'json') reply(req, res, apiError.status, rendered.body, rendered.schema, headers);
    else sendText(res, apiError.status, rendered.contentType, rendered.text, headers);
  });
  return router;
}

function asApiError(err: unknown, req: Request, ctx: MockContext, errors: ErrorFormat): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof InjectedFault) {
    const injected = errors.injected(err.status, err.given, req);
    Object.assign(injected.headers, err.headers);
    return injected;
  }
  const kind = frameworkFailure(err);
  if (kind) return errors.failure(kind, req);
  ctx.logger.error({ err, method: req.method, path: req.originalUrl }, 'unexpected error in a provider');
  return new MockBug();
}
