import type { Resource } from '../../../../http/route-table.js';
import { callerFrom } from '../../auth.js';
import { glanceErrors } from '../../errors.js';
import { errorDoc as error, send204 } from '../kit.js';
import { adminOnly, badBody, type MetadefKit, nsMissing, nsPath } from './metadef-kit.js';
import { objectWire } from './wire.js';

/** The objects of a namespace. */
export function objectResources(m: MetadefKit): Resource[] {
  return [
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
            const ns = m.namespaceForObjects(req, res);
            const objects = m.md.objectsOf(ns.id).map((o) => objectWire(o, ns.namespace));
            // Glance's index writes the collection schema link without its leading slash
            m.reply(
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
            const body = await m.checkedBody(req, res, 'object');
            const ns = m.namespaceForObjects(req, res);
            m.admin(callerFrom(res), 'add_metadef_object');
            const name = body.name as string;
            if (m.md.objectsOf(ns.id).some((o) => o.name === name)) {
              throw glanceErrors.conflict(
                `A metadata definition object with name=${name} already exists in namespace=${ns.namespace}.`,
              );
            }
            const record = await m.md.objects.insert(
              m.objectRecord(ns.id, m.md.nextId(m.md.objects), body, m.now()),
            );
            m.reply(req, res, 201, objectWire(record, ns.namespace), 'glance/metadefs/object');
          },
        },
        DELETE: {
          summary: 'Delete every object of an unprotected namespace (admin)',
          responses: [{ status: 204, description: 'Deleted' }, adminOnly, nsMissing],
          handler: async (req, res) => {
            const ns = m.namespaceOf(req, res);
            m.admin(callerFrom(res), 'delete_metadef_namespace');
            m.unprotected(ns, m.nsProtected(ns));
            await Promise.all(m.md.objectsOf(ns.id).map((o) => m.md.objects.remove(String(o.id))));
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
            const ns = m.namespaceForObjects(req, res);
            const o = m.objectOf(ns, req.params.object_name as string);
            m.reply(req, res, 200, objectWire(o, ns.namespace), 'glance/metadefs/object');
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
            const body = await m.checkedBody(req, res, 'object');
            const ns = m.namespaceForObjects(req, res);
            m.admin(callerFrom(res), 'modify_metadef_object');
            const o = m.objectOf(ns, req.params.object_name as string);
            const name = body.name as string;
            if (m.md.objectsOf(ns.id).some((x) => x.name === name && x.id !== o.id)) {
              throw glanceErrors.conflict(
                `Invalid update. It would result in a duplicate metadata definition object with the same name=${o.name} in namespace=${ns.namespace}.`,
              );
            }
            const stored = m.objectRecord(ns.id, o.id, body, o.created_at);
            const updated = await m.md.objects.update(String(o.id), { ...stored, updated_at: m.now() });
            // the answer shows what was sent: fields left out are left out
            const wire = objectWire(updated, ns.namespace);
            if (updated.required === null) delete wire.required;
            if (updated.properties === null) delete wire.properties;
            m.reply(req, res, 200, wire, 'glance/metadefs/object');
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
            const ns = m.namespaceForObjects(req, res);
            m.admin(callerFrom(res), 'delete_metadef_object');
            const o = m.objectOf(ns, req.params.object_name as string);
            m.unprotected(ns, `Metadata definition object ${o.name} is protected and cannot be deleted.`);
            await m.md.objects.remove(String(o.id));
            send204(res);
          },
        },
      },
    },
  ];
}
