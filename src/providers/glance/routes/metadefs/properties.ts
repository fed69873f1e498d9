import type { Resource } from '../../../../http/route-table.js';
import { callerFrom } from '../../auth.js';
import { glanceErrors } from '../../errors.js';
import { propertyToStored } from '../../model/metadefs.js';
import { errorDoc as error, send204 } from '../kit.js';
import { adminOnly, badBody, type MetadefKit, nsMissing, nsPath } from './metadef-kit.js';
import { propertyWire, queryDict } from './wire.js';

/** The properties of a namespace. */
export function propertyResources(m: MetadefKit): Resource[] {
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
            const ns = m.namespaceOf(req, res);
            const properties = Object.fromEntries(m.md.propertiesOf(ns.id).map((p) => [p.name, p.schema]));
            m.reply(req, res, 200, { properties }, 'glance/metadefs/properties');
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
            const body = await m.checkedBody(req, res, 'property');
            const ns = m.namespaceOf(req, res);
            m.admin(callerFrom(res), 'add_metadef_property');
            const name = body.name as string;
            if (m.md.propertiesOf(ns.id).some((p) => p.name === name)) {
              throw glanceErrors.conflict(
                `A metadata definition property with name=${name} already exists in namespace=${ns.namespace}.`,
              );
            }
            const stamp = m.now();
            const record = await m.md.properties.insert({
              id: m.md.nextId(m.md.properties),
              namespace_id: ns.id,
              name,
              // Glance keeps the body as the property's schema, its name included (a loaded one has none)
              schema: { name, ...propertyToStored(body) },
              created_at: stamp,
              updated_at: stamp,
            });
            m.reply(req, res, 201, propertyWire(record), 'glance/metadefs/property');
          },
        },
        DELETE: {
          summary: 'Delete every property of an unprotected namespace (admin)',
          responses: [{ status: 204, description: 'Deleted' }, adminOnly, nsMissing],
          handler: async (req, res) => {
            const ns = m.namespaceOf(req, res);
            m.admin(callerFrom(res), 'delete_metadef_namespace');
            m.unprotected(ns, m.nsProtected(ns));
            await Promise.all(m.md.propertiesOf(ns.id).map((p) => m.md.properties.remove(String(p.id))));
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
            const ns = m.namespaceOf(req, res);
            let name = req.params.property_name as string;
            const resourceType = queryDict(req).get('resource_type');
            if (resourceType) {
              const a = m.md.associationsOf(ns.id).find((x) => x.name === resourceType);
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
            m.reply(req, res, 200, propertyWire(m.propertyOf(ns, name)), 'glance/metadefs/property');
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
            const body = await m.checkedBody(req, res, 'property');
            const ns = m.namespaceOf(req, res);
            m.admin(callerFrom(res), 'modify_metadef_property');
            const p = m.propertyOf(ns, req.params.property_name as string);
            const name = body.name as string;
            if (m.md.propertiesOf(ns.id).some((x) => x.name === name && x.id !== p.id)) {
              throw glanceErrors.conflict(
                `Invalid update. It would result in a duplicate metadata definition property with the same name=${p.name} in namespace=${ns.namespace}.`,
              );
            }
            const updated = await m.md.properties.update(String(p.id), {
              name,
              schema: { name, ...propertyToStored(body) },
              updated_at: m.now(),
            });
            m.reply(req, res, 200, propertyWire(updated), 'glance/metadefs/property');
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
            const ns = m.namespaceOf(req, res);
            m.admin(callerFrom(res), 'remove_metadef_property');
            const p = m.propertyOf(ns, req.params.property_name as string);
            m.unprotected(ns, `Metadata definition property ${p.name} is protected and cannot be deleted.`);
            await m.md.properties.remove(String(p.id));
            send204(res);
          },
        },
      },
    },
  ];
}
