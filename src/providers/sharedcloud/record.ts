import type { Exchange } from '../../record/recording.js';
import { responseJson } from '../../record/recording.js';
import { type ImportAdapter, isObject, objectsIn, pathOnly } from '../../record/adapter.js';

const LIST = /^\/api\/v1\/images\/?$/;
const ONE = /^\/api\/v1\/images\/[^/]+\/?$/;

/** `DD-MM-YYYY HH:MM:SS` (UTC) back to the store's ISO form; anything else is left for the schema to refuse. */
function storedTimestamp(value: unknown): unknown {
  const m = typeof value === 'string' ? /^(\d{2})-(\d{2})-(\d{4}) (\d{2}:\d{2}:\d{2})$/.exec(value) : null;
  return m ? `${m[3]}-${m[2]}-${m[1]}T${m[4]}Z` : value;
}

/** Sharedcloud images: the per-response server time is dropped, timestamps go back to ISO. */
export const sharedcloudImport: ImportAdapter = {
  provider: 'sharedcloud',
  collection: 'images',
  records(exchange: Exchange) {
    if (exchange.request.method !== 'GET' || exchange.response.status !== 200) return [];
    const path = pathOnly(exchange);
    const body = responseJson(exchange);
    // the instance filter answers a subset; the catalogue order comes from the full list
    const wire = LIST.test(path) ? objectsIn(body, null) : ONE.test(path) && isObject(body) ? [body] : [];
    return wire.map(({ current_server_time: _serverTime, ...image }) => ({
      ...image,
      updated_at: storedTimestamp(image.updated_at),
      created_at: storedTimestamp(image.created_at),
    }));
  },
};
