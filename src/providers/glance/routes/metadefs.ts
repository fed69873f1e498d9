import type { Request, Response } from 'express';
import { publicBaseUrl } from '../../../http/base-url.js';
import type { ParameterDoc, Resource } from '../../../http/route-table.js';
import type { Frozen } from '../../../store/frozen.js';
import { glanceTimestamp } from '../../../validation/openstack-image.js';
import { callerFrom } from '../auth.js';
import { glanceErrors } from '../errors.js';
import type { Caller } from '../model/image.js';
import {
  type AssociationRecord,
  Metadefs,
  type NamespaceRecord,
  type ObjectRecord,
  type PropertyRecord,
  propertiesToStored,
  propertyToStored,
  sortRecords,
  type TagRecord,
} from '../model/metadefs.js';
import { metadefSchemaFailure } from '../model/metadefs-schema.js';
import { errorDoc as error, type GlanceRoutes, queryPairs, readJsonBody, send204 } from './kit.js';

/** Python's urllib.parse.quote_plus. */
function quotePlus(s: string): string {
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
function queryDict(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of queryPairs(req)) out.set(k, v);
  return out;
}

const urlencode = (params: Map<string, string>) =>
  [...params].map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join('&');

const NS_SCHEMA = '/v2/schemas/metadefs/namespace';
const OBJ_SCHEMA = '/v2/schemas/metadefs/object';
const READ_ONLY = ['self', 'schema', 'created_at', 'updated_at'];

type Body = Record<string, unknown>;
const present = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;

function associationWire(a: AssociationRecord) {
  return present({
    name: a.name,
    prefix: a.prefix,
    properties_target: a.properties_target,
    created_at: a.created_at,
    updated_at: a.updated_at,
  });
}

