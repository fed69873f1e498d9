import { STATUS_CODES } from 'node:http';
import type { Request } from 'express';
import { ApiError, type FrameworkFailure, MockBug } from '../../http/api-error.js';
import { TOO_DEEP_REASON } from '../../http/json-guard.js';
import type { ErrorFormat, ErrorRendering } from '../../http/provider-router.js';

/** webob's status lines and stock explanations. */
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  411: 'Length Required',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  416: 'Request Range Not Satisfiable',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const STOCK: Record<number, string> = {
  401:
    'This server could not verify that you are authorized to access the document you requested. Either you ' +
    'supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply ' +
    'the credentials required.',
  403: 'Access was denied to this resource.',
  404: 'The resource could not be found.',
  409: 'There was a conflict when trying to complete your request.',
  413: 'The body of your request was too large for this server.',
  500: 'The server has either erred or is incapable of performing the requested operation.',
  502: 'Bad gateway.',
  503: 'The server is currently unavailable. Please try again at a later time.',
  504: 'The gateway has timed out.',
};

/** Explanation E; detail D when given (webob's `HTTPException(detail)` form: E is then the stock text). */
const explained = (status: number, explanation: string, headers?: Record<string, string>) =>
  new ApiError(status, explanation, { detail: '', headers });
const detailed = (status: number, detail: string) => new ApiError(status, STOCK[status] ?? '', { detail });

/** Some webob classes have a body template of their own; `core` carries it pre-built. */
const withCore = (status: number, core: string, headers: Record<string, string> = {}) =>
  new ApiError(status, core, { context: { core }, headers });

export const ACCEPT_PATCH =
  'application/openstack-images-v2.0-json-patch, application/openstack-images-v2.1-json-patch';

export const glanceErrors = {
  badRequest: (message: string) => explained(400, message),
  forbidden: (message: string) => explained(403, message),
  notFound: (message: string) => explained(404, message),
  conflict: (message: string) => explained(409, message),
  forbiddenDetail: (message: string) => detailed(403, message),
  conflictDetail: (message: string) => detailed(409, message),
  unauthorized: () => explained(401, STOCK[401]!),
  noRoute: () => explained(404, STOCK[404]!),
  noImage: (id: string) => explained(404, `No image found with ID ${id}`),
  tooLarge: (message = STOCK[413]!) => explained(413, message),
  methodNotAllowed: (method: string, allow: string) =>
    withCore(405, `The method ${method} is not allowed for this resource. <br /><br />\n`, { Allow: allow }),
  unsupportedMediaType: (contentType: string, headers: Record<string, string> = {}) =>
    withCore(
      415,
      `The request media type ${contentType} is not supported by this server.\n<br /><br />\n`,
      headers,
    ),
  rangeNotSatisfiable: (detail: string) =>
    new ApiError(416, 'The Range requested is not available.', { detail }),
};

