import { parse as parseQuery } from 'node:querystring';
import { performance } from 'node:perf_hooks';
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler, Response } from 'express';
import { writtenBody } from '../http/respond.js';
import { BodyCapture, tapRequest } from './capture.js';
import type { Journal } from './journal.js';
import { maskBody, maskHeaders } from './masking.js';

/** What a request leaves behind for its journal entry: references only, nothing decoded or copied. */
interface Watched {
  journal: Journal;
  sandbox: string | null;
  arrived: number;
  started: number;
  method: string;
  path: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  requestBody: BodyCapture | null;
}

const WATCHED = Symbol('journal watch');

/**
 * Records every request outside `/__admin` with its answer. Installed in
 * front of the providers so it also sees 404s outside their paths and
 * connections a fault dropped.
 *
 * Answering is what the journal must not slow down: a request keeps
 * references (its headers, the raw chunks of a request body, the body
 * `sendText` wrote); the app's one 'close' listener per request hands the
 * answer to `recordAnswer`. Decoding, capping and masking happen once, when
 * the journal is first read (list, count, console). Nothing unmasked is
 * ever readable: the raw parts live only in the pending entry.
 */
export function journalRecorder(journal: Journal, sandbox: string | null): RequestHandler {
  return (req, res, next) => {
    if (!journal.recording || req.path === '/__admin' || req.path.startsWith('/__admin/')) return next();
    const { url } = req;
    const q = url.indexOf('?');
    const watched: Watched = {
      journal,
      sandbox,
      arrived: Date.now(),
      started: performance.now(),
      method: req.method,
      path: req.path,
      rawQuery: q < 0 ? '' : url.slice(q + 1),
      headers: req.headers,
      // a GET has no body to watch; tapping only requests that announce one keeps reads cheap
      requestBody:
        req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined
          ? tapRequest(req, new BodyCapture(journal.settings.bodyBytes))
          : null,
    };
    (res.locals as Record<symbol, Watched>)[WATCHED] = watched;
    next();
  };
}

/**
 * Journals a request once its connection is done with it ('close' follows
 * 'finish' on an answered request and comes alone on a dropped one).
 */
export function recordAnswer(res: Response): void {
  const w = (res.locals as Record<symbol, Watched | undefined>)[WATCHED];
  if (!w) return;
  const answered = res.writableFinished;
  const responseHeaders = answered ? res.getHeaders() : null;
  const status = answered ? res.statusCode : null;
  const provider = (res.locals.provider as string | undefined) ?? null;
  const fault = (res.locals.fault as string | undefined) ?? null;
  const durationMs = Math.round((performance.now() - w.started) * 1000) / 1000;
  // Node sends no body to HEAD; a streamed body (image data) is binary, known by its announced length
  const bodySent = answered && w.method !== 'HEAD';
  const written = bodySent ? writtenBody(res) : undefined;
  const streamedBytes = bodySent && written === undefined ? Number(res.getHeader('content-length')) || 0 : 0;
  const limit = w.journal.settings.bodyBytes;
  // sizes as they stand now: an upload may go on arriving after the answer
  const requestSizes = w.requestBody
    ? { bytes: w.requestBody.total, truncated: w.requestBody.truncated }
    : { bytes: 0, truncated: false };
  // capped now, so an entry never holds a whole large answer (only what the journal would show)
  const response = new BodyCapture(limit);
  if (written !== undefined) response.add(written);
  w.journal.record(() => {
    return {
      time: new Date(w.arrived).toISOString(),
      sandbox: w.sandbox,
      provider,
      method: w.method,
      path: w.path,
      query: { ...parseQuery(w.rawQuery) } as Record<string, string | string[]>,
      headers: maskHeaders(w.headers),
      request: {
        body: w.requestBody ? masked(w.requestBody, w.headers['content-type']) : null,
        ...requestSizes,
      },
      status,
      responseHeaders: responseHeaders ? maskHeaders(responseHeaders) : {},
      response: responseHeaders
        ? written !== undefined
          ? {
              body: masked(response, responseHeaders['content-type'] as string | undefined),
              bytes: response.total,
              truncated: response.truncated,
            }
          : { body: null, bytes: streamedBytes, truncated: streamedBytes > limit }
        : { body: null, bytes: 0, truncated: false },
      durationMs,
      fault,
    };
  });
}

function masked(capture: BodyCapture, contentType: string | undefined): string | null {
  const text = capture.text(contentType);
  return text === null ? null : maskBody(text);
}
