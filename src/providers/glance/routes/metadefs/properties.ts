import type { Resource } from '../../../../http/route-table.js';
import { callerFrom } from '../../auth.js';
import { glanceErrors } from '../../errors.js';
import { propertyToStored } from '../../model/metadefs.js';
import { errorDoc as error, send204 } from '../kit.js';
import { adminOnly, badBody, type MetadefKit, nsMissing, nsPath } from './metadef-kit.js';
import { propertyWire, queryDict } from './wire.js';

/** The properties of a namespace. */
export function propertyResources(m: MetadefKit): Resource[] {
  const { reply, md, now, checkedBody, namespaceOf, admin, unprotected, nsProtected, propertyOf } = m;
  return [
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
  ];
}
