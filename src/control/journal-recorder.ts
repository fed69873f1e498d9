import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parse as parseQuery } from 'node:querystring';
import type { RequestHandler, Response } from 'express';
import { isAdminPath } from '../admin/paths.js';
import { writtenBody } from '../http/respond.js';
import { isTextualType } from '../http/content-type.js';
import { BodyCapture, tapRequest } from './capture.js';
import type { Journal, JournalEntry, PendingEntry } from './journal.js';
import { maskBody, maskHeaders, maskQuery } from './masking.js';

/**
 * One request on its way into the journal: references only while it is
 * answered (its headers, the raw chunks of a request body), the answer's
 * facts once it is done, and the decoded, capped, masked entry made only
 * when the journal is read. One object per request, no closures: the
 * journal is on by default and must not slow answering down. Everything it
 * holds lives until the entry is dropped, past many young-generation
 * collections, so each object it does not allocate is one the GC does not
 * copy and promote.
 */
class Recording implements PendingEntry {
  id = 0;
  readonly arrived = Date.now();
  readonly started = performance.now();
  status: number | null = null;
  responseHeaders: OutgoingHttpHeaders | null = null;
  provider: string | null = null;
  fault: string | null = null;
  durationMs = 0;
  /** The written body when it fits the journal's cap (a reference), else a copy of its first bytes. */
  responseBody: string | Buffer | null = null;
  /** The whole answer's size: written or streamed. */
  responseBytes = 0;
  /** The journal's cap when the written answer was taken; null for a streamed one. */
  responseLimit: number | null = null;
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
    const announced = Number(this.responseHeaders['content-length']);
    if (written === undefined) {
      // a streamed body (image data) is binary: known by its announced length
      this.responseBytes = announced || 0;
      return;
    }
    const bytes = Number.isInteger(announced) ? announced : Buffer.byteLength(written);
    const limit = this.journal.bodyBytes;
    this.responseBytes = bytes;
    this.responseLimit = limit;
    // capped now, so an entry never holds a whole large answer: only the part under the cap, as a copy
    // (a view into a larger buffer would keep all of it alive)
    if (bytes <= limit) this.responseBody = written;
    else if (limit > 0)
      this.responseBody = Buffer.from(
        (typeof written === 'string' ? Buffer.from(written.slice(0, limit)) : written).subarray(0, limit),
      );
  }

  make(): Omit<JournalEntry, 'id'> {
    const headers = this.responseHeaders;
    return {
      time: new Date(this.arrived).toISOString(),
      sandbox: this.sandbox,
      provider: this.provider,
      method: this.method,
      path: this.path,
      query: maskQuery({ ...parseQuery(this.rawQuery) } as Record<string, string | string[]>),
      headers: maskHeaders(this.headers),
      request: {
        body: this.requestBody ? masked(this.requestBody, this.headers['content-type']) : null,
        bytes: this.requestBytes,
        truncated: this.requestTruncated,
      },
      status: this.status,
      responseHeaders: headers ? maskHeaders(headers) : {},
      response: !headers
        ? { body: null, bytes: 0, truncated: false }
        : this.responseLimit === null
          ? // streamed
            { body: null, bytes: this.responseBytes, truncated: this.responseBytes > this.journal.bodyBytes }
          : {
              body: this.responseText(headers['content-type'] as string | undefined),
              bytes: this.responseBytes,
              truncated: this.responseBytes > this.responseLimit,
            },
      durationMs: this.durationMs,
      fault: this.fault,
    };
  }

  private responseText(contentType: string | undefined): string | null {
    if (this.responseBytes === 0 || !isTextualType(contentType)) return null;
    const body = this.responseBody; // null when the cap is 0
    return maskBody(
      body === null ? '' : typeof body === 'string' ? body : body.toString('utf8'),
      contentType,
    );
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
    if (req.path === '/favicon.ico' && fromAdminPage(req.headers.referer)) return next();
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

/**
 * Whether a request came from a page of the admin plane: a browser showing
 * one (the JSON of /__admin/health, say) asks for /favicon.ico on its own,
 * which no client of a provider sent. The provider still answers it.
 */
function fromAdminPage(referer: string | undefined): boolean {
  if (referer === undefined) return false;
  try {
    return isAdminPath(new URL(referer).pathname);
  } catch {
    return false;
  }
}

function masked(capture: BodyCapture, contentType: string | undefined): string | null {
  const text = capture.text(contentType);
  return text === null ? null : maskBody(text, contentType);
}
