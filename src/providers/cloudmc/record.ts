import type { SectionView } from '../../store/store.js';
import type { Exchange } from '../../record/recording.js';
import { responseJson } from '../../record/recording.js';
import { type ImportAdapter, isObject, objectsIn, pathOnly } from '../../record/adapter.js';

const ROUTE = /^\/api\/v[12]\/services\/([^/]+)\/([^/]+)\/images(?:\/(.+))?$/;

interface Connection {
  serviceCode: string;
  systemStackId: string;
  environments: { name: string; stackId: string }[];
}

/**
 * CloudMC lists and gets carry the wire image; the store also needs the
 * service, the environment (null for a default image, which lives in the
 * service's system stack) and the hidden deprecated flag.
 */
export const cloudmcImport: ImportAdapter = {
  provider: 'cloudmc',
  collection: 'images',
  records(exchange: Exchange, current: SectionView) {
    if (exchange.request.method !== 'GET' || exchange.response.status !== 200) return [];
    const route = ROUTE.exec(pathOnly(exchange));
    if (!route) return [];
    const [, serviceCode, environment] = route as unknown as [string, string, string];
    const body = responseJson(exchange);
    const wire = isObject(body) && isObject(body.data) ? [body.data] : objectsIn(body, 'data');
    const connection = (current.connections as Connection[] | undefined)?.find(
      (c) => c.serviceCode === serviceCode,
    );
    return wire.map((image) => {
      const env = connection?.environments.find((e) => e.name === environment);
      const isDefault = connection !== undefined && image.stackId !== env?.stackId;
      return {
        serviceCode,
        environment: isDefault ? null : environment,
        deprecated: false,
        ...image,
      };
    });
  },
};
