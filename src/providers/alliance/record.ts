import { headerOf, responseJson } from '../../record/recording.js';
import { type ImportAdapter, isObject, objectsIn, pathOnly } from '../../record/adapter.js';

// Links the router derives from the id.
const DERIVED = ['schema', 'file'];

/** Alliance: the controller (X-Target-Ns) becomes the record's namespace; links are dropped. */
export const allianceImport: ImportAdapter = {
  provider: 'alliance',
  collection: 'images',
  records(exchange) {
    const { method } = exchange.request;
    const { status } = exchange.response;
    const path = pathOnly(exchange).replace(/\/$/, '');
    const namespace = headerOf(exchange.request.headers, 'x-target-ns');
    const body = responseJson(exchange);
    let wire: Record<string, unknown>[] = [];
    if (method === 'GET' && status === 200 && path === '/images') wire = objectsIn(body, 'images');
    else if (
      isObject(body) &&
      ((method === 'POST' && status === 201 && path === '/images') ||
        (/^\/images\/[^/]+$/.test(path) && status === 200 && ['GET', 'PATCH', 'PUT'].includes(method)))
    ) {
      wire = [body];
    }
    return wire.map((image) => {
      const record: Record<string, unknown> = { namespace };
      for (const [key, value] of Object.entries(image)) if (!DERIVED.includes(key)) record[key] = value;
      return record;
    });
  },
  deleted(exchange) {
    const m = /^\/images\/([^/]+)\/?$/.exec(pathOnly(exchange));
    return exchange.request.method === 'DELETE' && exchange.response.status === 200 && m ? [m[1]!] : [];
  },
};
