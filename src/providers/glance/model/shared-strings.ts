import type { ImageRecord } from './image.js';

/** Fields whose values repeat across images (owners, formats, the hashes of copies of one upload ...). */
const REPEATING = [
  'owner',
  'status',
  'visibility',
  'disk_format',
  'container_format',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
] as const satisfies readonly (keyof ImageRecord)[];

/**
 * Makes equal strings of a freshly loaded collection one string in memory.
 * JSON.parse gives every value of every record a copy of its own: at
 * 100,000 images the owner, the hashes and the timestamps alone are tens of
 * megabytes of duplicates, and V8 lets the heap grow to a multiple of what
 * is live. Strings are immutable, so which copy a record points at cannot
 * be observed; the pool lives only for the pass.
 */
export function shareEqualStrings(images: readonly ImageRecord[]): void {
  const pool = new Map<string, string>();
  const one = (s: string) => {
    const known = pool.get(s);
    if (known !== undefined) return known;
    pool.set(s, s);
    return s;
  };
  for (const image of images) {
    const fields = image as unknown as Record<string, unknown>;
    for (const field of REPEATING) {
      const value = fields[field];
      if (typeof value === 'string') fields[field] = one(value);
    }
    // an image never changed since its creation has the same instant twice
    if (image.updated_at === image.created_at) image.updated_at = image.created_at;
    // a hand-edited store file may lack these; the routes answer for that, not this pass
    const { properties, tags } = image as Partial<ImageRecord>;
    if (properties !== null && typeof properties === 'object') {
      // own, writable data properties (even one named __proto__): assignment writes them in place
      for (const key of Object.keys(properties)) properties[key] = one(properties[key]!);
    }
    if (Array.isArray(tags)) for (let i = 0; i < tags.length; i++) tags[i] = one(tags[i]!);
  }
}
