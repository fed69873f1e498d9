import { readFileSync } from 'node:fs';
import path from 'node:path';
import { schemasDir } from '../../paths.js';
import { responseJson } from '../../record/recording.js';
import { type ImportAdapter, isObject, objectsIn, pathOnly } from '../../record/adapter.js';

// Wire fields that are links or derived: the store rebuilds them.
const DERIVED = ['self', 'file', 'schema', 'direct_url', 'locations', 'stores'];
// The stored record's own fields, as the provider's schema lists them; everything else is a custom property.
const BASE = Object.keys(
  (
    JSON.parse(readFileSync(path.join(schemasDir, 'glance', 'stored-image.json'), 'utf8')) as {
      properties: Record<string, unknown>;
    }
  ).properties,
).filter((key) => key !== 'properties');

/** Glance v2: base fields as they are, every other key is a custom property (always a string). */
function stored(wire: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const key of BASE) record[key] = wire[key];
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wire)) {
    if (!BASE.includes(key) && !DERIVED.includes(key)) properties[key] = value;
  }
  record.properties = properties;
  return record;
}

export const glanceImport: ImportAdapter = {
  provider: 'glance',
  collection: 'images',
  records(exchange) {
    const { method } = exchange.request;
    const { status } = exchange.response;
    const path = pathOnly(exchange);
    const body = responseJson(exchange);
    if (method === 'GET' && status === 200 && path === '/v2/images')
      return objectsIn(body, 'images').map(stored);
    const one = /^\/v2\/images\/[^/]+$/.test(path);
    if (
      isObject(body) &&
      ((method === 'POST' && path === '/v2/images' && status === 201) ||
        (one && ((method === 'GET' && status === 200) || (method === 'PATCH' && status === 200))))
    ) {
      return [stored(body)];
    }
    return [];
  },
  // The store keeps images in creation order, which settles same-second ties in
  // Glance's lists (newest first): oldest first, and of one second the one a
  // newest-first list showed last first.
  storeOrder(records) {
    const at = (r: Record<string, unknown>) => String(r.created_at);
    return [...records].reverse().sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
  },
  deleted(exchange) {
    const m = /^\/v2\/images\/([^/]+)$/.exec(pathOnly(exchange));
    return exchange.request.method === 'DELETE' && exchange.response.status === 204 && m ? [m[1]!] : [];
  },
};