/** webob's `best_match(['text/html', 'application/json'])`; no match (or no Accept) means plain text. */
export function errorMediaType(accept: string | undefined): 'html' | 'json' | 'plain' {
  if (accept === undefined) return 'plain';
  const ranges = accept
    .split(',')
    .map((part) => {
      const [range, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { range: (range ?? '').trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((r) => r.range !== '' && !Number.isNaN(r.q));
  const quality = (offer: string) => {
    const [type] = offer.split('/');
    let best: { specificity: number; q: number } | null = null;
    for (const { range, q } of ranges) {
      const specificity = range === offer ? 3 : range === `${type}/*` ? 2 : range === '*/*' ? 1 : 0;
      if (specificity > 0 && (!best || specificity > best.specificity)) best = { specificity, q };
    }
    return best?.q ?? 0;
  };
  const html = quality('text/html');
  const json = quality('application/json');
  if (html <= 0 && json <= 0) return 'plain';
  return json > html ? 'json' : 'html';
}

function htmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;');
}

/** webob's strip_tags: newlines become spaces first, then `<br ...>` becomes a newline, then comments and tags go. */
function stripTags(s: string): string {
  const flat = s.replace(/\n/g, ' ').replace(/\r/g, '');
  const brs = removeTags(flat, (text, at) => text.slice(at + 1, at + 3).toLowerCase() === 'br', 3, '\n');
  return removeTags(brs.replace(/<!--|-->/g, ''), () => true, 1, '');
}

/**
 * The lazy `<...?>` matches of webob's tag patterns, in one pass: a tag
 * starts at a `<` that `starts` accepts and ends at the first `>` at least
 * `minLength` characters on. No backtracking: error text echoes client
 * input, and a message full of `<` must cost no more than its length.
 */
function removeTags(
  text: string,
  starts: (text: string, at: number) => boolean,
  minLength: number,
  replacement: string,
): string {
  let out = '';
  let from = 0;
  let search = 0;
  for (;;) {
    const open = text.indexOf('<', search);
    if (open < 0) break;
    if (!starts(text, open)) {
      search = open + 1;
      continue;
    }
    const close = text.indexOf('>', open + minLength);
    // no `>` after this `<`: none after any later one either
    if (close < 0) break;
    out += text.slice(from, open) + replacement;
    from = search = close + 1;
  }
  return out + text.slice(from);
}

function core(err: ApiError, escape: (s: string) => string): string {
  const prebuilt = err.extra.context?.core as string | undefined;
  if (prebuilt !== undefined) return prebuilt;
  return `${escape(err.message)}<br /><br />\n${escape(err.extra.detail ?? '')}\n\n`;
}

export function renderGlanceError(err: ApiError, accept: string | undefined): ErrorRendering {
  const title = TITLES[err.status] ?? STATUS_CODES[err.status] ?? TITLES[500]!;
  const status = `${err.status} ${title}`;
  switch (errorMediaType(accept)) {
    case 'json':
      return {
        kind: 'json',
        schema: 'glance/error',
        body: { message: core(err, (s) => s), code: status, title },
      };
    case 'html':
      return {
        kind: 'text',
        contentType: 'text/html; charset=UTF-8',
        text: `<html>\n <head>\n  <title>${status}</title>\n </head>\n <body>\n  <h1>${status}</h1>\n  ${core(err, htmlEscape)}\n </body>\n</html>`,
      };
    default:
      return {
        kind: 'text',
        contentType: 'text/plain; charset=UTF-8',
        text: `${status}\n\n${stripTags(core(err, (s) => s))}`,
      };
  }
}

/** The Keystone v3 shim's paths (routes/keystone.ts), whose errors are Keystone's JSON, not webob's. */
const KEYSTONE_PATH = /^\/v3(?:\/|$)/;

/** An error of the Keystone shim: `{"error": {"code", "title", "message"}}` whatever Accept says. */
class KeystoneError extends ApiError {}

export const glanceErrorFormat: ErrorFormat = {
  failure(kind: FrameworkFailure | 'method-not-allowed', req: Request, allow?: string[]) {
    switch (kind) {
      case 'method-not-allowed':
        return glanceErrors.methodNotAllowed(req.method, glanceErrorFormat.allowHeader(allow ?? []));
      case 'malformed-json':
      case 'bad-encoding':
        return glanceErrors.badRequest('Malformed JSON in request body.');
      case 'too-deep':
        // Glance's own parser would fail with a RecursionError (a 500); its 400 says what is wrong
        return glanceErrors.badRequest(`JSON in request body is ${TOO_DEEP_REASON}.`);
      case 'body-too-large':
        return glanceErrors.tooLarge();
      case 'unsupported-media-type':
        return glanceErrors.unsupportedMediaType(req.get('content-type') ?? '');
      case 'aborted':
        return glanceErrors.badRequest('Body expected in request.');
      default:
        return glanceErrors.noRoute();
    }
  },
  // webob's exception for the status, the message as its explanation (HTTPServiceUnavailable(explanation=...));
  // under the Keystone shim, Keystone's own error
  injected: (status: number, message: string | undefined, req: Request) =>
    KEYSTONE_PATH.test(req.path)
      ? new KeystoneError(status, message ?? STATUS_CODES[status] ?? '')
      : explained(status, message ?? STOCK[status] ?? STATUS_CODES[status] ?? ''),
  render: (err: ApiError, req: Request) => {
    if (err instanceof KeystoneError) {
      const title = STATUS_CODES[err.status] ?? '';
      return {
        kind: 'json',
        schema: 'glance/keystone-error',
        body: { error: { code: err.status, title, message: err.message } },
      };
    }
    // a bug in the mock is answered as Glance's own 500, without internals
    const e = err instanceof MockBug ? new ApiError(500, STOCK[500]!) : err;
    // webob answers a HEAD with its HTML page's headers and none of its body, whatever Accept says
    if (req.method === 'HEAD') return { kind: 'text', contentType: 'text/html; charset=UTF-8', text: '' };
    return renderGlanceError(e, req.headers.accept);
  },
  allowHeader: (methods) => methods.join(', '),
};
