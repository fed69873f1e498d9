import type { Request, Response } from 'express';
import type { ParameterDoc } from '../../../../http/route-table.js';
import type { Frozen } from '../../../../store/frozen.js';
import { glanceTimestamp } from '../../../../validation/openstack-image.js';
import { callerFrom } from '../../auth.js';
import { glanceErrors } from '../../errors.js';
import type { Caller } from '../../model/image.js';
import { metadefSchemaFailure } from '../../model/metadefs-schema.js';
import {
  Metadefs,
  type NamespaceRecord,
  type ObjectRecord,
  propertiesToStored,
  sortRecords,
} from '../../model/metadefs.js';
import { errorDoc as error, type GlanceRoutes, readJsonBody } from '../kit.js';
import { associationWire, type Body, namespaceWire, nonEmpty, objectWire, READ_ONLY } from './wire.js';

export const notAuthorized = (action: string) =>
  glanceErrors.forbidden(`You are not authorized to complete ${action} action.`);

export const paging: ParameterDoc[] = [
  { name: 'limit', in: 'query', description: 'Page size (default 25, at most 1000)' },
  { name: 'marker', in: 'query', description: 'The last name of the previous page' },
  { name: 'sort_key', in: 'query', description: 'Column to sort by (default created_at)' },
  { name: 'sort_dir', in: 'query', description: 'asc or desc (default desc)' },
];

export const nsMissing = error(404, 'No such namespace visible to the caller');
export const adminOnly = error(
  403,
  'Not an admin (writes are admin-only in Glance 25), or the namespace is protected',
);
export const badBody = error(400, 'No body, not JSON, or not what the schema allows');

export const nsPath = '/metadefs/namespaces/:namespace';

