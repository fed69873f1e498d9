import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parse as parseQuery } from 'node:querystring';
import type { RequestHandler, Response } from 'express';
import { writtenBody } from '../http/respond.js';
import { BodyCapture, tapRequest } from './capture.js';
import type { Journal, JournalEntry, PendingEntry } from './journal.js';
import { maskBody, maskHeaders } from './masking.js';

/**
 * One request on its way into the journal: references only while it is
 * answered (its headers, the raw chunks of a request body), the answer's
 * facts once it is done, and the decoded, capped, masked entry made only
 * when the journal is read. One object per request, no closures: the
 * journal is on by default and must not slow answering down.
 */
class Recording implements PendingEntry {
  readonly arrived = Date.now();
  readonly started = performance.now();
  status: number | null = null;
  responseHeaders: OutgoingHttpHeaders | null = null;
  provider: string | null = null;
  fault: string | null = null;
  durationMs = 0;
  responseBody: BodyCapture | null = null;
  streamedBytes = 0;
  requestBytes = 0;
  requestTruncated = false;

  constructor(
    readonly journal: Journal,
    readonly sandbox: string | null,
    readonly method: string,
    readonly path: string,
    readonly rawQuery: string,
    readonly headers: IncomingHttpHeaders,
    readonly requestBody: BodyCapture | null,
  ) {}

  /** The answer's facts, taken when the connection is done with the request. */
  answered(res: Response): void {
    this.durationMs = Math.round((performance.now() - this.started) * 1000) / 1000;
    this.provider = (res.locals.provider as string | undefined) ?? null;
    this.fault = (res.locals.fault as string | undefined) ?? null;
    // sizes as they stand now: an upload may go on arriving after the answer
    this.requestBytes = this.requestBody?.total ?? 0;
    this.requestTruncated = this.requestBody?.truncated ?? false;
    if (!res.writableFinished) return; // dropped: no status, no answer
    this.status = res.statusCode;
    this.responseHeaders = res.getHeaders();
    if (this.method === 'HEAD') return; // Node sends no body to HEAD
    const written = writtenBody(res);
    if (written === undefined) {
      // a streamed body (image data) is binary: known by its announced length
      this.streamedBytes = Number(res.getHeader('content-length')) || 0;
      return;
    }
    // capped now, so an entry never holds a whole large answer
    this.responseBody = new BodyCapture(this.journal.bodyBytes);
    this.responseBody.add(written);
  }

  make(): Omit<JournalEntry, 'id'> {
    const response = this.responseBody;
    const limit = this.journal.bodyBytes;
    return {
      time: new Date(this.arrived).toISOString(),
      sandbox: this.sandbox,
      provider: this.provider,
      method: this.method,
      path: this.path,
      query: { ...parseQuery(this.rawQuery) } as Record<string, string | string[]>,
      headers: maskHeaders(this.headers),
      request: {
        body: this.requestBody ? masked(this.requestBody, this.headers['content-type']) : null,
        bytes: this.requestBytes,
        truncated: this.requestTruncated,
      },
      status: this.status,
      responseHeaders: this.responseHeaders ? maskHeaders(this.responseHeaders) : {},
      response: !this.responseHeaders
        ? { body: null, bytes: 0, truncated: false }
        : response
          ? {
              body: masked(response, this.responseHeaders['content-type'] as string | undefined),
              bytes: response.total,
              truncated: response.truncated,
            }
          : { body: null, bytes: this.streamedBytes, truncated: this.streamedBytes > limit },
      durationMs: this.durationMs,
      fault: this.fault,
    };
  }
}

const RECORDING = Symbol('journal recording');
/** Set by a server's app, whose one 'close' listener per request calls `recordAnswer`. */
export const ANSWER_WATCHED = Symbol('answer watched');

/**
 * Records every request outside `/__admin` with its answer. Installed in
 * front of the providers so it also sees 404s outside their paths and
 * connections a fault dropped. The app's one 'close' listener per request
 * (or, for an instance served on its own, the recorder's) hands the answer
 * to `recordAnswer`. Nothing unmasked is ever readable:
 * the raw parts live only in the pending entry.
 */
export function journalRecorder(journal: Journal, sandbox: string | null): RequestHandler {
  return (req, res, next) => {
    if (!journal.recording || req.path === '/__admin' || req.path.startsWith('/__admin/')) return next();
    const { url, headers } = req;
    const q = url.indexOf('?');
    (res.locals as Record<symbol, Recording>)[RECORDING] = new Recording(
      journal,
      sandbox,
      req.method,
      req.path,
      q < 0 ? '' : url.slice(q + 1),
      headers,
      // a GET has no body to watch; tapping only requests that announce one keeps reads cheap
      headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined
        ? tapRequest(req, new BodyCapture(journal.bodyBytes))
        : null,
    );
    // an instance router served on its own (createInstance) has no app listening for the answer
    if (!(res.locals as Record<symbol, boolean | undefined>)[ANSWER_WATCHED])
      res.once('close', () => recordAnswer(res));
    next();
  };
}

/**
 * Journals a request once its connection is done with it ('close' follows
 * 'finish' on an answered request and comes alone on a dropped one).
 */
export function recordAnswer(res: Response): void {
  const recording = (res.locals as Record<symbol, Recording | undefined>)[RECORDING];
  if (!recording) return;
  recording.answered(res);
  recording.journal.record(recording);
}

function masked(capture: BodyCapture, contentType: string | undefined): string | null {
  const text = capture.text(contentType);
  return text === null ? null : maskBody(text);
}
