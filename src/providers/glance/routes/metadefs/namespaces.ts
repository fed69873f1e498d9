import type { Request, Response } from 'express';
import { publicBaseUrl } from '../../../../http/base-url.js';
import type { Resource } from '../../../../http/route-table.js';
import { callerFrom } from '../../auth.js';
import { glanceErrors } from '../../errors.js';
import { type NamespaceRecord, propertiesToStored, sortRecords } from '../../model/metadefs.js';
import { errorDoc as error, send204 } from '../kit.js';
import { adminOnly, badBody, type MetadefKit, nsMissing, nsPath, paging } from './metadef-kit.js';
import {
  associationWire,
  type Body,
  namespaceWire,
  nonEmpty,
  present,
  queryDict,
  urlencode,
} from './wire.js';

/** The namespaces: list, create, show, replace, delete. */
export function namespaceResources(m: MetadefKit): Resource[] {
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
    const limit = m.validLimit(params);
    const dir = m.validSortDir(params);
    const visibility = params.get('visibility');
    if (visibility && visibility !== 'public' && visibility !== 'private') {
      throw glanceErrors.badRequest(`Invalid visibility value: ${visibility}`);
    }
    m.positive(limit);
    const key = m.validSortKey(params, NS_COLUMNS);
    let all = m.md.namespaces.filter((ns) => m.md.visible(caller, ns));
    if (visibility) all = all.filter((ns) => ns.visibility === visibility);
    const types = params.get('resource_types');
    if (types !== undefined) {
      const wanted = types.split(',');
      all = all.filter((ns) => m.md.associationsOf(ns.id).some((a) => wanted.includes(a.name)));
    }
    let sorted = sortRecords(all, key, dir);
    const marker = params.get('marker');
    if (marker) {
      const found = m.md.lookup(caller, marker);
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
        resource_type_associations: nonEmpty(m.md.associationsOf(ns.id).map(associationWire)),
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
    m.reply(req, res, 200, body, 'glance/metadefs/namespaces');
  };

  const createNamespace = async (req: Request, res: Response) => {
    const body = await m.checkedBody(req, res, 'namespace');
    const caller = callerFrom(res);
    m.admin(caller, 'add_metadef_namespace');
    const name = body.namespace as string;
    if (m.md.byName(name))
      throw glanceErrors.conflict(`The metadata definition namespace=${name} already exists.`);
    const stamp = m.now();
    const ns: NamespaceRecord = {
      id: m.md.nextId(m.md.namespaces),
      namespace: name,
      display_name: (body.display_name as string | undefined) ?? null,
      description: (body.description as string | undefined) ?? null,
      visibility: (body.visibility as 'public' | 'private' | undefined) ?? 'private',
      protected: (body.protected as boolean | undefined) ?? false,
      owner: (body.owner as string | undefined) ?? caller.projectId,
      created_at: stamp,
      updated_at: stamp,
    };
    await m.md.namespaces.insert(ns);
    const associations = (body.resource_type_associations as Body[] | undefined) ?? [];
    for (const a of associations) await m.associate(ns, a, stamp);
    const objects = (body.objects as Body[] | undefined) ?? [];
    let objectId = m.md.nextId(m.md.objects);
    for (const o of objects) {
      await m.md.objects.insert(m.objectRecord(ns.id, objectId++, o, stamp));
    }
    const tags = (body.tags as Body[] | undefined) ?? [];
    let tagId = m.md.nextId(m.md.tags);
    for (const t of tags) {
      await m.md.tags.insert({
        id: tagId++,
        namespace_id: ns.id,
        name: t.name as string,
        created_at: stamp,
        updated_at: stamp,
      });
    }
    const properties = propertiesToStored((body.properties as Body | undefined) ?? {});
    let propertyId = m.md.nextId(m.md.properties);
    for (const [pname, schema] of Object.entries(properties)) {
      await m.md.properties.insert({
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
    m.reply(req, res, 201, wire, 'glance/metadefs/namespace', {
      Location: encodeURI(`${publicBaseUrl(req)}/v2/metadefs/namespaces/${ns.namespace}`).replace(
        /%3A/g,
        ':',
      ),
    });
  };
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
            const found = m.md.lookup(callerFrom(res), name);
            if (found.state === 'missing') {
              throw glanceErrors.notFound(`Metadata definition namespace=${name} was not found.`);
            }
            if (!found.ns) throw glanceErrors.noRoute();
            const resourceType = queryDict(req).get('resource_type');
            m.reply(req, res, 200, m.fullNamespace(found.ns, resourceType), 'glance/metadefs/namespace');
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
            const body = await m.checkedBody(req, res, 'namespace');
            const caller = callerFrom(res);
            const ns = m.namespaceOf(req, res);
            m.admin(caller, 'modify_metadef_namespace');
            const name = body.namespace as string;
            const other = m.md.byName(name);
            if (other && other.id !== ns.id) {
              throw glanceErrors.conflict(
                `Invalid update. It would result in a duplicate metadata definition namespace with the same name of ${name}`,
              );
            }
            const updated = await m.md.namespaces.update(String(ns.id), {
              namespace: name,
              display_name: (body.display_name as string | undefined) ?? null,
              description: (body.description as string | undefined) ?? null,
              visibility: (body.visibility as 'public' | 'private' | undefined) || 'private',
              protected: (body.protected as boolean | undefined) || false,
              owner: (body.owner as string | undefined) || caller.projectId,
              updated_at: m.now(),
            });
            m.reply(req, res, 200, namespaceWire(updated), 'glance/metadefs/namespace');
          },
        },
        DELETE: {
          summary: 'Delete an unprotected namespace and everything in it (admin)',
          responses: [{ status: 204, description: 'Deleted' }, adminOnly, nsMissing],
          handler: async (req, res) => {
            const ns = m.namespaceOf(req, res);
            m.admin(callerFrom(res), 'delete_metadef_namespace');
            m.unprotected(ns, m.nsProtected(ns));
            await m.md.removeNamespace(ns);
            send204(res);
          },
        },
      },
    },
  ];
}
