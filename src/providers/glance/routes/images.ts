import { publicBaseUrl } from '../../../http/base-url.js';
import type { Resource, ResponseDoc } from '../../../http/route-table.js';
import { sendText } from '../../../http/respond.js';
import { glanceTimestamp } from '../../../validation/openstack-image.js';
import { callerFrom } from '../auth.js';
import { ACCEPT_PATCH, glanceErrors } from '../errors.js';
import { type ImageRecord, withData } from '../model/image.js';
import { newImage } from '../model/create.js';
import { listImages } from '../model/list-images.js';
import { pageLinks, parseListQuery } from '../model/list-query.js';
import { applyChanges, PATCH_MEDIA_TYPES, parseChanges } from '../model/patch.js';
import { schemaFailure } from '../model/schema-check.js';
import {
  errorDoc as error,
  type GlanceRoutes,
  mediaTypeOf,
  queryPairs,
  readJsonBody,
  requireOctetStream,
  send204,
} from './kit.js';

const IMPORT_METHODS = 'glance-direct,web-download,copy-image';

const badRequest = error(400, 'Invalid body, query or value (the message says which)');
const forbidden = error(403, 'Not the owner, or a change Glance refuses');
const notFound = error(404, 'No such image visible to the caller');
const noContent: ResponseDoc = { status: 204, description: 'Done (empty body)' };

