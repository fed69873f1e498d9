import { glanceErrors } from '../errors.js';
import type { Catalog } from './index.js';
import type { Caller, ImageRecord } from './image.js';
import { compareBy, type ListQuery } from './list-query.js';

const isDefaultOrder = (q: ListQuery) =>
  q.sort.length === 2 &&
  q.sort[0]!.key === 'created_at' &&
  q.sort[1]!.key === 'id' &&
  q.sort[0]!.dir === q.sort[1]!.dir;

/**
 * One page of a caller's images. In the default order (either direction) it
 * walks the catalog's ordered index from the marker and stops when the page
 * is full, so a page costs the same at 100 or 100,000 images; other orders
 * sort the filtered set.
 */
export function listImages(
  catalog: Catalog,
  caller: Caller,
  q: ListQuery,
): { page: ImageRecord[]; next?: string } {
  let markerImage: ImageRecord | undefined;
  if (q.marker !== undefined) {
    markerImage = catalog.get(q.marker);
    if (!markerImage || !catalog.visible(caller, markerImage))
      throw glanceErrors.badRequest(`No image found with ID ${q.marker}`);
  }
  const wanted = (image: ImageRecord) =>
    catalog.listed(caller, image, q.visibility, q.memberStatus) && q.matches(image);
  const page: ImageRecord[] = [];
  if (q.limit > 0) {
    if (isDefaultOrder(q)) {
      if (q.sort[0]!.dir === 'desc') {
        for (let i = markerImage ? catalog.positionAfter(markerImage) : 0; i < catalog.size; i++) {
          const image = catalog.at(i)!;
          if (wanted(image) && page.push(image) === q.limit) break;
        }
      } else {
        const start = markerImage ? catalog.positionAfter(markerImage) - 2 : catalog.size - 1;
        for (let i = start; i >= 0; i--) {
          const image = catalog.at(i)!;
          if (wanted(image) && page.push(image) === q.limit) break;
        }
      }
    } else {
      const compare = compareBy(q.sort);
      const all = catalog.inDefaultOrder().filter(wanted);
      all.sort(compare);
      const start = markerImage ? all.findIndex((i) => compare(i, markerImage) > 0) : 0;
      if (start >= 0) page.push(...all.slice(start, start + q.limit));
    }
  }
  return page.length > 0 && page.length === q.limit ? { page, next: page[page.length - 1]!.id } : { page };
}
