/**
 * Glance's image cache (the cache middleware and /v2/cache). An image
 * queued by PUT /v2/cache/{id} stays queued until the prefetcher caches it
 * (PREFETCH_DELAY_MS later); an image is also cached by its first
 * download, and every later download is a hit. Times are Unix seconds with
 * a fraction, as Glance's cache database keeps them.
 */
export interface CacheRecord {
  image_id: string;
  state: 'queued' | 'cached';
  hits: number;
  last_accessed: number;
  last_modified: number;
  size: number;
}

/** The header DELETE /v2/cache reads, and what it may say. */
export const CLEAR_TARGET = 'x-image-cache-clear-target';
export const CLEAR_TARGETS: readonly string[] = ['', 'cache', 'queue'];

export const unixTime = (d: Date) => d.getTime() / 1000;

/** How long a queued image waits for the prefetcher (a single-node Glance's takes about this long). */
export const PREFETCH_DELAY_MS = 1000;

/** GET /v2/cache: the cached images in Glance's field order, and the ids of the queued ones. */
export function cacheToWire(entries: readonly CacheRecord[]) {
  return {
    cached_images: entries
      .filter((e) => e.state === 'cached')
      .map((e) => ({
        image_id: e.image_id,
        hits: e.hits,
        last_accessed: e.last_accessed,
        last_modified: e.last_modified,
        size: e.size,
      })),
    queued_images: entries.filter((e) => e.state === 'queued').map((e) => e.image_id),
  };
}
