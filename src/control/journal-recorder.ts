import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import { BodyCapture, tapRequest, tapResponse } from './capture.js';
import type { Journal } from './journal.js';
import { maskBody, maskHeaders } from './masking.js';

/**
 * Records every request outside `/__admin` with its answer. Installed in
 * front of the providers so it also sees 404s outside their paths and
 * connections a fault dropped.
 *
 * Answering is what the journal must not slow down, so a request only keeps
 * references (headers, raw body chunks); decoding, capping and masking
 * happen once, when the journal is first read (list, count, console).
 * Nothing unmasked is ever readable: the raw parts live only in the closure.
 */
export function journalRecorder(journal: Journal, sandbox: string | null): RequestHandler {
  return (req, res, next) => {
    if (!journal.recording || req.path === '/__admin' || req.path.startsWith('/__admin/')) return next();
    const limit = journal.settings.bodyBytes;
    const requestBody = new BodyCapture(limit);
    const responseBody = new BodyCapture(limit);
    tapRequest(req, requestBody);
    // Node drops the body of an answer to HEAD; so does the journal
    if (req.method !== 'HEAD') tapResponse(res, responseBody);
    const arrived = Date.now();
    const started = performance.now();
    const { path, method } = req;
    const query = { ...(req.query as Record<string, string | string[]>) };
    const requestHeaders = req.headers;

    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const answered = res.writableFinished;
      const responseHeaders = answered ? res.getHeaders() : null;
      const status = answered ? res.statusCode : null;
      const provider = (res.locals.provider as string | undefined) ?? null;
      const fault = (res.locals.fault as string | undefined) ?? null;
      const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      // sizes as they stand now: an upload may go on arriving after the answer
      const requestSizes = { bytes: requestBody.total, truncated: requestBody.truncated };
      const responseSizes = { bytes: responseBody.total, truncated: responseBody.truncated };
      journal.record(() => ({
        time: new Date(arrived).toISOString(),
        sandbox,
        provider,
        method,
        path,
        query,
        headers: maskHeaders(requestHeaders),
        request: { body: masked(requestBody, requestHeaders['content-type']), ...requestSizes },
        status,
        responseHeaders: responseHeaders ? maskHeaders(responseHeaders) : {},
        response: {
          body: responseHeaders
            ? masked(responseBody, responseHeaders['content-type'] as string | undefined)
            : null,
          ...responseSizes,
        },
        durationMs,
        fault,
      }));
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  };
}

function masked(capture: BodyCapture, contentType: string | undefined): string | null {
  const text = capture.text(contentType);
  return text === null ? null : maskBody(text);
}
