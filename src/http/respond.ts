import type { Request, Response } from 'express';
import type { MockContext } from '../context.js';
import { cache } from '../store/cache.js';
import type { SchemaIssue } from '../validation/validator.js';

/** How a provider writes JSON on the wire. */
export interface WireFormat {
  contentType: string;
  serialize(body: unknown): string;
}

export const compactJson: WireFormat = {
  contentType: 'application/json',
  serialize: (body) => JSON.stringify(body),
};

const WRITTEN = Symbol('written body');

/** The body `sendText` wrote for this answer (a reference, for the request journal), if it wrote one. */
export function writtenBody(res: Response): string | Buffer | undefined {
  return (res.locals as Record<symbol, string | Buffer | undefined>)[WRITTEN];
}

/** Writes exactly the bytes given, without Express adding a charset or an ETag. */
export function sendText(
  res: Response,
  status: number,
  contentType: string | null,
  text: string | Buffer,
  headers?: Record<string, string>,
): void {
  res.statusCode = status;
  if (headers) for (const name in headers) res.setHeader(name, headers[name]!);
  if (contentType !== null) res.setHeader('Content-Type', contentType);
  if (status === 204 || status === 304) {
    res.end();
    return;
  }
  res.setHeader('Content-Length', Buffer.byteLength(text));
  (res.locals as Record<symbol, string | Buffer>)[WRITTEN] = text;
  res.end(text);
}

export const SCHEMA_MISMATCH_HEADER = 'X-Mock-Error';

/**
 * A body serialised and checked against its schema once, to be sent many
 * times: routers keep these in the cache (src/store/cache.ts) per version
 * of the data they show, so a repeated answer costs neither serialisation
 * nor validation.
 */
export class PreparedBody {
  constructor(
    readonly text: string,
    readonly schema: string,
    /** null when valid (or not checked: validation off). */
    readonly issues: SchemaIssue[] | null,
  ) {}

  private encoded: Buffer | null = null;

  /** The UTF-8 bytes, encoded on the first send and reused (a megabyte list is not re-encoded per request). */
  get bytes(): Buffer {
    return (this.encoded ??= Buffer.from(this.text, 'utf8'));
  }
}

/** What a kept answer holds, in characters, for the cache's budget: the text and its bytes. */
export const preparedSize = (body: PreparedBody | null): number => (body ? body.text.length * 2 : 16);

/**
 * Validates a response body against its schema, then writes it. A mismatch
 * is a bug in the mock: in `fail` mode the client gets a 500 that names the
 * schema and what is wrong rather than a body the real service would never
 * send; in `warn` mode it is only logged. Bytes that already passed their
 * schema are not walked again.
 */
export function createResponder(ctx: MockContext, format: WireFormat) {
  const check = (schema: string, body: unknown, text: string): SchemaIssue[] | null => {
    if (ctx.config.validate === 'off') return null;
    // the validation memo lives in the process's one cache, under its budget
    const known = `valid ${schema}\n${text}`;
    if (cache.has(known)) return null;
    const issues = ctx.validator.check(schema, body);
    if (!issues && text.length <= cache.maxChars / 4) cache.remember(known, text.length);
    return issues;
  };

  function reply(
    req: Request,
    res: Response,
    status: number,
    body: unknown,
    schema: string,
    headers?: Record<string, string>,
  ): void {
    const prepared = body instanceof PreparedBody ? body : prepare(body, schema);
    if (prepared.issues) {
      ctx.logger.error(
        { schema: prepared.schema, issues: prepared.issues, method: req.method, path: req.originalUrl },
        'response failed its schema',
      );
      if (ctx.config.validate === 'fail') {
        const report = {
          error: 'response-schema-mismatch',
          schema: prepared.schema,
          issues: prepared.issues,
        };
        sendText(res, 500, 'application/json', JSON.stringify(report), {
          [SCHEMA_MISMATCH_HEADER]: 'schema-mismatch',
        });
        return;
      }
    }
    sendText(res, status, format.contentType, body === prepared ? prepared.bytes : prepared.text, headers);
  }

  function prepare(body: unknown, schema: string): PreparedBody {
    const text = format.serialize(body);
    return new PreparedBody(text, schema, check(schema, body, text));
  }

  return Object.assign(reply, { prepare });
}

export type Reply = ReturnType<typeof createResponder>;