/** What every metadefs route shares: the model, body checks, lookups and query validators. */
export function metadefKit(k: GlanceRoutes) {
  const { ctx, reply } = k;
  const md = new Metadefs(ctx.store);
  const now = () => glanceTimestamp(ctx.clock.now());
  const schemaOf = (name: string) => ctx.validator.schema(`glance/metadefs/${name}`);

  /** The deserializer's checks: read-only keys (403), then the request schema (400). */
  const checkedBody = async (req: Request, res: Response, schema: string, readOnly = READ_ONLY) => {
    const body = (await readJsonBody(ctx, req, res)) as Body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw glanceErrors.badRequest(
        metadefSchemaFailure(schemaOf(schema), body) ?? 'Malformed JSON in request body.',
      );
    }
    for (const key of readOnly) {
      if (Object.hasOwn(body, key)) throw glanceErrors.forbidden(`Attribute '${key}' is read-only.`);
    }
    const failure = metadefSchemaFailure(schemaOf(schema), body);
    if (failure) throw glanceErrors.badRequest(failure);
    return body;
  };

  /** ns_repo.get as most controllers use it: hidden and missing both answer "Namespace X not found". */
  const namespaceOf = (req: Request, res: Response): Frozen<NamespaceRecord> => {
    const name = req.params.namespace as string;
    const found = md.lookup(callerFrom(res), name);
    if (!found.ns) throw glanceErrors.notFound(`Namespace ${name} not found`);
    return found.ns;
  };
  /** The objects controller lets the database's own "not found" through. */
  const namespaceForObjects = (req: Request, res: Response): Frozen<NamespaceRecord> => {
    const name = req.params.namespace as string;
    const found = md.lookup(callerFrom(res), name);
    if (found.state === 'missing') {
      throw glanceErrors.notFound(`Metadata definition namespace=${name} was not found.`);
    }
    if (!found.ns) throw glanceErrors.notFound(`Namespace ${name} not found`);
    return found.ns;
  };
  const admin = (caller: Caller, action: string) => {
    if (!caller.isAdmin) throw notAuthorized(action);
  };
  const unprotected = (ns: NamespaceRecord, message: string) => {
    if (ns.protected) throw glanceErrors.forbidden(message);
  };
  const nsProtected = (ns: NamespaceRecord) =>
    `Metadata definition namespace ${ns.namespace} is protected and cannot be deleted.`;

  const validLimit = (params: Map<string, string>) => {
    const raw = params.get('limit');
    if (raw === undefined) return 25;
    // Glance's int() of a non-integer limit is a 500 there; the mock answers the 400 it meant
    if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw glanceErrors.badRequest('limit param must be an integer');
    return Math.min(1000, Number(raw));
  };
  const validSortDir = (params: Map<string, string>) => {
    const dir = params.get('sort_dir') ?? 'desc';
    if (dir !== 'asc' && dir !== 'desc') throw glanceErrors.badRequest(`Invalid sort direction: ${dir}`);
    return dir;
  };
  const validSortKey = (params: Map<string, string>, columns: string[]) => {
    const key = params.get('sort_key') ?? 'created_at';
    // an unknown column is a 500 in Glance; the mock answers 400 instead
    if (!columns.includes(key)) throw glanceErrors.badRequest(`Invalid sort key: ${key}`);
    return key;
  };
  const positive = (limit: number) => {
    if (limit < 0) throw glanceErrors.badRequest('limit param must be positive');
    return limit;
  };

  const fullNamespace = (ns: NamespaceRecord, resourceType?: string) => {
    const associations = md.associationsOf(ns.id);
    let prefix: string | null = null;
    if (resourceType) prefix = associations.find((a) => a.name === resourceType)?.prefix ?? null;
    const named = (name: string) => (prefix ? prefix + name : name);
    const props = md.propertiesOf(ns.id);
    const objects = md.objectsOf(ns.id).map((o) => {
      const wire = objectWire(o, ns.namespace);
      if (!prefix) return wire;
      return {
        ...wire,
        required: wire.required?.map(named),
        properties: Object.fromEntries(Object.entries(wire.properties ?? {}).map(([n, s]) => [named(n), s])),
      };
    });
    const tags = sortRecords(md.tagsOf(ns.id), 'created_at', 'desc').map((t) => ({ name: t.name }));
    return namespaceWire(ns, {
      resource_type_associations: nonEmpty(associations.map(associationWire)),
      properties: props.length ? Object.fromEntries(props.map((p) => [named(p.name), p.schema])) : undefined,
      objects: nonEmpty(objects),
      tags: nonEmpty(tags),
    });
  };

  const objectRecord = (nsId: number, id: number, o: Body, stamp: string): ObjectRecord => ({
    id,
    namespace_id: nsId,
    name: o.name as string,
    description: (o.description as string | undefined) ?? null,
    required: (o.required as string[] | undefined) ?? null,
    properties: o.properties ? propertiesToStored(o.properties as Body) : null,
    created_at: stamp,
    updated_at: stamp,
  });

  const associate = async (ns: NamespaceRecord, a: Body, stamp: string) => {
    const name = a.name as string;
    if (!md.resourceTypes.get(name)) {
      await md.resourceTypes.insert({ name, protected: false, created_at: stamp, updated_at: stamp });
    }
    if (md.associations.get(`${ns.id}/${name}`)) {
      throw glanceErrors.conflict(
        `The metadata definition resource-type association of resource-type=${name} to namespace=${ns.namespace} already exists.`,
      );
    }
    return md.associations.insert({
      namespace_id: ns.id,
      name,
      prefix: (a.prefix as string | undefined) ?? null,
      properties_target: (a.properties_target as string | undefined) ?? null,
      created_at: stamp,
      updated_at: stamp,
    });
  };

  const objectOf = (ns: NamespaceRecord, name: string) => {
    const o = md.objectsOf(ns.id).find((x) => x.name === name);
    if (!o) throw glanceErrors.notFound(`Could not find metadata object ${name}`);
    return o;
  };
  const propertyOf = (ns: NamespaceRecord, name: string) => {
    const p = md.propertiesOf(ns.id).find((x) => x.name === name);
    if (!p) throw glanceErrors.notFound(`Could not find property ${name}`);
    return p;
  };
  const tagOf = (ns: NamespaceRecord, name: string) => {
    const t = md.tagsOf(ns.id).find((x) => x.name === name);
    if (!t) throw glanceErrors.notFound(`Could not find metadata tag ${name}`);
    return t;
  };
  const tagConflict = (name: string, ns: NamespaceRecord) =>
    glanceErrors.conflict(
      `A metadata tag with name=${name} already exists in namespace=${ns.namespace}. (Please note that metadata tag names are case insensitive).`,
    );

  return {
    ctx,
    reply,
    md,
    now,
    schemaOf,
    checkedBody,
    namespaceOf,
    namespaceForObjects,
    admin,
    unprotected,
    nsProtected,
    validLimit,
    validSortDir,
    validSortKey,
    positive,
    fullNamespace,
    objectRecord,
    associate,
    objectOf,
    propertyOf,
    tagOf,
    tagConflict,
  };
}

export type MetadefKit = ReturnType<typeof metadefKit>;
