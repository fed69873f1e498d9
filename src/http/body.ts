import type { IncomingMessage } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { MockContext } from '../context.js';
import { verifyJsonBody } from './json-guard.js';

/**
 * How a route wants its body: parsed JSON (`req.body` is the value), text
 * (a string, checked as JSON text is: valid UTF-8, bounded nesting) or raw
 * bytes (a Buffer, for a route that parses form, multipart or JSON itself).
 */
export interface BodyRule {
  as: 'json' | 'text' | 'raw';
  /** Media types read; the others leave `req.body` unset. Every type by default. */
  type?: string | string[] | ((req: IncomingMessage) => boolean);
  /** Bytes accepted; the server's --max-body-bytes by default. */
  limit?: number;
}

const everyType = () => true;

/** Whether the request's Content-Length already says more than `limit` bytes are coming. */
export function announcedOver(req: IncomingMessage, limit: number): boolean {
  return Number(req.headers['content-length']) > limit;
}

/** body-parser's own too-large error, so every error handler classifies both the same way ('body-too-large'). */
const tooLarge = (limit: number) =>
  Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413, limit });

/**
 * The one body reader of every route (providers, the Keystone shim, the
 * Sharedcloud login, /__admin). body-parser parses, but on a body over its
 * limit it first reads the rest of it before reporting, so a client could
 * hold the socket until the request timeout. Here a body announced over the
 * limit is refused at once, and a streamed one as soon as its bytes cross
 * the limit; the refusal closes the connection, so nothing more is waited
 * for. Failures go to `next`, where the route's error handler words them in
 * its provider's format.
 */
export function bodyReader(ctx: MockContext, rule: BodyRule): RequestHandler {
  const limit = rule.limit ?? ctx.config.maxBodyBytes;
  const options = { limit, type: rule.type ?? everyType };
  const parse =
    rule.as === 'json'
      ? express.json({ ...options, strict: false, verify: verifyJsonBody })
      : rule.as === 'text'
        ? express.text({ ...options, verify: verifyJsonBody })
        : express.raw(options);
  return (req: Request, res: Response, next: NextFunction) => {
    const refuse = () => {
      res.setHeader('Connection', 'close');
      return tooLarge(limit);
    };
    if (announcedOver(req, limit)) return next(refuse());
    let settled = false;
    const push = req.push.bind(req);
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      next(err);
    };
    // counts bytes as the HTTP parser hands them over, without taking them from body-parser
    // (a pass-through once the body is read)
    let seen = 0;
    req.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (!settled && chunk !== null && (chunk as { length?: number }).length !== undefined) {
        seen += (chunk as { length: number }).length;
        if (seen > limit) settle(refuse());
      }
      return push(chunk, encoding);
    };
    parse(req, res, settle);
  };
}

/** A reader from `bodyReader`, inside a handler that first checks what it can without the body: resolves once `req.body` is set. */
export function readBody(read: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    // body-parser's failures are http-errors Errors; the router's error handler classifies them
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    read(req, res, (err?: unknown) => (err ? reject(err) : resolve())),
  );
}
