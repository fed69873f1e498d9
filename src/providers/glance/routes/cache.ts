import type { Request, Response } from 'express';
import type { Resource } from '../../../http/route-table.js';
import { callerFrom } from '../auth.js';
import { glanceErrors } from '../errors.js';
import { CLEAR_TARGET, CLEAR_TARGETS, type CacheRecord, cacheToWire } from '../model/cache.js';
import { errorDoc as error, type GlanceRoutes, send204, sendEmpty } from './kit.js';

const forbidden = error(403, 'Not an admin (cache_list, cache_image, cache_delete)');

/** The image cache API (admin only, as Glance's default policy has it), over the `cache` collection. */
export function cacheResources(k: GlanceRoutes): Resource[] {
  const { ctx, reply, catalog } = k;
  const cache = ctx.store.collection<CacheRecord>('glance', 'cache');

  const requireAdmin = (res: Response, action: string) => {
    if (!callerFrom(res).isAdmin)
      throw glanceErrors.forbidden(`You are not authorized to complete ${action} action.`);
  };

  const list = (req: Request, res: Response) => {
    requireAdmin(res, 'cache_list');
    reply(req, res, 200, cacheToWire(cache.all()), 'glance/cache');
  };

  const queue = async (req: Request, res: Response) => {
    requireAdmin(res, 'cache_image');
    const id = req.params.id as string;
    const image = catalog.get(id);
    if (!image) throw glanceErrors.notFound(`Image ${id} not found.`);
    if (image.status !== 'active') {
      throw glanceErrors.badRequest('Only images with status active can be targeted for queueing');
    }
    await k.queueForCache(image);
    sendEmpty(res, 202);
  };

  const remove = async (req: Request, res: Response) => {
    requireAdmin(res, 'cache_delete');
    const id = req.params.id as string;
    if (!catalog.get(id)) throw glanceErrors.notFound(`Image ${id} not found.`);
    if (cache.has(id)) await cache.remove(id);
    send204(res);
  };

  const clear = async (req: Request, res: Response) => {
    requireAdmin(res, 'cache_delete');
    const target = req.get(CLEAR_TARGET) ?? '';
    if (!CLEAR_TARGETS.includes(target)) {
      throw glanceErrors.badRequest(
        "If provided 'x-image-cache-clear-target' must be 'cache', 'queue' or empty string.",
      );
    }
    const kept =
      target === '' ? [] : cache.all().filter((e) => e.state !== (target === 'cache' ? 'cached' : 'queued'));
    await cache.replaceAll(kept);
    send204(res);
  };

  return [
    {
      path: '/cache',
      operations: {
        GET: {
          summary: 'The cached and queued images (admin)',
          responses: [{ status: 200, description: 'The cache', schema: 'glance/cache' }, forbidden],
          handler: list,
        },
        DELETE: {
          summary: 'Clear the cache, the queue or both (x-image-cache-clear-target: cache, queue or empty)',
          parameters: [{ name: CLEAR_TARGET, in: 'header', description: 'cache, queue or empty (both)' }],
          responses: [
            { status: 204, description: 'Cleared (empty body)' },
            error(400, 'Another clear target'),
            forbidden,
          ],
          handler: clear,
        },
      },
    },
    {
      path: '/cache/:id',
      operations: {
        PUT: {
          summary: 'Queue an active image for caching (admin); the prefetcher caches it about a second later',
          responses: [
            { status: 202, description: 'Queued (empty body)' },
            error(400, 'The image is not active'),
            forbidden,
            error(404, 'No such image'),
          ],
          handler: queue,
        },
        DELETE: {
          summary: 'Remove an image from the cache (admin)',
          responses: [
            { status: 204, description: 'Removed (empty body)' },
            forbidden,
            error(404, 'No such image'),
          ],
          handler: remove,
        },
      },
    },
  ];
}
