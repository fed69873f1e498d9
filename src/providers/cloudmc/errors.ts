import { STATUS_CODES } from 'node:http';
import type { Request } from 'express';
import { ApiError, type FrameworkFailure } from '../../http/api-error.js';
import type { ErrorFormat } from '../../http/provider-router.js';

/**
 * CloudMC error codes the mock uses, one per kind of failure (the public
 * docs publish none; these are stable so client tests can rely on them).
 * README.md lists them.
 */
export const CODES = {
  badRequest: 1000,
  missingApiKey: 1001,
  invalidApiKey: 1002,
  environmentForbidden: 1003,
  unknownService: 1004,
  unknownEnvironment: 1005,
  unknownImage: 1006,
  unknownRoute: 1007,
  methodNotAllowed: 1008,
  payloadTooLarge: 1009,
  unsupportedMediaType: 1010,
  headersTooLarge: 1011,
  internal: 1099,
} as const;

const err = (status: number, code: number, message: string, context: Record<string, unknown> = {}) =>
  new ApiError(status, message, { code, context });

export const cloudmcErrors = {
  missingApiKey: () => err(401, CODES.missingApiKey, 'Missing API key: send it in the MC-Api-Key header.'),
  invalidApiKey: () => err(401, CODES.invalidApiKey, 'Invalid API key.'),
  environmentForbidden: (serviceCode: string, environment: string) =>
    err(
      403,
      CODES.environmentForbidden,
      `Access denied to environment '${environment}' of service '${serviceCode}'.`,
      {
        serviceCode,
        environment,
      },
    ),
  unknownService: (serviceCode: string) =>
    err(404, CODES.unknownService, `Service connection '${serviceCode}' not found.`, { serviceCode }),
  unknownEnvironment: (serviceCode: string, environment: string) =>
    err(
      404,
      CODES.unknownEnvironment,
      `Environment '${environment}' not found in service '${serviceCode}'.`,
      {
        serviceCode,
        environment,
      },
    ),
  unknownImage: (id: string) => err(404, CODES.unknownImage, `Image '${id}' not found.`, { id }),
};

/** The code of an error raised by the shared HTTP kit, which knows only its status. */
const codeOfStatus = (status: number) => (status === 431 ? CODES.headersTooLarge : CODES.internal);

export const cloudmcErrorFormat: ErrorFormat = {
  failure(kind: FrameworkFailure | 'method-not-allowed', req: Request, allow?: string[]) {
    switch (kind) {
      case 'method-not-allowed':
        return err(405, CODES.methodNotAllowed, `Method ${req.method} is not allowed on this resource.`, {
          method: req.method,
          allowed: allow ?? [],
        });
      case 'body-too-large':
        return err(413, CODES.payloadTooLarge, 'Request body too large.');
      case 'unsupported-media-type':
        return err(415, CODES.unsupportedMediaType, 'Unsupported request body encoding.');
      case 'no-route':
        return err(404, CODES.unknownRoute, 'Resource not found.', { path: req.path });
      default:
        return err(400, CODES.badRequest, 'Malformed request.');
    }
  },
  injected: (status: number, message: string | undefined) =>
    err(status, codeOfStatus(status), message ?? STATUS_CODES[status] ?? 'Error'),
  render: (e: ApiError) => ({
    kind: 'json',
    schema: 'cloudmc/error',
    body: {
      errors: [
        { code: e.extra.code ?? codeOfStatus(e.status), message: e.message, context: e.extra.context ?? {} },
      ],
    },
  }),
  allowHeader: (methods) => [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])].join(', '),
};
