import type { Request, Response } from 'express';
import type { MockContext } from '../context.js';

/** How a provider writes JSON on the wire. */
export interface WireFormat {
  contentType: string;
  serialize(body: unknown): string;
}

export const compactJson: WireFormat = {
  contentType: 'application/json',
  serialize: (body) => JSON.stringify(body),
};

/** Writes exactly the bytes given, without Express adding a charset or an ETag. */
export function sendText(
  res: Response,
  status: number,
  contentType: string | null,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.status(status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (contentType !== null) res.setHeader('Content-Type', contentType);
  if (status === 204 || status === 304) {
    res.end();
    return;
  }
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export const SCHEMA_MISMATCH_HEADER = 'X-Mock-Error';

/**
 * Validates a response body against its schema, then writes it. A mismatch
 * is a bug in the mock: in `fail` mode the client gets a 500 that names the
 * schema and what is wrong rather than a body the real service would never
 * send; in `warn` mode it is only logged.
 */
export function createResponder(ctx: MockContext, format: WireFormat) {
  return function reply(
    req: Request,
    res: Response,
    status: number,
    body: unknown,
    schema: string,
    headers: Record<string, string> = {},
  ): void {
    if (ctx.config.validate !== 'off') {
      const issues = ctx.validator.check(schema, body);
      if (issues) {
        ctx.logger.error(
          { schema, issues, method: req.method, path: req.originalUrl },
          'response failed its schema',
        );
        if (ctx.config.validate === 'fail') {
          const report = { error: 'response-schema-mismatch', schema, issues };
          sendText(res, 500, 'application/json', JSON.stringify(report), {
            [SCHEMA_MISMATCH_HEADER]: 'schema-mismatch',
          });
          return;
        }
      }
    }
    sendText(res, status, format.contentType, format.serialize(body), headers);
  };
}

export type Reply = ReturnType<typeof createResponder>;
