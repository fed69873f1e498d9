import { STATUS_CODES } from 'node:http';
import type { Request } from 'express';
import { ApiError, type FrameworkFailure } from '../../http/api-error.js';
import { TOO_DEEP_REASON } from '../../http/json-guard.js';
import type { ErrorFormat } from '../../http/provider-router.js';

const fail = (status: number, message: string) => new ApiError(status, message);

export const allianceErrors = {
  missingHeader: (name: string) => fail(400, `Missing required header ${name}.`),
  notJson: (contentType: string | undefined) =>
    fail(
      415,
      contentType
        ? `Unsupported Content-Type '${contentType}': send the request body as application/json.`
        : 'Missing Content-Type: send the request body as application/json.',
    ),
  invalid: (message: string) => fail(400, message),
  emptyBody: () => fail(400, 'The request body is empty: send the image as JSON, {"image": {...}} or bare.'),
  readOnly: (field: string) => fail(403, `Attribute '${field}' is read-only.`),
  notFound: (ref: string) => fail(404, `No image found with ID ${ref}`),
  ambiguous: (ref: string, count: number) =>
    fail(409, `${count} images are named ${ref}; use the image ID instead.`),
  duplicateId: (id: string) => fail(409, `An image with ID ${id} already exists.`),
  protectedImage: (id: string) => fail(403, `Image ${id} is protected and cannot be deleted.`),
  notOwner: (id: string) =>
    fail(403, `Image ${id} belongs to another environment and cannot be changed here.`),
};

export const allianceErrorFormat: ErrorFormat = {
  failure(kind: FrameworkFailure | 'method-not-allowed', req: Request, allow?: string[]) {
    switch (kind) {
      case 'method-not-allowed':
        return fail(
          405,
          `Method ${req.method} is not allowed on ${req.originalUrl.split('?')[0]}; use ${(allow ?? []).join(', ')}.`,
        );
      case 'no-route':
        return fail(404, `No resource at ${req.originalUrl.split('?')[0]}.`);
      case 'malformed-json':
        return fail(400, 'Malformed JSON in request body.');
      case 'too-deep':
        return fail(400, `JSON in request body is ${TOO_DEEP_REASON}.`);
      case 'body-too-large':
        return fail(413, 'Request body is too large.');
      case 'unsupported-media-type':
        return fail(415, 'Unsupported request body encoding or charset.');
      case 'bad-encoding':
        return fail(400, 'Request body is not valid UTF-8.');
      default:
        return fail(400, 'Incomplete request body.');
    }
  },
  injected: (status: number, message: string | undefined) =>
    fail(status, message ?? STATUS_CODES[status] ?? 'Error'),
  render: (e: ApiError) => ({
    kind: 'json',
    schema: 'alliance/error',
    body: { error: { code: e.status, title: STATUS_CODES[e.status] ?? 'Error', message: e.message } },
  }),
  allowHeader: (methods) => [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])].join(', '),
};