/** /v2/images, one image, its data, its tags and its actions. */
export function imageResources(k: GlanceRoutes): Resource[] {
  const { ctx, reply, catalog, data, answers } = k;
  const imageSchema = () => ctx.validator.schema('glance/image');
  const now = () => glanceTimestamp(ctx.clock.now());

  return [
    {
      path: '/images',
      operations: {
        GET: {
          summary: 'List images (paged: limit, marker, sort, filters)',
          parameters: [
            { name: 'limit', in: 'query' },
            { name: 'marker', in: 'query' },
            { name: 'sort', in: 'query', description: 'key:dir,key:dir' },
            { name: 'sort_key', in: 'query' },
            { name: 'sort_dir', in: 'query' },
            { name: 'name', in: 'query' },
            { name: 'status', in: 'query' },
            { name: 'visibility', in: 'query' },
            { name: 'owner', in: 'query' },
            { name: 'tag', in: 'query' },
            { name: 'member_status', in: 'query' },
            { name: 'os_hidden', in: 'query' },
          ],
          responses: [{ status: 200, description: 'A page of images', schema: 'glance/images' }, badRequest],
          handler: (req, res) => {
            const caller = callerFrom(res);
            // a page depends on the store, the caller and the query string, nothing else
            const at = req.originalUrl.indexOf('?');
            const key = `${JSON.stringify(caller)} ${at < 0 ? '' : req.originalUrl.slice(at + 1)}`;
            const body = answers.page(key, () => {
              const query = queryPairs(req);
              const { page, next } = listImages(catalog, caller, parseListQuery(query));
              return { images: page, ...pageLinks(query, next) };
            });
            reply(req, res, 200, body, 'glance/images');
          },
        },
        POST: {
          summary: 'Create an image record (queued, no data)',
          request: { schema: 'glance/image' },
          responses: [
            { status: 201, description: 'The new image', schema: 'glance/image' },
            badRequest,
            forbidden,
            error(409, 'An image with that id exists'),
            error(413, 'Body too large'),
          ],
          handler: async (req, res) => {
            const body = await readJsonBody(ctx, req, res);
            const caller = callerFrom(res);
            const created = newImage(body, caller, imageSchema(), ctx.clock.now());
            if (catalog.get(created.id))
              throw glanceErrors.conflict(`Image ID ${created.id} already exists!`);
            const image = await catalog.add(created);
            reply(req, res, 201, answers.image(image), 'glance/image', {
              Location: `${publicBaseUrl(req)}/v2/images/${image.id}`,
              'OpenStack-Image-Import-Methods': IMPORT_METHODS,
            });
          },
        },
      },
    },

    {
      path: '/images/:id',
      operations: {
        GET: {
          summary: 'Show an image',
          responses: [{ status: 200, description: 'The image', schema: 'glance/image' }, notFound],
          handler: (req, res) => {
            reply(req, res, 200, answers.image(k.visibleImage(req, res)), 'glance/image');
          },
        },
        PATCH: {
          summary: 'Update an image (JSON patch, openstack-images-v2.1 media type)',
          request: { contentType: 'application/openstack-images-v2.1-json-patch' },
          responses: [
            { status: 200, description: 'The updated image', schema: 'glance/image' },
            badRequest,
            forbidden,
            notFound,
            error(409, 'A change the image status does not allow'),
            error(413, 'Body too large'),
            error(415, 'Not a JSON-patch media type (Accept-Patch lists them)'),
          ],
          handler: async (req, res) => {
            const type = mediaTypeOf(req);
            if (!Object.hasOwn(PATCH_MEDIA_TYPES, type)) {
              throw glanceErrors.unsupportedMediaType(req.get('content-type') ?? 'None', {
                'Accept-Patch': ACCEPT_PATCH,
              });
            }
            const body = await readJsonBody(ctx, req, res);
            const changes = parseChanges(body, PATCH_MEDIA_TYPES[type]!, imageSchema());
            const caller = callerFrom(res);
            let image = k.visibleImage(req, res);
            if (changes.length > 0) {
              if (!caller.isAdmin && image.owner !== caller.projectId)
                throw glanceErrors.forbidden('You do not own this image');
              const updated = applyChanges(image, changes, caller);
              image = await catalog.images.update(image.id, { ...updated, updated_at: now() });
            }
            reply(req, res, 200, answers.image(image), 'glance/image');
          },
        },
        DELETE: {
          summary: 'Delete an image and its data',
          responses: [noContent, error(403, 'Not the owner, or the image is protected'), notFound],
          handler: async (req, res) => {
            const caller = callerFrom(res);
            const id = req.params.id as string;
            const image = catalog.get(id);
            if (!image || !catalog.visible(caller, image))
              throw glanceErrors.notFound(`Failed to find image ${id} to delete`);
            if (!caller.isAdmin && image.owner !== caller.projectId)
              throw glanceErrors.forbidden('You do not own this image');
            if (image.protected)
              throw glanceErrors.forbidden(`Image ${id} is protected and cannot be deleted.`);
            // the store removes the image's data and staged data with it
            await catalog.remove(image);
            send204(res);
          },
        },
      },
    },

    {
      path: '/images/:id/file',
      operations: {
        GET: {
          summary: 'Download the image data (Range supported)',
          parameters: [{ name: 'Range', in: 'header' }],
          responses: [
            { status: 200, description: 'The data', contentType: 'application/octet-stream' },
            { status: 204, description: 'The image has no data' },
            { status: 206, description: 'The requested range', contentType: 'application/octet-stream' },
            error(403, 'The image is deactivated'),
            notFound,
            error(416, 'The range is outside the data'),
          ],
          handler: async (req, res) => {
            const caller = callerFrom(res);
            const image = k.visibleImage(req, res);
            if (image.status === 'deactivated' && !caller.isAdmin) {
              throw glanceErrors.forbidden(
                'The requested image has been deactivated. Image data download is forbidden.',
              );
            }
            // Glance's cache middleware: the first download caches the image, each later one is a hit
            const serving = image.status === 'active' ? () => k.cacheImage(image, true) : undefined;
            if (image.size === null || !(await data.send(req, res, image.id, image.checksum, serving))) {
              sendText(res, 204, null, '', { 'Content-Length': '0' });
            }
          },
        },
        PUT: {
          summary: 'Upload the image data (the image becomes active)',
          request: { contentType: 'application/octet-stream' },
          responses: [
            noContent,
            error(400, 'disk_format or container_format not set'),
            forbidden,
            notFound,
            error(409, 'The image is not queued'),
            error(413, 'The data is over the image size limit'),
            error(415, 'Not application/octet-stream'),
          ],
          handler: async (req, res) => {
            requireOctetStream(req);
            const caller = callerFrom(res);
            const image = k.visibleImage(req, res);
            if (!caller.isAdmin && image.owner !== caller.projectId) {
              throw glanceErrors.forbidden(`Not allowed to upload image data for image ${image.id}`);
            }
            const status = k.uploading.has(image.id) ? 'saving' : image.status;
            if (status !== 'queued') {
              throw glanceErrors.conflict(`Image status transition from ${status} to saving is not allowed`);
            }
            // Glance's domain model refuses the move to `saving` without both formats
            const missing = (['disk_format', 'container_format'] as const).filter((f) => !image[f]);
            if (missing.length > 0) {
              throw glanceErrors.badRequest(
                `${missing.length === 1 ? 'Property' : 'Properties'} ${missing.join(', ')} must be set prior to saving data.`,
              );
            }
            k.uploading.add(image.id);
            try {
              const stored = await data.receive(req, image.id);
              // the image may have been deleted while its bytes were arriving
              if (!catalog.get(image.id)) {
                await data.remove(image.id);
                throw glanceErrors.notFound(
                  `Image ${image.id} could not be found after upload. The image may have been deleted during the upload.`,
                );
              }
              await catalog.images.update(image.id, (current) => ({
                ...current,
                ...withData(current, stored),
                updated_at: now(),
              }));
            } finally {
              k.uploading.delete(image.id);
            }
            send204(res);
          },
        },
      },
    },

    {
      path: '/images/:id/tags/:tag',
      operations: {
        PUT: {
          summary: 'Add a tag',
          responses: [
            noContent,
            error(400, 'The tag is too long or the image has too many'),
            forbidden,
            notFound,
          ],
          handler: async (req, res) => {
            const image = k.ownImage(req, res, 'update tags');
            const tag = req.params.tag as string;
            const failure = schemaFailure('image', imageSchema(), { tags: [tag] });
            if (failure) throw glanceErrors.badRequest(failure);
            await catalog.images.update(image.id, {
              tags: image.tags.includes(tag) ? image.tags : [...image.tags, tag],
              updated_at: now(),
            });
            send204(res);
          },
        },
        DELETE: {
          summary: 'Remove a tag',
          responses: [noContent, forbidden, error(404, 'No such image, or it has no such tag')],
          handler: async (req, res) => {
            const image = k.ownImage(req, res, 'update tags');
            const tag = req.params.tag as string;
            if (!image.tags.includes(tag)) throw glanceErrors.noRoute();
            await catalog.images.update(image.id, {
              tags: image.tags.filter((t) => t !== tag),
              updated_at: now(),
            });
            send204(res);
          },
        },
      },
    },

    ...(['deactivate', 'reactivate'] as const).map((action): Resource => ({
      path: `/images/:id/actions/${action}`,
      operations: {
        POST: {
          summary: `${action === 'deactivate' ? 'Deactivate' : 'Reactivate'} an image (admin only)`,
          responses: [noContent, error(403, 'Not an admin, or the image is in another status'), notFound],
          handler: async (req, res) => {
            const image = k.visibleImage(req, res);
            if (!callerFrom(res).isAdmin) {
              throw glanceErrors.forbidden(`You are not authorized to complete ${action} action.`);
            }
            const [from, to] =
              action === 'deactivate' ? ['active', 'deactivated'] : ['deactivated', 'active'];
            if (image.status !== to) {
              if (image.status !== from) {
                throw glanceErrors.forbidden(`Not allowed to ${action} image in status '${image.status}'`);
              }
              await catalog.images.update(image.id, {
                status: to as ImageRecord['status'],
                updated_at: now(),
              });
            }
            send204(res);
          },
        },
      },
    })),
  ];
}
