import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { MockContext } from '../../context.js';
import { bodyReader } from '../../http/body.js';
import { joinedListIssues, listComposesFromItems, recordBody, recordPiece } from '../../http/list-pieces.js';
import { compactJson, createResponder, PreparedBody, preparedSize, sendText } from '../../http/respond.js';
import type { Operation, ResponseDoc, RouteTable } from '../../http/route-table.js';
import { cache } from '../../store/cache.js';
import { glanceTimestamp } from '../../validation/openstack-image.js';
import { requireScope, SCOPE_HEADERS as parameters, scopeOf } from './auth.js';
import { allianceErrorFormat as errorFormat, allianceErrors as errors } from './errors.js';
import { listFor, newImage, ownedBy, resolve, type Scope, type StoredImage, toWire } from './model/index.js';
import { imageInput } from './model/input.js';

const error = (status: number, description: string): ResponseDoc => ({
  status,
  description,
  schema: 'alliance/error',
});
/** What any route can answer besides its own result. */
const ERRORS: ResponseDoc[] = [error(400, 'A required header is missing, or the body is invalid')];
const notFound = error(404, 'No image with that id or name for this namespace and environment');
const ambiguous = error(409, 'Several images have that name: use the id');
const notJson = error(415, 'Not application/json');
const tooLarge = error(413, 'Body too large');
const imageBody = { schema: 'alliance/image-request' };

/**
 * Mounted at /images (the trailing slash is optional). Each
 * namespace/environment pair is its own set of images plus the namespace's
 * public ones.
 */
export function allianceRoutes(ctx: MockContext): RouteTable {
  const reply = createResponder(ctx, compactJson);
  const images = ctx.store.collection<StoredImage>('alliance', 'images');

  /** Writes carry JSON: the Content-Type is checked before the body is read. */
  const json = bodyReader(ctx, { as: 'json', type: 'application/json' });
  const jsonOnly = (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('application/json')) throw errors.notJson(req.get('content-type'));
    // body-parser would read an empty body as {}: a write without a body is a client mistake
    const length = req.headers['content-length'];
    if (req.headers['transfer-encoding'] === undefined && (length === undefined || Number(length) === 0))
      throw errors.emptyBody();
    json(req, res, next);
  };

  // Answers and look-ups are kept per version of the images (the cache), keyed by everything else they depend on.
  const keyOf = (kind: string, scope: Scope, ref = '') =>
    JSON.stringify(['alliance', kind, scope.namespace, scope.environment, ref]);

  const find = (req: Request, res: Response): StoredImage => {
    const ref = (req.params as { ref: string }).ref;
    const scope = scopeOf(res);
    const found = cache.get([images], keyOf('resolve', scope, ref), () => resolve(images.all(), scope, ref));
    if ('missing' in found) throw errors.notFound(ref);
    if ('ambiguous' in found) throw errors.ambiguous(ref, found.ambiguous);
    return found.found;
  };

  const findOwned = (req: Request, res: Response): StoredImage => {
    const image = find(req, res);
    if (!ownedBy(image, scopeOf(res))) throw errors.notOwner(image.id);
    return image;
  };

  // An image's answer is made and checked once per version of it, for its get and every list.
  const serialize = (body: unknown) => compactJson.serialize(body);
  const piece = (image: StoredImage) =>
    recordPiece(ctx, image, 'alliance/image', () => toWire(image), serialize);
  const composable = listComposesFromItems(ctx.validator, 'alliance/image-list', 'images', 'alliance/image');

  /** A list is joined from its images' pieces: a create re-serialises one image, not all of them. */
  const joinList = (listed: readonly StoredImage[]) => {
    const pieces = listed.map(piece);
    const issues = joinedListIssues(ctx, {
      listSchema: 'alliance/image-list',
      key: 'images',
      pieces,
      envelope: {},
      composable,
      whole: () => ({ images: listed.map(toWire) }),
    });
    return new PreparedBody(
      `{"images":[${pieces.map((p) => p.text).join(',')}]}`,
      'alliance/image-list',
      issues,
    );
  };

  const list = (req: Request, res: Response) => {
    const scope = scopeOf(res);
    const body = cache.get(
      [images],
      keyOf('list', scope),
      () => joinList(listFor(images.all(), scope)),
      preparedSize,
    );
    reply(req, res, 200, body, 'alliance/image-list');
  };

  const create = async (req: Request, res: Response) => {
    const input = imageInput(req.body, 'create');
    const id = input.id ?? randomUUID();
    if (images.has(id)) throw errors.duplicateId(id);
    const image = newImage(scopeOf(res), input, id, glanceTimestamp(ctx.clock.now()));
    reply(req, res, 201, toWire(await images.insert(image)), 'alliance/image');
  };

  const get = (req: Request, res: Response) => {
    const image = find(req, res);
    // the answer is the image's alone, whichever pair found it
    const body = recordBody(ctx, image, 'alliance/image', () => toWire(image), serialize);
    reply(req, res, 200, body, 'alliance/image');
  };

  const update = async (req: Request, res: Response) => {
    const image = findOwned(req, res);
    const input = imageInput(req.body, 'update');
    const now = glanceTimestamp(ctx.clock.now());
    const updated = await images.update(image.id, {
      ...input,
      updated_at: now > image.updated_at ? now : image.updated_at,
    });
    reply(req, res, 200, toWire(updated), 'alliance/image');
  };

  const remove = async (req: Request, res: Response) => {
    const image = findOwned(req, res);
    if (image.protected) throw errors.protectedImage(image.id);
    await images.remove(image.id);
    sendText(res, 200, null, '');
  };

  const updateOp: Operation = {
    summary: 'Update an image (by id or exact name): every supplied field is applied',
    parameters,
    request: imageBody,
    responses: [
      { status: 200, description: 'The updated image', schema: 'alliance/image' },
      error(403, 'Read-only attribute, or an image of another environment'),
      notFound,
      ambiguous,
      tooLarge,
      notJson,
    ],
    before: [jsonOnly],
    handler: update,
  };

  return {
    errorFormat,
    errorSchema: 'alliance/error',
    reply,
    errors: ERRORS,
    groups: [
      {
        prefix: '',
        use: [requireScope],
        resources: [
          {
            path: '/',
            docPath: '',
            operations: {
              GET: {
                summary: "List the environment's images and the namespace's public ones, newest first",
                parameters,
                responses: [{ status: 200, description: 'The images', schema: 'alliance/image-list' }],
                handler: list,
              },
              POST: {
                summary: 'Create an image (queued, owned by X-Environment-Id)',
                parameters,
                request: imageBody,
                responses: [
                  { status: 201, description: 'The new image', schema: 'alliance/image' },
                  error(409, 'The id is taken'),
                  tooLarge,
                  notJson,
                ],
                before: [jsonOnly],
                handler: create,
              },
            },
          },
          {
            path: '/:ref',
            docPath: '/{ref}',
            operations: {
              GET: {
                summary: 'Get an image by id, or by exact name',
                parameters,
                responses: [
                  { status: 200, description: 'The image', schema: 'alliance/image' },
                  notFound,
                  ambiguous,
                ],
                handler: get,
              },
              PATCH: updateOp,
              PUT: updateOp,
              DELETE: {
                summary: 'Delete an image (200, empty body)',
                parameters,
                responses: [
                  { status: 200, description: 'Deleted' },
                  error(403, 'Protected, or an image of another environment'),
                  notFound,
                  ambiguous,
                ],
                handler: remove,
              },
            },
          },
        ],
      },
    ],
  };
}
