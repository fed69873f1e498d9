import { STATUS_CODES } from 'node:http';
import type { Request } from 'express';
import { ApiError, type FrameworkFailure, MockBug } from '../../http/api-error.js';
import type { ErrorFormat } from '../../http/provider-router.js';

/**
 * DRF's answers. Every response of a DRF view carries `Allow` (its methods)
 * and, when it has more than one renderer, `Vary: Accept`; the view sets
 * them in res.locals before anything can fail.
 */

/** A 400 whose body is a serializer's field errors rather than `{"detail": ...}`. */
export class FieldErrors extends ApiError {
  constructor(readonly fields: Record<string, string[]>) {
    super(400, 'Invalid input.');
  }
}

/** Django's own answers, outside DRF: unknown URLs and bodies over DATA_UPLOAD_MAX_MEMORY_SIZE. */
export class DjangoPage extends ApiError {}

const DJANGO_404 = '<h1>Not Found</h1><p>The requested resource was not found on this server.</p>';
const DJANGO_400 = '<h1>Bad Request (400)</h1>';
const DJANGO_500 = '<h1>Server Error (500)</h1>';

/** The default_detail of DRF's APIException (500) and ServiceUnavailable (503). */
const DRF_DETAIL: Record<number, string> = {
  500: 'A server error occurred.',
  503: 'Service temporarily unavailable, try again later.',
};

export const drfErrors = {
  notAuthenticated: () => unauthorized('Authentication credentials were not provided.'),
  noCredentials: () => unauthorized('Invalid token header. No credentials provided.'),
  spaces: () => unauthorized('Invalid token header. Token string should not contain spaces.'),
  invalidCharacters: () =>
    unauthorized('Invalid token header. Token string should not contain invalid characters.'),
  invalidToken: () => unauthorized('Invalid token.'),
  inactive: () => unauthorized('User inactive or deleted.'),
  notFound: () => new ApiError(404, 'Not found.'),
  notAcceptable: () => new ApiError(406, 'Could not satisfy the request Accept header.'),
  parse: (message: string) => new ApiError(400, message),
  unsupportedMediaType: (contentType: string) =>
    new ApiError(415, `Unsupported media type "${contentType}" in request.`),
};

function unauthorized(detail: string) {
  return new ApiError(401, detail, { headers: { 'WWW-Authenticate': 'Token' } });
}

/** Django's order of HTTP method names, which DRF's Allow header follows. */
const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export const drfAllow = (methods: string[]) => {
  const all = new Set([...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS']);
  return METHOD_ORDER.filter((m) => all.has(m)).join(', ');
};

/** The headers DRF's view adds to every answer (set by the router once the URL resolved to a view). */
export const viewHeaders = (req: Request): Record<string, string> =>
  (req.res?.locals.drfHeaders as Record<string, string> | undefined) ?? {};

export const sharedcloudErrorFormat: ErrorFormat = {
  failure(kind: FrameworkFailure | 'method-not-allowed', req: Request) {
    switch (kind) {
      case 'method-not-allowed':
        return new ApiError(405, `Method "${req.method}" not allowed.`);
      case 'no-route':
        return new DjangoPage(404, DJANGO_404);
      case 'body-too-large':
        // Django refuses the body before DRF sees it (RequestDataTooBig is a SuspiciousOperation)
        return new DjangoPage(400, DJANGO_400);
      case 'unsupported-media-type':
        return drfErrors.unsupportedMediaType(req.get('content-type') ?? '');
      default:
        return new ApiError(400, 'Malformed request.');
    }
  },
  // a DRF APIException with that status_code: {"detail": ...}, DRF's default detail when no message is given
  injected: (status: number, message: string | undefined) =>
    new ApiError(
      status,
      message ?? DRF_DETAIL[status] ?? (status >= 500 ? DRF_DETAIL[500]! : (STATUS_CODES[status] ?? 'Error')),
    ),
  render(e: ApiError, req: Request) {
    if (e instanceof DjangoPage) return { kind: 'text', contentType: 'text/html', text: e.message };
    // a bug in the mock: Django's production 500 page, no details
    if (e instanceof MockBug) return { kind: 'text', contentType: 'text/html', text: DJANGO_500 };
    const headers = viewHeaders(req);
    if (e instanceof FieldErrors)
      return { kind: 'json', schema: 'sharedcloud/field-errors', body: e.fields, headers };
    return { kind: 'json', schema: 'sharedcloud/detail', body: { detail: e.message }, headers };
  },
  allowHeader: drfAllow,
};
