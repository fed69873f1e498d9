import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import { BodyCapture, tapRequest, tapResponse } from './capture.js';
import type { Journal } from './journal.js';
import { maskBody, maskHeaders } from './masking.js';

/**
 * Records every request outside `/__admin` with its answer. Installed in
 * front of the providers so it also sees 404s outside their paths and
 * connections a fault dropped.
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
    const time = new Date().toISOString();
    const started = performance.now();
    const { path, method } = req;
    const query = { ...(req.query as Record<string, string | string[]>) };
    const headers = maskHeaders(req.headers);

    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const answered = res.writableFinished;
      const contentType = res.getHeader('content-type') as string | undefined;
      const requestText = requestBody.text(req.headers['content-type']);
      const responseText = responseBody.text(contentType);
      journal.record({
        time,
        sandbox,
        provider: (res.locals.provider as string | undefined) ?? null,
        method,
        path,
        query,
        headers,
        request: {
          body: requestText === null ? null : maskBody(requestText),
          bytes: requestBody.total,
          truncated: requestBody.truncated,
        },
        status: answered ? res.statusCode : null,
        responseHeaders: answered ? maskHeaders(res.getHeaders()) : {},
        response: {
          body: answered && responseText !== null ? maskBody(responseText) : null,
          bytes: responseBody.total,
          truncated: responseBody.truncated,
        },
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        fault: (res.locals.fault as string | undefined) ?? null,
      });
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  };
}
