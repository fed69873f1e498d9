import type { Request } from 'express';
import type {
  AssociationRecord,
  NamespaceRecord,
  ObjectRecord,
  PropertyRecord,
  TagRecord,
} from '../../model/metadefs.js';
import { queryPairs } from '../kit.js';

/** Python's urllib.parse.quote_plus. */
export function quotePlus(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9_.~-]/.test(c)) return c;
      if (c === ' ') return '+';
      return `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** webob's `dict(request.params)`: one entry per name, in first-seen order, the last value winning. */
export function queryDict(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of queryPairs(req)) out.set(k, v);
  return out;
}

export const urlencode = (params: Map<string, string>) =>
  [...params].map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join('&');

export const NS_SCHEMA = '/v2/schemas/metadefs/namespace';
export const OBJ_SCHEMA = '/v2/schemas/metadefs/object';
export const READ_ONLY = ['self', 'schema', 'created_at', 'updated_at'];

export type Body = Record<string, unknown>;
export const present = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;

export function associationWire(a: AssociationRecord) {
  return present({
    name: a.name,
    prefix: a.prefix,
    properties_target: a.properties_target,
    created_at: a.created_at,
    updated_at: a.updated_at,
  });
}

export function objectWire(o: ObjectRecord, nsName: string) {
  return present({
    name: o.name,
    required: o.required ?? [],
    description: o.description,
    properties: o.properties ?? {},
    created_at: o.created_at,
    updated_at: o.updated_at,
    self: `/v2/metadefs/namespaces/${nsName}/objects/${o.name}`,
    schema: OBJ_SCHEMA,
  });
}

export function tagWire(t: TagRecord) {
  return present({ name: t.name, created_at: t.created_at, updated_at: t.updated_at });
}

export function propertyWire(p: PropertyRecord) {
  return { name: p.name, ...p.schema };
}

/** A namespace in Glance's order; `extra` is what the answer adds (associations, properties, objects, tags). */
export function namespaceWire(ns: NamespaceRecord, extra: Record<string, unknown> = {}) {
  return present({
    namespace: ns.namespace,
    display_name: ns.display_name,
    description: ns.description,
    visibility: ns.visibility ?? 'private',
    protected: ns.protected,
    owner: ns.owner,
    created_at: ns.created_at,
    updated_at: ns.updated_at,
    resource_type_associations: extra.resource_type_associations,
    properties: extra.properties,
    objects: extra.objects,
    tags: extra.tags,
    self: `/v2/metadefs/namespaces/${ns.namespace}`,
    schema: NS_SCHEMA,
  });
}

export const nonEmpty = <T>(list: T[]) => (list.length > 0 ? list : undefined);
