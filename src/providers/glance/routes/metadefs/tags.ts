import type { Resource } from '../../../../http/route-table.js';
import { callerFrom } from '../../auth.js';
import { glanceErrors } from '../../errors.js';
import { metadefSchemaFailure } from '../../model/metadefs-schema.js';
import { sortRecords } from '../../model/metadefs.js';
import { errorDoc as error, send204 } from '../kit.js';
import { adminOnly, badBody, type MetadefKit, nsMissing, nsPath, paging } from './metadef-kit.js';
import { type Body, queryDict, tagWire } from './wire.js';

/** The tags of a namespace. */
export function tagResources(m: MetadefKit): Resource[] {
  return [
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
            const ns = m.namespaceOf(req, res);
            const params = queryDict(req);
            const limit = m.positive(m.validLimit(params));
            const dir = m.validSortDir(params);
            const key = m.validSortKey(params, ['id', 'name', 'created_at', 'updated_at']);
            let sorted = sortRecords(m.md.tagsOf(ns.id), key, dir);
            const marker = params.get('marker');
            if (marker) {
              const after = m.tagOf(ns, marker);
              sorted = sorted.slice(sorted.findIndex((t) => t.id === after.id) + 1);
            }
            const tags = sorted.slice(0, limit).map((t) => ({ name: t.name }));
            m.reply(req, res, 200, { tags }, 'glance/metadefs/tags');
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
            const body = await m.checkedBody(req, res, 'tags-request', []);
            const ns = m.namespaceOf(req, res);
            m.admin(callerFrom(res), 'add_metadef_tags');
            const append = /^(1|t|true|on|y|yes)$/i.test((req.get('X-Openstack-Append') ?? '').trim());
            const names = ((body.tags as Body[] | undefined) ?? []).map((t) => t.name as string);
            if (names.length > 0) {
              const kept = append ? m.md.tagsOf(ns.id).map((t) => t.name) : [];
              const seen = new Set(kept);
              for (const name of names) {
                if (seen.has(name)) throw m.tagConflict(name, ns);
                seen.add(name);
              }
              if (!append) await Promise.all(m.md.tagsOf(ns.id).map((t) => m.md.tags.remove(String(t.id))));
              const stamp = m.now();
              let id = m.md.nextId(m.md.tags);
              for (const name of names) {
                await m.md.tags.insert({
                  id: id++,
                  namespace_id: ns.id,
                  name,
                  created_at: stamp,
                  updated_at: stamp,
                });
              }
            }
            m.reply(req, res, 201, { tags: names.map((name) => ({ name })) }, 'glance/metadefs/tags');
          },
        },
        DELETE: {
          summary: 'Delete every tag of an unprotected namespace (admin)',
          responses: [{ status: 204, description: 'Deleted' }, adminOnly, nsMissing],
          handler: async (req, res) => {
            const ns = m.namespaceOf(req, res);
            const caller = callerFrom(res);
            m.admin(caller, 'delete_metadef_namespace');
            m.unprotected(ns, m.nsProtected(ns));
            await Promise.all(m.md.tagsOf(ns.id).map((t) => m.md.tags.remove(String(t.id))));
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
            const ns = m.namespaceOf(req, res);
            m.reply(
              req,
              res,
              200,
              tagWire(m.tagOf(ns, req.params.tag_name as string)),
              'glance/metadefs/tag',
            );
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
            const ns = m.namespaceOf(req, res);
            const name = req.params.tag_name as string;
            const failure = metadefSchemaFailure(m.schemaOf('tag'), { name });
            if (failure) throw glanceErrors.badRequest(failure);
            m.admin(callerFrom(res), 'add_metadef_tag');
            if (m.md.tagsOf(ns.id).some((t) => t.name === name)) throw m.tagConflict(name, ns);
            const stamp = m.now();
            const tag = await m.md.tags.insert({
              id: m.md.nextId(m.md.tags),
              namespace_id: ns.id,
              name,
              created_at: stamp,
              updated_at: stamp,
            });
            m.reply(req, res, 201, tagWire(tag), 'glance/metadefs/tag');
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
            const body = await m.checkedBody(req, res, 'tag');
            const ns = m.namespaceOf(req, res);
            m.admin(callerFrom(res), 'modify_metadef_tag');
            const t = m.tagOf(ns, req.params.tag_name as string);
            const name = body.name as string;
            if (m.md.tagsOf(ns.id).some((x) => x.name === name && x.id !== t.id))
              throw m.tagConflict(name, ns);
            const updated = await m.md.tags.update(String(t.id), { name, updated_at: m.now() });
            m.reply(req, res, 200, tagWire(updated), 'glance/metadefs/tag');
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
            const ns = m.namespaceOf(req, res);
            m.admin(callerFrom(res), 'delete_metadef_tag');
            const t = m.tagOf(ns, req.params.tag_name as string);
            m.unprotected(ns, `Metadata definition tag ${t.name} is protected and cannot be deleted.`);
            await m.md.tags.remove(String(t.id));
            send204(res);
          },
        },
      },
    },
  ];
}
