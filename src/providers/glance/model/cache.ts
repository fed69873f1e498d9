/**
 * Glance's image cache (the cache middleware and /v2/cache). An image
 * queued by PUT /v2/cache/{id} is cached at once (a single-node Glance's
 * prefetcher does so before the next request), and so is an image on its
 * first download; every later download is a hit. Times are Unix seconds
 * with a fraction, as Glance's cache database keeps them.
 */
export interface CacheRecord {
  image_id: string;
  hits: number;
  last_accessed: number;
  last_modified: number;
  size: number;
}

/** The header DELETE /v2/cache reads, and what it may say. */
export const CLEAR_TARGET = 'x-image-cache-clear-target';
export const CLEAR_TARGETS: readonly string[] = ['', 'cache', 'queue'];

export const unixTime = (d: Date) => d.getTime() / 1000;

/** GET /v2/cache: the cached images in Glance's field order; nothing stays queued. */
export function cacheToWire(entries: readonly CacheRecord[]) {
  return {
    cached_images: entries.map((e) => ({
      image_id: e.image_id,
      hits: e.hits,
      last_accessed: e.last_accessed,
      last_modified: e.last_modified,
      size: e.size,
    })),
    queued_images: [] as string[],
  };
}
