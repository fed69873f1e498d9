// Glance's metadata definitions (namespaces, objects, properties, tags, resource types and their
// associations) over the store's collections, with the visibility rules the metadefs routes share.
import { type Collection, groupBy } from '../../../store/collection.js';
import type { Frozen } from '../../../store/frozen.js';
import type { Store } from '../../../store/store.js';
import type { Caller } from './image.js';

export interface NamespaceRecord {
  id: number;
  namespace: string;
  display_name: string | null;
  description: string | null;
  /** null as db_load_metadefs leaves it when the file has none: shown `private`, matched by no filter. */
  visibility: 'public' | 'private' | null;
  protected: boolean;
  owner: string | null;
  created_at: string;
  updated_at: string | null;
}
export type PropertySchema = Record<string, unknown>;
export interface ObjectRecord {
  id: number;
  namespace_id: number;
  name: string;
  description: string | null;
  required: readonly string[] | null;
  properties: Record<string, PropertySchema> | null;
  created_at: string;
  updated_at: string | null;
}
export interface PropertyRecord {
  id: number;
  namespace_id: number;
  name: string;
  schema: PropertySchema;
  created_at: string;
  updated_at: string | null;
}
export interface TagRecord {
  id: number;
  namespace_id: number;
  name: string;
  created_at: string;
  updated_at: string | null;
}
export interface ResourceTypeRecord {
  name: string;
  protected: boolean;
  created_at: string;
  updated_at: string | null;
}
export interface AssociationRecord {
  namespace_id: number;
  name: string;
  prefix: string | null;
  properties_target: string | null;
  created_at: string;
  updated_at: string | null;
}
export type MetadefData = {
  metadef_namespaces: NamespaceRecord[];
  metadef_objects: ObjectRecord[];
  metadef_properties: PropertyRecord[];
  metadef_tags: TagRecord[];
  metadef_resource_types: ResourceTypeRecord[];
  metadef_associations: AssociationRecord[];
};

const numericId = (r: { id: number }) => (typeof r.id === 'number' ? String(r.id) : undefined);
const byNamespace = groupBy((r: { namespace_id: number }) => String(r.namespace_id));
const associationId = (r: AssociationRecord) =>
  typeof r.namespace_id === 'number' && typeof r.name === 'string'
    ? `${r.namespace_id}/${r.name}`
    : undefined;

export const metadefCollections = {
  metadef_namespaces: { id: numericId, sharedStrings: ['owner', 'visibility', 'created_at', 'updated_at'] },
  metadef_objects: { id: numericId, indexes: { namespace: byNamespace } },
  metadef_properties: { id: numericId, indexes: { namespace: byNamespace } },
  metadef_tags: { id: numericId, indexes: { namespace: byNamespace } },
  metadef_resource_types: { id: (r: ResourceTypeRecord) => r.name },
  metadef_associations: { id: associationId, indexes: { namespace: byNamespace } },
};

/** Glance's PropertyType keys, in its serializer's order. */
const PROPERTY_KEYS = [
  'name',
  'type',
  'title',
  'description',
  'operators',
  'default',
  'readonly',
  'minimum',
  'maximum',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'confidential',
  'items',
  'uniqueItems',
  'minItems',
  'maxItems',
  'additionalItems',
];

function pythonStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

export function propertyToStored(input: Record<string, unknown>): PropertySchema {
  const out: PropertySchema = {};
  for (const key of PROPERTY_KEYS) {
    if (key === 'name' || !Object.hasOwn(input, key) || input[key] === null) continue;
    const value = input[key];
    if (key === 'default') out.default = pythonStr(value);
    else if ((key === 'minimum' || key === 'maximum') && typeof value === 'number')
      out[key] = Math.trunc(value);
    else if (key === 'items' && value && typeof value === 'object') {
      const items = value as Record<string, unknown>;
      const kept: Record<string, unknown> = {};
      if (items.type !== undefined && items.type !== null) kept.type = items.type;
      if (Array.isArray(items.enum)) kept.enum = items.enum.map(pythonStr);
      out.items = kept;
    } else if (key === 'enum' && Array.isArray(value)) out.enum = value.map(pythonStr);
    else out[key] = value;
  }
  return out;
}

