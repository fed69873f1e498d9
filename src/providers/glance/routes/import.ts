import type { Request, Response } from 'express';
import type { Resource } from '../../../http/route-table.js';
import { callerFrom } from '../auth.js';
import { glanceErrors } from '../errors.js';
import { checkImportable, checkStoreFlags, parseImportRequest } from '../model/import.js';
import { imageTaskToWire } from '../model/tasks.js';
import {
  errorDoc as error,
  type GlanceRoutes,
  readJsonBody,
  requestIdOf,
  requireOctetStream,
  send204,
  sendEmpty,
} from './kit.js';

const notFound = error(404, 'No such image visible to the caller');

/**
 * Interoperable image import: stage the data (`PUT /stage`), then import
 * it with glance-direct, web-download or copy-image (`POST /import`); each
 * import leaves its task, listed under the image.
 */
export function importResources(k: GlanceRoutes): Resource[] {
  const { ctx, catalog, data, importer, reply } = k;

  /** The image of `:id` as import and stage look it up: Glance's "No image found" for one the caller cannot see. */
  const image = (req: Request, res: Response) => k.visibleImage(req, res);

  const stage = async (req: Request, res: Response) => {
    requireOctetStream(req);
    const caller = callerFrom(res);
    const target = image(req, res);
    if (!caller.isAdmin && target.owner !== caller.projectId) {
      throw glanceErrors.forbidden('You are not authorized to complete modify_image action.');
    }
    const status = k.uploading.has(target.id) ? 'saving' : target.status;
    if (status !== 'queued') {
      throw glanceErrors.conflict(`Image status transition from ${status} to uploading is not allowed`);
    }
    await catalog.images.update(target.id, { status: 'uploading' });
    k.uploading.add(target.id);
    try {
      const stored = await data.receive(req, target.id, 'staging');
      if (catalog.get(target.id)) await catalog.images.update(target.id, { size: stored.size });
      else await data.remove(target.id, 'staging');
    } catch (err) {
      // Glance's _unstage: the image is queued again and nothing stays staged
      if (catalog.get(target.id)) await catalog.images.update(target.id, { status: 'queued', size: null });
      throw err;
    } finally {
      k.uploading.delete(target.id);
    }
    send204(res);
  };

  const importImage = async (req: Request, res: Response) => {
    const request = parseImportRequest(await readJsonBody(ctx, req, res));
    const caller = callerFrom(res);
    const target = image(req, res);
    checkImportable(target, caller, request.method, importer.lockHeld(target));
    checkStoreFlags(request);
    if (request.method === 'web-download' && !(await importer.sourcePasses(request.uri))) {
      throw glanceErrors.badRequest(
        `URI for web-download does not pass filtering: ${typeof request.uri === 'string' ? request.uri : 'None'}`,
      );
    }
    const task = await importer.start(target, request, caller, requestIdOf(res));
    // the work goes on after the answer, as Glance's task pool runs it
    res.once('finish', () => void importer.run(task, request));
    sendEmpty(res, 202);
  };

  const imageTasks = (req: Request, res: Response) => {
    const id = req.params.id as string;
    const target = catalog.get(id);
    if (!target || !catalog.visible(callerFrom(res), target)) throw glanceErrors.noRoute();
    const tasks = k.tasks.by('image', id).map(imageTaskToWire);
    reply(req, res, 200, { tasks }, 'glance/image-tasks');
  };

  return [
    {
      path: '/images/:id/stage',
      operations: {
        PUT: {
          summary: 'Stage the image data for a glance-direct import (the image becomes uploading)',
          request: { contentType: 'application/octet-stream' },
          responses: [
            { status: 204, description: 'Staged (empty body)' },
            error(403, 'Not the owner'),
            notFound,
            error(409, 'The image is not queued'),
            error(413, 'The data is over the image size limit'),
            error(415, 'Not application/octet-stream'),
          ],
          handler: stage,
        },
      },
    },
    {
      path: '/images/:id/import',
      operations: {
        POST: {
          summary: 'Import the image data: glance-direct, web-download or copy-image (202, then a task)',
          request: { schema: 'glance/import-request' },
          responses: [
            { status: 202, description: 'Accepted: the import task runs' },
            error(400, 'No or unknown method, or a web-download URI that does not pass filtering'),
            error(403, 'Not the owner (copy-image: not an admin)'),
            notFound,
            error(409, 'The image is not in the status the method needs, or another import runs'),
            error(413, 'Body too large'),
          ],
          handler: importImage,
        },
      },
    },
    {
      path: '/images/:id/tasks',
      operations: {
        GET: {
          summary: 'The tasks of an image (its imports)',
          responses: [
            { status: 200, description: 'The tasks', schema: 'glance/image-tasks' },
            error(404, 'No such image visible to the caller'),
          ],
          handler: imageTasks,
        },
      },
    },
  ];
}