function objectWire(o: ObjectRecord, nsName: string) {
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

function tagWire(t: TagRecord) {
  return present({ name: t.name, created_at: t.created_at, updated_at: t.updated_at });
}

function propertyWire(p: PropertyRecord) {
  return { name: p.name, ...p.schema };
}

/** A namespace in Glance's order; `extra` is what the answer adds (associations, properties, objects, tags). */
function namespaceWire(ns: NamespaceRecord, extra: Record<string, unknown> = {}) {
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

const nonEmpty = <T>(list: T[]) => (list.length > 0 ? list : undefined);
const notAuthorized = (action: string) =>
  glanceErrors.forbidden(`You are not authorized to complete ${action} action.`);

const paging: ParameterDoc[] = [
  { name: 'limit', in: 'query', description: 'Page size (default 25, at most 1000)' },
  { name: 'marker', in: 'query', description: 'The last name of the previous page' },
  { name: 'sort_key', in: 'query', description: 'Column to sort by (default created_at)' },
  { name: 'sort_dir', in: 'query', description: 'asc or desc (default desc)' },
];

const nsMissing = error(404, 'No such namespace visible to the caller');
const adminOnly = error(
  403,
  'Not an admin (writes are admin-only in Glance 25), or the namespace is protected',
);
const badBody = error(400, 'No body, not JSON, or not what the schema allows');

/** /v2/metadefs/...: namespaces, their objects, properties, tags and resource type associations. */
export function metadefResources(k: GlanceRoutes): Resource[] {
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

  const NS_COLUMNS = [
    'id',
    'namespace',
    'display_name',
    'description',
    'visibility',
    'protected',
    'owner',
    'created_at',
    'updated_at',
  ];

  const listNamespaces = (req: Request, res: Response) => {
    const caller = callerFrom(res);
    const params = queryDict(req);
    const limit = validLimit(params);
    const dir = validSortDir(params);
    const visibility = params.get('visibility');
    if (visibility && visibility !== 'public' && visibility !== 'private') {
      throw glanceErrors.badRequest(`Invalid visibility value: ${visibility}`);
    }
    positive(limit);
    const key = validSortKey(params, NS_COLUMNS);
    let all = md.namespaces.filter((ns) => md.visible(caller, ns));
    if (visibility) all = all.filter((ns) => ns.visibility === visibility);
    const types = params.get('resource_types');
    if (types !== undefined) {
      const wanted = types.split(',');
      all = all.filter((ns) => md.associationsOf(ns.id).some((a) => wanted.includes(a.name)));
    }
    let sorted = sortRecords(all, key, dir);
    const marker = params.get('marker');
    if (marker) {
      const found = md.lookup(caller, marker);
      if (found.state === 'missing') {
        throw glanceErrors.notFound(`Metadata definition namespace=${marker} was not found.`);
      }
      if (!found.ns) {
        throw glanceErrors.forbidden(
          `Forbidding request, metadata definition namespace=${marker} is not visible.`,
        );
      }
      const at = sortRecords(
        [...sorted.filter((ns) => ns.id !== found.ns!.id), found.ns],
        key,
        dir,
      ).findIndex((ns) => ns.id === found.ns!.id);
      sorted = sorted.filter((ns) => ns.id !== found.ns!.id).slice(at);
    }
    const page = sorted.slice(0, limit);
    const namespaces = page.map((ns) =>
      namespaceWire(ns, {
        resource_type_associations: nonEmpty(md.associationsOf(ns.id).map(associationWire)),
      }),
    );
    params.delete('marker');
    const query = urlencode(params);
    const body: Record<string, unknown> = { namespaces };
    if (page.length !== 0 && page.length === limit) {
      params.set('marker', page[page.length - 1]!.namespace);
      body.next = `/v2/metadefs/namespaces?${urlencode(params)}`;
    }
    body.schema = '/v2/schemas/metadefs/namespaces';
    body.first = query ? `/v2/metadefs/namespaces?${query}` : '/v2/metadefs/namespaces';
    reply(req, res, 200, body, 'glance/metadefs/namespaces');
  };

  const createNamespace = async (req: Request, res: Response) => {
    const body = await checkedBody(req, res, 'namespace');
    const caller = callerFrom(res);
    admin(caller, 'add_metadef_namespace');
    const name = body.namespace as string;
    if (md.byName(name))
      throw glanceErrors.conflict(`The metadata definition namespace=${name} already exists.`);
    const stamp = now();
    const ns: NamespaceRecord = {
      id: md.nextId(md.namespaces),
      namespace: name,
      display_name: (body.display_name as string | undefined) ?? null,
      description: (body.description as string | undefined) ?? null,
      visibility: (body.visibility as 'public' | 'private' | undefined) ?? 'private',
      protected: (body.protected as boolean | undefined) ?? false,
      owner: (body.owner as string | undefined) ?? caller.projectId,
      created_at: stamp,
      updated_at: stamp,
    };
    await md.namespaces.insert(ns);
    const associations = (body.resource_type_associations as Body[] | undefined) ?? [];
    for (const a of associations) await associate(ns, a, stamp);
    const objects = (body.objects as Body[] | undefined) ?? [];
    let objectId = md.nextId(md.objects);
    for (const o of objects) {
      await md.objects.insert(objectRecord(ns.id, objectId++, o, stamp));
    }
    const tags = (body.tags as Body[] | undefined) ?? [];
    let tagId = md.nextId(md.tags);
    for (const t of tags) {
      await md.tags.insert({
        id: tagId++,
        namespace_id: ns.id,
        name: t.name as string,
        created_at: stamp,
        updated_at: stamp,
      });
    }
    const properties = propertiesToStored((body.properties as Body | undefined) ?? {});
    let propertyId = md.nextId(md.properties);
    for (const [pname, schema] of Object.entries(properties)) {
      await md.properties.insert({
        id: propertyId++,
        namespace_id: ns.id,
        name: pname,
        schema,
        created_at: stamp,
        updated_at: stamp,
      });
    }
    // the answer echoes what was asked for, as Glance's create does
    const wire = namespaceWire(ns, {
      resource_type_associations: body.resource_type_associations
        ? associations.map((a) =>
            present({ name: a.name, prefix: a.prefix, properties_target: a.properties_target }),
          )
        : undefined,
      properties: body.properties ? properties : undefined,
      objects: body.objects
        ? objects.map((o) =>
            present({
              name: o.name,
              required: o.required,
              description: o.description,
              properties: o.properties ? propertiesToStored(o.properties as Body) : undefined,
            }),
          )
        : undefined,
      tags: body.tags ? tags.map((t) => ({ name: t.name })) : undefined,
    });
    reply(req, res, 201, wire, 'glance/metadefs/namespace', {
      Location: encodeURI(`${publicBaseUrl(req)}/v2/metadefs/namespaces/${ns.namespace}`).replace(
        /%3A/g,
        ':',
      ),
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

  const nsPath = '/metadefs/namespaces/:namespace';

  return [
    {
      path: '/metadefs/namespaces',
      operations: {
        GET: {
          summary: 'List the namespaces the caller may see (newest first, paged by name)',
          parameters: [
            ...paging,
            { name: 'visibility', in: 'query', description: 'public or private' },
            { name: 'resource_types', in: 'query', description: 'Comma-separated resource type names' },
          ],
          responses: [
            { status: 200, description: 'A page of namespaces', schema: 'glance/metadefs/namespaces' },
            error(400, 'A bad limit, sort direction, sort key or visibility'),
            error(403, 'The marker is a namespace the caller may not see'),
            error(404, 'No namespace of the marker'),
          ],
          handler: listNamespaces,
        },
        POST: {
          summary: 'Create a namespace, with its associations, properties, objects and tags (admin)',
          request: { schema: 'glance/metadefs/namespace' },
          responses: [
            {
              status: 201,
              description: 'The namespace, Location header',
              schema: 'glance/metadefs/namespace',
            },
            badBody,
            error(403, 'Not an admin, or a read-only attribute'),
            error(409, 'A namespace of that name exists'),
            error(413, 'Body too large'),
          ],
          handler: createNamespace,
        },
      },
    },
    {
      path: nsPath,
      operations: {
        GET: {
          summary: 'Show a namespace with its associations, properties, objects and tags',
          parameters: [
            {
              name: 'resource_type',
              in: 'query',
              description: "Prefix property names with this type's prefix",
            },
          ],
          responses: [
            { status: 200, description: 'The namespace', schema: 'glance/metadefs/namespace' },
            nsMissing,
          ],
          handler: (req, res) => {
            const name = req.params.namespace as string;
            const found = md.lookup(callerFrom(res), name);
            if (found.state === 'missing') {
              throw glanceErrors.notFound(`Metadata definition namespace=${name} was not found.`);
            }
            if (!found.ns) throw glanceErrors.noRoute();
            const resourceType = queryDict(req).get('resource_type');
            reply(req, res, 200, fullNamespace(found.ns, resourceType), 'glance/metadefs/namespace');
          },
        },
        PUT: {
          summary: 'Replace a namespace’s own fields (admin)',
          request: { schema: 'glance/metadefs/namespace' },
          responses: [
            { status: 200, description: 'The namespace', schema: 'glance/metadefs/namespace' },
            badBody,
            adminOnly,
            nsMissing,
            error(409, 'The new name is taken'),
            error(413, 'Body too large'),
          ],
          handler: async (req, res) => {
            const body = await checkedBody(req, res, 'namespace');
            const caller = callerFrom(res);
            const ns = namespaceOf(req, res);
            admin(caller, 'modify_metadef_namespace');
            const name = body.namespace as string;
            const other = md.byName(name);
            if (other && other.id !== ns.id) {
              throw glanceErrors.conflict(
                `Invalid update. It would result in a duplicate metadata definition namespace with the same name of ${name}`,
              );
            }
            const updated = await md.namespaces.update(String(ns.id), {
              namespace: name,
              display_name: (body.display_name as string | undefined) ?? null,
              description: (body.description as string | undefined) ?? null,
              visibility: (body.visibility as 'public' | 'private' | undefined) || 'private',
              protected: (body.protected as boolean | undefined) || false,
              owner: (body.owner as string | undefined) || caller.projectId,
              updated_at: now(),
            });
            reply(req, res, 200, namespaceWire(updated), 'glance/metadefs/namespace');
          },
        },
        DELETE: {
          summary: 'Delete an unprotected namespace and everything in it (admin)',
          responses: [{ status: 204, description: 'Deleted' }, adminOnly, nsMissing],
          handler: async (req, res) => {
            const ns = namespaceOf(req, res);
            admin(callerFrom(res), 'delete_metadef_namespace');
            unprotected(ns, nsProtected(ns));
            await md.removeNamespace(ns);
            send204(res);
          },
        },
      },
    },

    // objects
    {
      path: `${nsPath}/objects`,
      operations: {
        GET: {
          summary: 'List the objects of a namespace',
          responses: [
            { status: 200, description: 'The objects', schema: 'glance/metadefs/objects' },
            nsMissing,
          ],
          handler: (req, res) => {
            const ns = namespaceForObjects(req, res);
            const objects = md.objectsOf(ns.id).map((o) => objectWire(o, ns.namespace));
            // Glance's index writes the collection schema link without its leading slash
            reply(
              req,
              res,
              200,
              { objects, schema: 'v2/schemas/metadefs/objects' },
              'glance/metadefs/objects',
            );
          },
        },
        POST: {
          summary: 'Create an object (admin)',
          request: { schema: 'glance/metadefs/object' },
          responses: [
            { status: 201, description: 'The object', schema: 'glance/metadefs/object' },
            badBody,
            adminOnly,
            nsMissing,
            error(409, 'An object of that name exists in the namespace'),
            error(413, 'Body too large'),
          ],
          handler: async (req, res) => {
            const body = await checkedBody(req, res, 'object');
            const ns = namespaceForObjects(req, res);
            admin(callerFrom(res), 'add_metadef_object');
            const name = body.name as string;
            if (md.objectsOf(ns.id).some((o) => o.name === name)) {
              throw glanceErrors.conflict(
                `A metadata definition object with name=${name} already exists in namespace=${ns.namespace}.`,
              );
            }
            const record = await md.objects.insert(objectRecord(ns.id, md.nextId(md.objects), body, now()));
            reply(req, res, 201, objectWire(record, ns.namespace), 'glance/metadefs/object');
          },
        },
        DELETE: {
          summary: 'Delete every object of an unprotected namespace (admin)',
          responses: [{ status: 204, description: 'Deleted' }, adminOnly, nsMissing],
          handler: async (req, res) => {
            const ns = namespaceOf(req, res);
            admin(callerFrom(res), 'delete_metadef_namespace');
            unprotected(ns, nsProtected(ns));
            await Promise.all(md.objectsOf(ns.id).map((o) => md.objects.remove(String(o.id))));
            send204(res);
          },
        },
      },
    },
    {
      path: `${nsPath}/objects/:object_name`,
      operations: {
        GET: {
          summary: 'Show an object',
          responses: [
            { status: 200, description: 'The object', schema: 'glance/metadefs/object' },
            error(404, 'No such namespace or object'),
          ],
          handler: (req, res) => {
            const ns = namespaceForObjects(req, res);
            const o = objectOf(ns, req.params.object_name as string);
            reply(req, res, 200, objectWire(o, ns.namespace), 'glance/metadefs/object');
          },
        },
        PUT: {
          summary: 'Replace an object (admin)',
          request: { schema: 'glance/metadefs/object' },
          responses: [
            { status: 200, description: 'The object', schema: 'glance/metadefs/object' },
            badBody,
            adminOnly,
            error(404, 'No such namespace or object'),
            error(409, 'The new name is taken'),
            error(413, 'Body too large'),
          ],
          handler: async (req, res) => {
            const body = await checkedBody(req, res, 'object');
            const ns = namespaceForObjects(req, res);
            admin(callerFrom(res), 'modify_metadef_object');
            const o = objectOf(ns, req.params.object_name as string);
            const name = body.name as string;
            if (md.objectsOf(ns.id).some((x) => x.name === name && x.id !== o.id)) {
              throw glanceErrors.conflict(
                `Invalid update. It would result in a duplicate metadata definition object with the same name=${o.name} in namespace=${ns.namespace}.`,
              );
            }
            const stored = objectRecord(ns.id, o.id, body, o.created_at);
            const updated = await md.objects.update(String(o.id), { ...stored, updated_at: now() });
            // the answer shows what was sent: fields left out are left out
            const wire = objectWire(updated, ns.namespace);
            if (updated.required === null) delete wire.required;
            if (updated.properties === null) delete wire.properties;
            reply(req, res, 200, wire, 'glance/metadefs/object');
          },
        },
        DELETE: {
          summary: 'Delete an object of an unprotected namespace (admin)',
          responses: [
            { status: 204, description: 'Deleted' },
            adminOnly,
            error(404, 'No such namespace or object'),
          ],
          handler: async (req, res) => {
            const ns = namespaceForObjects(req, res);
            admin(callerFrom(res), 'delete_metadef_object');
            const o = objectOf(ns, req.params.object_name as string);
            unprotected(ns, `Metadata definition object ${o.name} is protected and cannot be deleted.`);
            await md.objects.remove(String(o.id));
            send204(res);
          },
        },
      },
    },

    // properties
    {
      path: `${nsPath}/properties`,
      operations: {
        GET: {
          summary: 'List the properties of a namespace',
          responses: [
            { status: 200, description: 'The properties', schema: 'glance/metadefs/properties' },
            nsMissing,
          ],
          handler: (req, res) => {
            const ns = namespaceOf(req, res);
            const properties = Object.fromEntries(md.propertiesOf(ns.id).map((p) => [p.name, p.schema]));
            reply(req, res, 200, { properties }, 'glance/metadefs/properties');
          },
        },
        POST: {
          summary: 'Create a property (admin)',
          request: { schema: 'glance/metadefs/property' },
          responses: [
            { status: 201, description: 'The property', schema: 'glance/metadefs/property' },
            badBody,
            adminOnly,
            nsMissing,
            error(409, 'A property of that name exists in the namespace'),
            error(413, 'Body too large'),
          ],
          handler: async (req, res) => {
            const body = await checkedBody(req, res, 'property');
            const ns = namespaceOf(req, res);
            admin(callerFrom(res), 'add_metadef_property');
            const name = body.name as string;
            if (md.propertiesOf(ns.id).some((p) => p.name === name)) {
              throw glanceErrors.conflict(
                `A metadata definition property with name=${name} already exists in namespace=${ns.namespace}.`,
              );
            }
            const stamp = now();
            const record = await md.properties.insert({
              id: md.nextId(md.properties),
              namespace_id: ns.id,
              name,
              // Glance keeps the body as the property's schema, its name included (a loaded one has none)
              schema: { name, ...propertyToStored(body) },
              created_at: stamp,
              updated_at: stamp,
            });
            reply(req, res, 201, propertyWire(record), 'glance/metadefs/property');
          },
        },
        DELETE: {
          summary: 'Delete every property of an unprotected namespace (admin)',
          responses: [{ status: 204, description: 'Deleted' }, adminOnly, nsMissing],
          handler: async (req, res) => {
            const ns = namespaceOf(req, res);
            admin(callerFrom(res), 'delete_metadef_namespace');
            unprotected(ns, nsProtected(ns));
            await Promise.all(md.propertiesOf(ns.id).map((p) => md.properties.remove(String(p.id))));
            send204(res);
          },
        },
      },
    },
    {
      path: `${nsPath}/properties/:property_name`,
      operations: {
        GET: {
          summary: 'Show a property (with resource_type: its name carries that type’s prefix)',
          parameters: [
            { name: 'resource_type', in: 'query', description: 'Strip this type’s prefix from the name' },
          ],
          responses: [
            { status: 200, description: 'The property', schema: 'glance/metadefs/property' },
            error(404, 'No such namespace, property or resource type, or the prefix is wrong'),
          ],
          handler: (req, res) => {
            const ns = namespaceOf(req, res);
            let name = req.params.property_name as string;
            const resourceType = queryDict(req).get('resource_type');
            if (resourceType) {
              const a = md.associationsOf(ns.id).find((x) => x.name === resourceType);
              if (!a) {
                throw glanceErrors.notFound(
                  `The metadata definition resource-type with name=${resourceType}, was not found.`,
                );
              }
              if (a.prefix && name.startsWith(a.prefix)) name = name.slice(a.prefix.length);
              else {
                throw glanceErrors.notFound(
                  `Property ${name} does not start with the expected resource type association prefix of '${a.prefix ?? 'None'}'.`,
                );
              }
            }
            reply(req, res, 200, propertyWire(propertyOf(ns, name)), 'glance/metadefs/property');
          },
        },
        PUT: {
          summary: 'Replace a property (admin)',
          request: { schema: 'glance/metadefs/property' },
          responses: [
            { status: 200, description: 'The property', schema: 'glance/metadefs/property' },
            badBody,
            adminOnly,
            error(404, 'No such namespace or property'),
            error(409, 'The new name is taken'),
            error(413, 'Body too large'),
          ],
          handler: async (req, res) => {
            const body = await checkedBody(req, res, 'property');
            const ns = namespaceOf(req, res);
            admin(callerFrom(res), 'modify_metadef_property');
            const p = propertyOf(ns, req.params.property_name as string);
            const name = body.name as string;
            if (md.propertiesOf(ns.id).some((x) => x.name === name && x.id !== p.id)) {
              throw glanceErrors.conflict(
                `Invalid update. It would result in a duplicate metadata definition property with the same name=${p.name} in namespace=${ns.namespace}.`,
              );
            }
            const updated = await md.properties.update(String(p.id), {
              name,
              schema: { name, ...propertyToStored(body) },
              updated_at: now(),
            });
            reply(req, res, 200, propertyWire(updated), 'glance/metadefs/property');
          },
        },
        DELETE: {
          summary: 'Delete a property of an unprotected namespace (admin)',
          responses: [
            { status: 204, description: 'Deleted' },
            adminOnly,
            error(404, 'No such namespace or property'),
          ],
          handler: async (req, res) => {
            const ns = namespaceOf(req, res);
            admin(callerFrom(res), 'remove_metadef_property');
            const p = propertyOf(ns, req.params.property_name as string);
            unprotected(ns, `Metadata definition property ${p.name} is protected and cannot be deleted.`);
            await md.properties.remove(String(p.id));
            send204(res);
          },
        },
      },
    },

    // tags
    {
      path: `${nsPath}/tags`,
      operations: {
        GET: {
          summary: 'List the tags of a namespace (newest first)',
          parameters: paging,
          responses: [
            { status: 200, description: 'The tags', schema: 'glance/metadefs/tags' },
            error(400, 'A bad limit, sort key or sort direction'),
            error(404, 'No such namespace, or no tag of the marker'),
          ],
          handler: (req, res) => {
            const ns = namespaceOf(req, res);
            const params = queryDict(req);
            const limit = positive(validLimit(params));
            const dir = validSortDir(params);
            const key = validSortKey(params, ['id', 'name', 'created_at', 'updated_at']);
            let sorted = sortRecords(md.tagsOf(ns.id), key, dir);
            const marker = params.get('marker');
            if (marker) {
              const m = tagOf(ns, marker);
              sorted = sorted.slice(sorted.findIndex((t) => t.id === m.id) + 1);
            }
            const tags = sorted.slice(0, limit).map((t) => ({ name: t.name }));
            reply(req, res, 200, { tags }, 'glance/metadefs/tags');
          },
        },
        POST: {
          summary: 'Create tags: replace them all, or add to them with X-Openstack-Append: true (admin)',
          parameters: [
            { name: 'X-Openstack-Append', in: 'header', description: 'true: keep the existing tags' },
          ],
          request: { schema: 'glance/metadefs/tags-request' },
          responses: [
            { status: 201, description: 'The tags created', schema: 'glance/metadefs/tags' },
            badBody,
            adminOnly,
            nsMissing,
            error(409, 'A tag name repeats, or (appending) exists'),
            error(413, 'Body too large'),
          ],
          handler: async (req, res) => {
            const body = await checkedBody(req, res, 'tags-request', []);
            const ns = namespaceOf(req, res);
            admin(callerFrom(res), 'add_metadef_tags');
            const append = /^(1|t|true|on|y|yes)$/i.test((req.get('X-Openstack-Append') ?? '').trim());
            const names = ((body.tags as Body[] | undefined) ?? []).map((t) => t.name as string);
            if (names.length > 0) {
              const kept = append ? md.tagsOf(ns.id).map((t) => t.name) : [];
              const seen = new Set(kept);
              for (const name of names) {
                if (seen.has(name)) throw tagConflict(name, ns);
                seen.add(name);
              }
              if (!append) await Promise.all(md.tagsOf(ns.id).map((t) => md.tags.remove(String(t.id))));
              const stamp = now();
              let id = md.nextId(md.tags);
              for (const name of names) {
                await md.tags.insert({
                  id: id++,
                  namespace_id: ns.id,
                  name,
                  created_at: stamp,
                  updated_at: stamp,
                });
              }
            }
            reply(req, res, 201, { tags: names.map((name) => ({ name })) }, 'glance/metadefs/tags');
          },
        },
        DELETE: {
          summary: 'Delete every tag of an unprotected namespace (admin)',
          responses: [{ status: 204, description: 'Deleted' }, adminOnly, nsMissing],
          handler: async (req, res) => {
            const ns = namespaceOf(req, res);
            const caller = callerFrom(res);
            admin(caller, 'delete_metadef_namespace');
            unprotected(ns, nsProtected(ns));
            await Promise.all(md.tagsOf(ns.id).map((t) => md.tags.remove(String(t.id))));
            send204(res);
          },
        },
      },
    },
    {
      path: `${nsPath}/tags/:tag_name`,
      operations: {
        GET: {
          summary: 'Show a tag',
          responses: [
            { status: 200, description: 'The tag', schema: 'glance/metadefs/tag' },
            error(404, 'No such namespace or tag'),
          ],
          handler: (req, res) => {
            const ns = namespaceOf(req, res);
            reply(req, res, 200, tagWire(tagOf(ns, req.params.tag_name as string)), 'glance/metadefs/tag');
          },
        },
        POST: {
          summary: 'Create one tag named by the path (admin; no body)',
          responses: [
            { status: 201, description: 'The tag', schema: 'glance/metadefs/tag' },
            error(400, 'The name is too long'),
            adminOnly,
            nsMissing,
            error(409, 'The tag exists'),
          ],
          handler: async (req, res) => {
            const ns = namespaceOf(req, res);
            const name = req.params.tag_name as string;
            const failure = metadefSchemaFailure(schemaOf('tag'), { name });
            if (failure) throw glanceErrors.badRequest(failure);
            admin(callerFrom(res), 'add_metadef_tag');
            if (md.tagsOf(ns.id).some((t) => t.name === name)) throw tagConflict(name, ns);
            const stamp = now();
            const tag = await md.tags.insert({
              id: md.nextId(md.tags),
              namespace_id: ns.id,
              name,
              created_at: stamp,
              updated_at: stamp,
            });
            reply(req, res, 201, tagWire(tag), 'glance/metadefs/tag');
          },
        },
        PUT: {
          summary: 'Rename a tag (admin)',
          request: { schema: 'glance/metadefs/tag' },
          responses: [
            { status: 200, description: 'The tag', schema: 'glance/metadefs/tag' },
            badBody,
            adminOnly,
            error(404, 'No such namespace or tag'),
            error(409, 'The new name is taken'),
            error(413, 'Body too large'),
          ],
          handler: async (req, res) => {
            const body = await checkedBody(req, res, 'tag');
            const ns = namespaceOf(req, res);
            admin(callerFrom(res), 'modify_metadef_tag');
            const t = tagOf(ns, req.params.tag_name as string);
            const name = body.name as string;
            if (md.tagsOf(ns.id).some((x) => x.name === name && x.id !== t.id)) throw tagConflict(name, ns);
            const updated = await md.tags.update(String(t.id), { name, updated_at: now() });
            reply(req, res, 200, tagWire(updated), 'glance/metadefs/tag');
          },
        },
        DELETE: {
          summary: 'Delete a tag of an unprotected namespace (admin)',
          responses: [
            { status: 204, description: 'Deleted' },
            adminOnly,
            error(404, 'No such namespace or tag'),
          ],
          handler: async (req, res) => {
            const ns = namespaceOf(req, res);
            admin(callerFrom(res), 'delete_metadef_tag');
            const t = tagOf(ns, req.params.tag_name as string);
            unprotected(ns, `Metadata definition tag ${t.name} is protected and cannot be deleted.`);
            await md.tags.remove(String(t.id));
            send204(res);
          },
        },
      },
    },

    // resource types
    {
      path: '/metadefs/resource_types',
      operations: {
        GET: {
          summary: 'List the resource types',
          responses: [
            { status: 200, description: 'The resource types', schema: 'glance/metadefs/resource_types' },
          ],
          handler: (req, res) => {
            const resourceTypes = md.resourceTypes
              .all()
              .map((r) => present({ name: r.name, created_at: r.created_at, updated_at: r.updated_at }));
            reply(req, res, 200, { resource_types: resourceTypes }, 'glance/metadefs/resource_types');
          },
        },
      },
    },
    {
      path: `${nsPath}/resource_types`,
      operations: {
        GET: {
          summary: 'List the resource type associations of a namespace',
          responses: [
            {
              status: 200,
              description: 'The associations',
              schema: 'glance/metadefs/resource-type-associations',
            },
            nsMissing,
          ],
          handler: (req, res) => {
            const ns = namespaceOf(req, res);
            const body = { resource_type_associations: md.associationsOf(ns.id).map(associationWire) };
            reply(req, res, 200, body, 'glance/metadefs/resource-type-associations');
          },
        },
        POST: {
          summary: 'Associate a resource type with the namespace (admin; a new type name creates the type)',
          request: { schema: 'glance/metadefs/resource_type' },
          responses: [
            { status: 201, description: 'The association', schema: 'glance/metadefs/resource_type' },
            badBody,
            error(403, 'Not an admin, or a read-only attribute'),
            nsMissing,
            error(409, 'Already associated'),
            error(413, 'Body too large'),
          ],
          handler: async (req, res) => {
            const body = await checkedBody(req, res, 'resource_type', ['created_at', 'updated_at']);
            const ns = namespaceOf(req, res);
            admin(callerFrom(res), 'add_metadef_resource_type_association');
            const a = await associate(ns, body, now());
            reply(req, res, 201, associationWire(a), 'glance/metadefs/resource_type');
          },
        },
      },
    },
    {
      path: `${nsPath}/resource_types/:resource_type`,
      operations: {
        DELETE: {
          summary: 'Remove a resource type association of an unprotected namespace (admin)',
          responses: [
            { status: 204, description: 'Removed' },
            adminOnly,
            error(404, 'No such namespace or association'),
          ],
          handler: async (req, res) => {
            const ns = namespaceOf(req, res);
            admin(callerFrom(res), 'remove_metadef_resource_type_association');
            const name = req.params.resource_type as string;
            const a = md.associations.get(`${ns.id}/${name}`);
            if (!a) throw glanceErrors.notFound(`Failed to find resource type ${name} to delete`);
            unprotected(
              ns,
              `Metadata definition resource-type-association ${name} is protected and cannot be deleted.`,
            );
            await md.associations.remove(`${ns.id}/${name}`);
            send204(res);
          },
        },
      },
    },
  ];
}
