import type { SectionView } from '../store/store.js';
import type { Exchange } from './recording.js';

/** What `record import` knows about one provider's recorded answers. */
export interface ImportAdapter {
  provider: string;
  collection: string;
  /**
   * The records, in the provider's stored shape, that one successful
   * exchange shows (a list gives many, a get or create one). `current` is
   * the provider's store section, for facts the wire does not carry.
   */
  records(exchange: Exchange, current: SectionView): Record<string, unknown>[];
  /** Ids a successful delete removed (a record seen before it is not imported). */
  deleted?(exchange: Exchange): string[];
  /** The imported records in the order the store keeps them (default: first seen first). */
  storeOrder?(records: Record<string, unknown>[]): Record<string, unknown>[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The objects of a list envelope (`key` null: the body itself is the array) or a single object. */
export function objectsIn(body: unknown, key: string | null): Record<string, unknown>[] {
  const list = key === null ? body : isObject(body) ? body[key] : undefined;
  if (Array.isArray(list)) return list.filter(isObject);
  return [];
}

export const pathOnly = (exchange: Exchange) => exchange.request.path.split('?')[0]!;
export const queryOf = (exchange: Exchange) => new URLSearchParams(exchange.request.path.split('?')[1] ?? '');
export { isObject };
