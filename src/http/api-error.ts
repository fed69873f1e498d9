import { TOO_DEEP_TYPE } from './json-guard.js';

/**
 * Failures the framework itself detects, before any provider code runs.
 * Each provider words them in its own format.
 */
export type FrameworkFailure =
  | 'no-route'
  | 'malformed-json'
  | 'too-deep'
  | 'body-too-large'
  | 'unsupported-media-type'
  | 'bad-encoding'
  | 'aborted';

/**
 * An error answer in the making: the status and the provider-specific parts
 * its renderer needs. Thrown anywhere in a provider's router.
 */
export class ApiError extends Error {
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    message: string,
    readonly extra: {
      /** Secondary text, where a provider has one (Glance's webob detail). */
      detail?: string;
      /** Provider error code, where a provider has one (CloudMC). */
      code?: number;
      context?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.headers = extra.headers ?? {};
  }
}

/** A failure that is a bug in the mock: each provider answers its own generic 500, without internals. */
export class MockBug extends ApiError {
  constructor() {
    super(500, 'Internal Server Error');
  }
}

/**
 * A status a fault rule or `X-Mock-Fault` asked for, with its message when
 * one was given. It carries no wording: the provider's router turns it into
 * that provider's own error for the status (ErrorFormat.injected).
 */
export class InjectedFault extends Error {
  constructor(
    readonly status: number,
    readonly given: string | undefined,
    readonly headers: Record<string, string>,
  ) {
    super(given ?? `injected ${status}`);
    this.name = 'InjectedFault';
  }
}

interface HttpErrorLike {
  type?: string;
  status?: number;
  statusCode?: number;
}

/** Classifies an error thrown by Express or body-parser; null for anything else (a bug). */
export function frameworkFailure(err: unknown): FrameworkFailure | null {
  if (err instanceof URIError) return 'no-route';
  const e = err as HttpErrorLike;
  switch (e?.type) {
    case 'entity.parse.failed':
      return 'malformed-json';
    case TOO_DEEP_TYPE:
      return 'too-deep';
    case 'entity.too.large':
      return 'body-too-large';
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return 'unsupported-media-type';
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return 'aborted';
    case 'entity.verify.failed':
      return 'bad-encoding';
  }
  // A body that does not decompress as its Content-Encoding says (zlib's Z_*, brotli's ERR__*
  // codes) is as unreadable as bad JSON, and servers that do not decompress see exactly that.
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^(?:Z_|ERR__|ERR_BROTLI|ERR_ZSTD)/.test(code)) return 'malformed-json';
  // Express's router raises 400 for a path segment that cannot be percent-decoded
  if ((e?.status ?? e?.statusCode) === 400) return 'no-route';
  return null;
}
