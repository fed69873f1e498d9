import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MockContext } from '../../../context.js';
import { bodyReader, readBody } from '../../../http/body.js';
import type { ResponseDoc } from '../../../http/route-table.js';
import { type Reply, sendText } from '../../../http/respond.js';
import { callerFrom } from '../auth.js';
import type { ImageData } from './image-data.js';
import { glanceErrors } from '../errors.js';
import { ImageAnswers } from './image-answers.js';
import type { Catalog } from '../model/index.js';
import type { ImageRecord } from '../model/image.js';
import type { Params } from '../model/list-query.js';
import type { TaskRecord } from '../model/tasks.js';
import { type CacheRecord, PREFETCH_DELAY_MS, unixTime } from '../model/cache.js';
import type { Collection } from '../../../store/collection.js';
import { Importer } from './importer.js';

/** What every group of /v2 routes shares. */
export interface GlanceRoutes {
  ctx: MockContext;
  reply: Reply;
  catalog: Catalog;
  data: ImageData;
  /** Image answers kept between requests (the cache, per version of what they show). */
  answers: ImageAnswers;
  /** Images whose bytes are arriving right now (Glance's `saving`). */
  uploading: Set<string>;
  tasks: Collection<TaskRecord>;
  importer: Importer;
  /** Puts an image in the cache, or counts a hit when it is there (Glance's cache middleware on a download). */
  cacheImage(image: ImageRecord, hit?: boolean): Promise<void>;
  /** PUT /v2/cache/{id}: queued now, cached by the prefetcher shortly after. */
  queueForCache(image: ImageRecord): Promise<void>;
  /** The image of `:id` if the caller may see it, else Glance's 404. */
  visibleImage(req: Request, res: Response): ImageRecord;
  /** The image of `:id` for a change only its owner (or an admin) may make. */
  ownImage(req: Request, res: Response, action: string): ImageRecord;
}

export function routeKit(ctx: MockContext, reply: Reply, catalog: Catalog, data: ImageData): GlanceRoutes {
  const tasks = ctx.store.collection<TaskRecord>('glance', 'tasks');
  const cache = ctx.store.collection<CacheRecord>('glance', 'cache');
  return {
    ctx,
    reply,
    catalog,
    data,
    answers: new ImageAnswers(ctx, catalog),
    uploading: new Set(),
    tasks,
    importer: new Importer(ctx, catalog, tasks, data),
    async cacheImage(image, hit = false) {
      const now = unixTime(ctx.clock.now());
      const entry = cache.get(image.id);
      if (entry?.state === 'cached') {
        if (hit) await cache.update(image.id, { hits: entry.hits + 1, last_accessed: now });
        return;
      }
      const cached = {
        state: 'cached' as const,
        hits: 0,
        last_accessed: now,
        last_modified: now,
        size: image.size ?? 0,
      };
      if (entry) await cache.update(image.id, cached);
      else await cache.insert({ image_id: image.id, ...cached });
    },
    async queueForCache(image) {
      if (cache.has(image.id)) return;
      const now = unixTime(ctx.clock.now());
      await cache.insert({
        image_id: image.id,
        state: 'queued',
        hits: 0,
        last_accessed: now,
        last_modified: now,
        size: image.size ?? 0,
      });
      // the prefetcher's turn; a queue cleared (or an image deleted) meanwhile leaves nothing to cache
      setTimeout(() => {
        const queued = cache.get(image.id);
        const current = catalog.get(image.id);
        if (queued?.state === 'queued' && current) this.cacheImage(current).catch(() => undefined);
      }, PREFETCH_DELAY_MS).unref();
    },
    visibleImage(req, res) {
      const id = req.params.id as string;
      const image = catalog.get(id);
      if (!image || !catalog.visible(callerFrom(res), image)) throw glanceErrors.noImage(id);
      return image;
    },
    ownImage(req, res, action) {
      const id = req.params.id as string;
      const caller = callerFrom(res);
      const image = catalog.get(id);
      if (!image || !catalog.visible(caller, image)) throw glanceErrors.notFound(`Image ${id} not found.`);
      if (!caller.isAdmin && image.owner !== caller.projectId) {
        throw glanceErrors.forbidden(`Not allowed to ${action} for image ${id}.`);
      }
      return image;
    },
  };
}

/** One error answer of a /v2 route, for the OpenAPI document. */
export const errorDoc = (status: number, description: string): ResponseDoc => ({
  status,
  description,
  schema: 'glance/error',
});

/** The request id Glance's context middleware gave this request. */
export const requestIdOf = (res: Response) => String(res.getHeader('X-Openstack-Request-Id'));

/** Glance's context middleware names every request it handles. */
export function requestId(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Openstack-Request-Id', `req-${randomUUID()}`);
  next();
}

/** The request's media type, lower case, without parameters ('' when none). */
export const mediaTypeOf = (req: Request) =>
  (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/** Image data (upload, stage) comes as application/octet-stream; Glance's 415 names what came instead. */
export function requireOctetStream(req: Request): void {
  if (mediaTypeOf(req) !== 'application/octet-stream') {
    throw glanceErrors.unsupportedMediaType(req.get('content-type') ?? 'None');
  }
}

/** The query string as webob reads it: ordered pairs, repeated names kept. */
export function queryPairs(req: Request): Params {
  const at = req.originalUrl.indexOf('?');
  return at < 0 ? [] : [...new URLSearchParams(req.originalUrl.slice(at + 1))];
}

/** One text body reader per instance, built once rather than on every create or update. */
const textReaders = new WeakMap<MockContext, RequestHandler>();
function textReader(ctx: MockContext): RequestHandler {
  let read = textReaders.get(ctx);
  if (!read) textReaders.set(ctx, (read = bodyReader(ctx, { as: 'text' })));
  return read;
}

/**
 * Glance's JSON request body: read whatever the content type says, "Body
 * expected" when there is none (no Content-Length, not chunked), "Malformed
 * JSON" when it does not parse.
 */
export async function readJsonBody(ctx: MockContext, req: Request, res: Response): Promise<unknown> {
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!chunked && !(Number(req.headers['content-length'] ?? 0) > 0)) {
    throw glanceErrors.badRequest('Body expected in request.');
  }
  await readBody(textReader(ctx), req, res);
  try {
    return JSON.parse(typeof req.body === 'string' ? req.body : '');
  } catch {
    throw glanceErrors.badRequest('Malformed JSON in request body.');
  }
}

/** Glance's empty answers: still labelled text/html, with a zero length. */
export function sendEmpty(res: Response, status: 202 | 204): void {
  sendText(res, status, 'text/html; charset=UTF-8', '', { 'Content-Length': '0' });
}

/** Glance's usual empty answer: 204. */
export const send204 = (res: Response) => sendEmpty(res, 204);
