import type { Resource } from '../../../../http/route-table.js';
import { callerFrom } from '../../auth.js';
import { glanceErrors } from '../../errors.js';
import { errorDoc as error, send204 } from '../kit.js';
import { adminOnly, badBody, type MetadefKit, nsMissing, nsPath } from './metadef-kit.js';
import { associationWire, present } from './wire.js';

/** The resource types and their associations with namespaces. */
export function resourceTypeResources(m: MetadefKit): Resource[] {
  return [
    {
      path: '/metadefs/resource_types',
      operations: {
        GET: {
          summary: 'List the resource types',
          responses: [
            { status: 200, description: 'The resource types', schema: 'glance/metadefs/resource_types' },
          ],
          handler: (req, res) => {
            const resourceTypes = m.md.resourceTypes
              .all()
              .map((r) => present({ name: r.name, created_at: r.created_at, updated_at: r.updated_at }));
            m.reply(req, res, 200, { resource_types: resourceTypes }, 'glance/metadefs/resource_types');
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
            const ns = m.namespaceOf(req, res);
            const body = { resource_type_associations: m.md.associationsOf(ns.id).map(associationWire) };
            m.reply(req, res, 200, body, 'glance/metadefs/resource-type-associations');
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
            const body = await m.checkedBody(req, res, 'resource_type', ['created_at', 'updated_at']);
            const ns = m.namespaceOf(req, res);
            m.admin(callerFrom(res), 'add_metadef_resource_type_association');
            const a = await m.associate(ns, body, m.now());
            m.reply(req, res, 201, associationWire(a), 'glance/metadefs/resource_type');
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
            const ns = m.namespaceOf(req, res);
            m.admin(callerFrom(res), 'remove_metadef_resource_type_association');
            const name = req.params.resource_type as string;
            const a = m.md.associations.get(`${ns.id}/${name}`);
            if (!a) throw glanceErrors.notFound(`Failed to find resource type ${name} to delete`);
            m.unprotected(
              ns,
              `Metadata definition resource-type-association ${name} is protected and cannot be deleted.`,
            );
            await m.md.associations.remove(`${ns.id}/${name}`);
            send204(res);
          },
        },
      },
    },
  ];
}