export function propertiesToStored(input: Record<string, unknown>): Record<string, PropertySchema> {
  return Object.fromEntries(
    Object.entries(input).map(([name, schema]) => [
      name,
      propertyToStored(schema as Record<string, unknown>),
    ]),
  );
}

export type Visibility = 'visible' | 'hidden' | 'missing';

export class Metadefs {
  readonly namespaces: Collection<NamespaceRecord>;
  readonly objects: Collection<ObjectRecord>;
  readonly properties: Collection<PropertyRecord>;
  readonly tags: Collection<TagRecord>;
  readonly resourceTypes: Collection<ResourceTypeRecord>;
  readonly associations: Collection<AssociationRecord>;

  constructor(store: Store) {
    this.namespaces = store.collection<NamespaceRecord>('glance', 'metadef_namespaces');
    this.objects = store.collection<ObjectRecord>('glance', 'metadef_objects');
    this.properties = store.collection<PropertyRecord>('glance', 'metadef_properties');
    this.tags = store.collection<TagRecord>('glance', 'metadef_tags');
    this.resourceTypes = store.collection<ResourceTypeRecord>('glance', 'metadef_resource_types');
    this.associations = store.collection<AssociationRecord>('glance', 'metadef_associations');
  }

  visible(caller: Caller, ns: NamespaceRecord): boolean {
    return caller.isAdmin || ns.owner === null || ns.visibility === 'public' || ns.owner === caller.projectId;
  }

  byName(name: string): Frozen<NamespaceRecord> | undefined {
    return this.namespaces.find((ns) => ns.namespace === name);
  }

  lookup(caller: Caller, name: string): { state: Visibility; ns?: Frozen<NamespaceRecord> } {
    const ns = this.byName(name);
    if (!ns) return { state: 'missing' };
    if (!this.visible(caller, ns)) return { state: 'hidden' };
    return { state: 'visible', ns };
  }

  nextId<R extends { id: number }>(collection: Collection<R>): number {
    let max = 0;
    for (const r of collection.all()) if (r.id > max) max = r.id;
    return max + 1;
  }

  objectsOf(nsId: number) {
    return this.objects.by('namespace', String(nsId));
  }
  propertiesOf(nsId: number) {
    return this.properties.by('namespace', String(nsId));
  }
  tagsOf(nsId: number) {
    return this.tags.by('namespace', String(nsId));
  }
  associationsOf(nsId: number) {
    return this.associations.by('namespace', String(nsId));
  }

  async removeNamespace(ns: Frozen<NamespaceRecord>): Promise<void> {
    await Promise.all([
      ...this.objectsOf(ns.id).map((o) => this.objects.remove(String(o.id))),
      ...this.propertiesOf(ns.id).map((p) => this.properties.remove(String(p.id))),
      ...this.tagsOf(ns.id).map((t) => this.tags.remove(String(t.id))),
      ...this.associationsOf(ns.id).map((a) => this.associations.remove(`${a.namespace_id}/${a.name}`)),
      this.namespaces.remove(String(ns.id)),
    ]);
  }
}

/** SQL order with NULLs first (as sqlite sorts them). */
export function compareColumn(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // what is left are strings (names, timestamps) as the namespaces store them
  return (a as string) < (b as string) ? -1 : 1;
}

/** paginate_query: sort by key, then created_at, then id, one direction. */
export function sortRecords<R extends { id: number; created_at: string }>(
  records: readonly R[],
  key: string,
  dir: 'asc' | 'desc',
): R[] {
  const keys = [key, 'created_at', 'id'].filter((k, i, all) => all.indexOf(k) === i);
  const sign = dir === 'asc' ? 1 : -1;
  return [...records].sort((a, b) => {
    for (const k of keys) {
      const c = compareColumn((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
      if (c !== 0) return sign * c;
    }
    return 0;
  });
}
